// The CLI commands that work on a configuration: run, status, start.
import cliProgress from 'cli-progress';
import { ConfigError, errorMessage } from '../errors.ts';
import type { LoadedConfig } from '../config/load.ts';
import { Engine } from '../engine.ts';
import { createLogger, type Logger } from '../log.ts';
import { DOCUMENT_FORMATS, PIPELINES } from '../../pipelines/registry.ts';
import { StateStore } from '../state/store.ts';
import { Service } from '../service.ts';
import { Dashboard } from '../dashboard/server.ts';
import { printRunSummary, shown } from './print.ts';
import { formatChecks, runChecks } from './check.ts';
import { loadConfig, type GlobalOpts } from './config.ts';

export function loggerFor(loaded: LoadedConfig, consoleLevel?: string): Logger {
  return createLogger({ dir: loaded.config.paths.logs, secrets: loaded.secrets, ...(consoleLevel ? { consoleLevel } : {}) });
}

export async function runCommand(g: GlobalOpts, o: { pipeline?: string; file?: string; replay?: string; dryRun?: boolean }): Promise<void> {
  const loaded = loadConfig(g, { shop: true });
  const log = loggerFor(loaded, 'warn');
  const engine = await Engine.open(loaded, { log, pipelines: PIPELINES, documents: DOCUMENT_FORMATS, dryRun: o.dryRun ?? false });
  const bar = process.stdout.isTTY ? new cliProgress.SingleBar({ format: '{file} |{bar}| {value} lignes', hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
  let barOn = false;
  // Like `start`: nothing new is sent, the requests in flight finish, the file being processed stays
  // claimed and the next run resumes it (its fingerprints make the replay free). A second signal kills.
  const stop = (signal: NodeJS.Signals) => {
    if (bar && barOn) { bar.stop(); barOn = false; }
    process.stderr.write(`Arrêt demandé (${signal}) : les requêtes en cours se terminent, rien de nouveau n’est envoyé ; le fichier en cours sera repris au prochain passage.\n`);
    engine.requestStop();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    const summary = await engine.runOnce({
      pipeline: o.pipeline, file: o.file, ...(o.replay !== undefined ? { replay: o.replay } : {}),
      trigger: `${o.replay !== undefined ? 'replay' : 'manual'}${o.dryRun ? '-dry-run' : ''}`,
      onFileStart: (name, size) => {
        if (!bar) return;
        if (barOn) bar.stop();
        // Lines are unknown before parsing: a rough total from the size keeps the bar meaningful.
        bar.start(Math.max(1, Math.round(size / 40)), 0, { file: name });
        barOn = true;
      },
      onProgress: (read) => { if (bar && barOn && read % 500 === 0) bar.update(read); },
    });
    if (bar && barOn) bar.stop();
    printRunSummary(summary, { dryRun: o.dryRun ?? false });
    process.exitCode = summary.exitCode;
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    if (bar && barOn) bar.stop();
    engine.close();
  }
}

export async function statusCommand(g: GlobalOpts, o: { json?: boolean; limit: string }): Promise<void> {
  const loaded = loadConfig(g, { shop: false });
  const state = new StateStore(loaded.config.paths.state);
  try {
    const runs = state.recentRuns(Number(o.limit) || 10).map((r) => ({ ...r, summary: r.summary ? (JSON.parse(r.summary) as unknown) : null }));
    if (o.json) {
      process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
      return;
    }
    if (runs.length === 0) {
      process.stdout.write('Aucune exécution enregistrée.\n');
      return;
    }
    for (const r of runs) {
      process.stdout.write(`#${r.id} ${r.started_at} ${r.pipeline} (${r.trigger}) : ${r.status}\n`);
      const files = (r.summary as { files?: Array<{ name: string; status: string; records?: Record<string, number>; writes?: number }> } | null)?.files ?? [];
      for (const f of files) {
        const c = f.records;
        const counts = c ? ` — lus ${c.read}, créés ${c.created}, mis à jour ${c.updated}, inchangés ${c.unchanged}, rejetés ${c.rejected}, écritures ${f.writes ?? 0}` : '';
        process.stdout.write(`    ${f.name} : ${f.status}${counts}\n`);
      }
      const ignored = (r.summary as { ignored?: Array<{ path: string; reason: string }> } | null)?.ignored ?? [];
      for (const i of ignored) process.stdout.write(`    non pris en charge : ${shown(i.path)} — ${i.reason}\n`);
    }
  } finally {
    state.close();
  }
}

export async function startCommand(g: GlobalOpts): Promise<void> {
  const loaded = loadConfig(g, { shop: true });
  const log = loggerFor(loaded);
  const engine = await Engine.open(loaded, { log, pipelines: PIPELINES, documents: DOCUMENT_FORMATS });
  const service = new Service(engine);
  const stop = (signal: string) => {
    log.info(`${signal} received: finishing the current record, then stopping`);
    void service.stop();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  await service.start();
  const dashboard = loaded.config.dashboard.enabled ? await startDashboard(engine, service, log) : undefined;
  await service.stopped;
  await dashboard?.close();
  engine.close();
}

/** The synchronisation matters more than its dashboard: a port already taken is told, the service runs on. */
async function startDashboard(engine: Engine, service: Service, log: Logger): Promise<Dashboard | undefined> {
  const { host, port } = engine.config.dashboard;
  try {
    const d = await Dashboard.start({ engine, enqueue: (t) => service.enqueue(t), pending: () => service.pending() });
    log.info(`tableau de bord : ${d.url}`);
    return d;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? `le port ${port} est déjà pris (un autre prestasync ?) : changez dashboard.port`
      : code === 'EADDRNOTAVAIL' ? `l'adresse ${host} n'est pas celle de cette machine : changez dashboard.host`
        : errorMessage(err);
    log.error(`tableau de bord non démarré sur ${host}:${port} : ${why} ; la synchronisation continue`);
    return undefined;
  }
}

/** `prestasync hash-password`: the password read from stdin (not echoed on a terminal), its hash printed. */
export async function hashPasswordCommand(): Promise<void> {
  const { hashPassword } = await import('../dashboard/auth.ts');
  const password = await readPassword();
  if (!password) throw new ConfigError(['mot de passe vide : tapez-le (ou passez-le sur l’entrée standard)']);
  process.stdout.write(`${await hashPassword(password)}\n`);
}

async function readPassword(): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) text += String(chunk);
    return text.replace(/\r?\n$/, '');
  }
  process.stderr.write('Mot de passe du tableau de bord : ');
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  return new Promise((resolve) => {
    let text = '';
    const onData = (ch: string) => {
      for (const c of ch) {
        if (c === '\r' || c === '\n' || c === '\u0004') {
          stdin.setRawMode(false);
          stdin.off('data', onData);
          stdin.pause();
          process.stderr.write('\n');
          resolve(text);
          return;
        }
        if (c === '\u0003') process.exit(130);
        text = c === '\u007f' ? text.slice(0, -1) : text + c;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}

export async function checkCommand(g: GlobalOpts): Promise<void> {
  const loaded = loadConfig(g, { shop: true });
  const lines = await runChecks(loaded, PIPELINES, createLogger({ secrets: loaded.secrets, console: false }));
  process.stdout.write(formatChecks(lines));
  process.exitCode = lines.every((l) => l.ok) ? 0 : 1;
}
