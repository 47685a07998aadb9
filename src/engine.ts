// The engine: everything a run needs, built once from the validated configuration, and the manual run
// (pull SFTP once, resume what an earlier process left claimed, take every complete file, exit).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { LoadedConfig } from './config/load.ts';
import { loadProfile, type ErpProfile } from './erp/profile.ts';
import { ConfigError, RetriableError, errorMessage } from './errors.ts';
import { claim, listClaimed, listDrop, readHead, stableOnly, WORK_DIR, type Candidate, type Claimed, type Ignored } from './intake/drop-folder.ts';
import { describeFileFailure } from './intake/fs-errors.ts';
import { routeFile } from './runner/route.ts';
import { SftpDrop } from './intake/sftp.ts';
import type { Logger } from './log.ts';
import type { Pipeline, RunContext, ShopRunReport } from './pipeline.ts';
import { ShopClient } from './prestashop/client.ts';
import { processFile, type FileOutcome } from './runner/process-file.ts';
import { archiveShopRun } from './outbound/archive-run.ts';
import type { StopSignal } from './runner/records.ts';
import { StateStore } from './state/store.ts';
import type { DocumentFormat } from './document.ts';
import { withRunLock } from './state/run-lock.ts';
import { claimReplay, findArchivedFile, replayFolder } from './intake/replay.ts';

export interface EngineOptions {
  log: Logger;
  pipelines: readonly Pipeline[];
  /** Multi-flow document formats (a Sage « Format Sage » export), recognised by content. */
  documents?: readonly DocumentFormat[];
  dryRun?: boolean;
  /** Tests inject a client (e.g. with fast retries); otherwise one is built from `shop:`. */
  shop?: ShopClient;
  retryBaseMs?: number;
  /** How long a run waits for another one to finish before giving up (default 10 min). */
  lockWaitMs?: number;
}

export interface RunRequest {
  pipeline?: string;
  file?: string;
  /** « Rejouer »: a file of the journal (id or archived path) goes through its pipeline again. */
  replay?: number | string;
  trigger?: string;
  pullSftp?: boolean;
  onFileStart?: (name: string, size: number) => void;
  onProgress?: (read: number) => void;
}

export interface RunSummary {
  files: Array<{ name: string; outcome: FileOutcome }>;
  /** What the drop folder holds that is not taken (links, sub-folders…) or could not be claimed, and why. */
  ignored: Ignored[];
  shop: Array<{ pipeline: string; report: ShopRunReport }>;
  pulled: number;
  /** 0 every file processed (rejects allowed), 1 a file quarantined or deferred. */
  exitCode: 0 | 1;
}

export class Engine {
  readonly stop: StopSignal = { stopped: false };
  private connected = false;

  private constructor(
    readonly loaded: LoadedConfig,
    readonly profile: ErpProfile,
    readonly state: StateStore,
    readonly shop: ShopClient,
    readonly opts: EngineOptions,
  ) {}

  static async open(loaded: LoadedConfig, opts: EngineOptions): Promise<Engine> {
    const { config } = loaded;
    const profile = loadProfile(config.erp.profile, config.erp.flows);
    for (const dir of [config.paths.drop, config.paths.archive, config.paths.outbox]) await fs.mkdir(dir, { recursive: true });
    const state = new StateStore(config.paths.state);
    const shop = opts.shop ?? new ShopClient({
      url: config.shop.url, key: config.shop.key, language: config.shop.language,
      concurrency: config.shop.concurrency, timeoutMs: config.shop.timeoutMs, retries: config.shop.retries,
      ...(opts.retryBaseMs !== undefined ? { retryBaseMs: opts.retryBaseMs } : {}),
      ...(config.shop.shopId !== undefined ? { shopId: config.shop.shopId } : {}),
      dryRun: opts.dryRun ?? false, logger: opts.log,
    });
    return new Engine(loaded, profile, state, shop, opts);
  }

  get config() {
    return this.loaded.config;
  }

  get log(): Logger {
    return this.opts.log;
  }

  context(): RunContext {
    return {
      config: this.config, profile: this.profile, shop: this.shop, state: this.state, log: this.log,
      dryRun: this.opts.dryRun ?? false, warn: (m) => this.log.warn(m),
    };
  }

  /** Version and languages of the shop, asked once, only when there is something to write. */
  async ensureConnected(): Promise<void> {
    if (this.connected) return;
    const info = await this.shop.connect();
    this.connected = true;
    this.log.info(`boutique jointe : PrestaShop ${info.version}, mises à jour par ${info.patch ? 'PATCH' : 'GET puis PUT'}, langues ${info.languages.map((l) => l.iso).join(', ')}`);
  }

  /** Undefined when the shop answers; else why not, for files to wait for the next run. */
  private async connectOrExplain(): Promise<string | undefined> {
    try {
      await this.ensureConnected();
      return undefined;
    } catch (err) {
      if (!(err instanceof RetriableError)) throw err;
      this.log.warn(`boutique injoignable, fichiers laissés pour le prochain passage : ${errorMessage(err)}`);
      return `boutique injoignable, le fichier sera repris au prochain passage : ${errorMessage(err)}`;
    }
  }

  pipeline(name: string): Pipeline {
    const p = this.opts.pipelines.find((x) => x.name === name);
    if (!p) throw new ConfigError([`--pipeline ${name} : flux inconnu (flux disponibles : ${this.opts.pipelines.map((x) => x.name).join(', ')})`]);
    return p;
  }

  /** The local paths of the files pulled. */
  async pullSftp(): Promise<Set<string>> {
    const sftp = this.config.sftp;
    if (!sftp) return new Set();
    const drop = new SftpDrop(sftp, this.log);
    try {
      const pulled = await drop.pull(this.config.paths.drop);
      if (pulled.length) this.log.info(`${pulled.length} fichier(s) récupéré(s) par SFTP`, { files: pulled.map((f) => f.remoteName) });
      return new Set(pulled.map((f) => f.localPath));
    } catch (err) {
      if (err instanceof RetriableError) {
        this.log.warn(`serveur SFTP injoignable, nouvel essai au prochain relevé : ${errorMessage(err)}`);
        return new Set();
      }
      throw err;
    } finally {
      await drop.close().catch(() => undefined);
    }
  }

  /** SIGTERM / service stop: nothing new starts, requests not yet sent are abandoned, those in flight finish. */
  requestStop(): void {
    this.stop.stopped = true;
    this.shop.interrupt();
  }

  /** One run at a time per installation (see run-lock.ts); a dry run changes nothing and needs no turn. */
  async runOnce(req: RunRequest = {}): Promise<RunSummary> {
    if (this.opts.dryRun) return this.runUnlocked(req);
    return withRunLock(`${this.config.paths.state}.lock`, `${req.trigger ?? 'manual'} ${req.pipeline ?? 'drop'}`, {
      waitMs: this.opts.lockWaitMs ?? 600_000,
      onWait: (h) => this.log.warn(`attente de la fin d'un autre passage de prestasync${h ? ` (${h.what}, pid ${h.pid})` : ''}`),
    }, () => this.runUnlocked(req));
  }

  private async runUnlocked(req: RunRequest): Promise<RunSummary> {
    const only = req.pipeline ? this.pipeline(req.pipeline) : undefined;
    const runId = this.state.startRun(req.pipeline ?? 'drop', req.trigger ?? 'manual');
    const summary: RunSummary = { files: [], ignored: [], shop: [], pulled: 0, exitCode: 0 };
    try {
      if (only?.kind === 'shop') {
        await this.ensureConnected();
        const startedAt = new Date();
        const report = await only.run(this.context());
        summary.shop.push({ pipeline: only.name, report });
        await archiveShopRun(this.config.paths.archive, this.config.paths.outbox, only.name, startedAt, report);
      } else {
        const pulled = req.pullSftp !== false && !this.opts.dryRun ? await this.pullSftp() : new Set<string>();
        summary.pulled = pulled.size;
        const files = await this.filesToProcess(req, pulled, summary.ignored);
        const unreachable = files.length > 0 ? await this.connectOrExplain() : undefined;
        for (const f of files) {
          if (unreachable) {
            // Claimed files stay in drop/.work/ and are resumed by the next run.
            summary.files.push({ name: f.name, outcome: { status: 'deferred', reason: unreachable } });
            continue;
          }
          if (this.stop.stopped) break;
          req.onFileStart?.(f.name, (await fs.lstat(f.workPath).catch(() => undefined))?.size ?? 0);
          const outcome = await processFile(f, {
            ctx: this.context(), pipelines: this.opts.pipelines, documents: this.opts.documents, archiveRoot: this.config.paths.archive,
            only: only?.name, stop: this.stop, onProgress: req.onProgress,
          });
          summary.files.push({ name: f.name, outcome });
        }
      }
      for (const i of summary.ignored) this.log.warn(`non pris : ${i.path} : ${i.reason}`);
      const bad = summary.files.some((f) => ['quarantined', 'deferred', 'blocked'].includes(f.outcome.status))
        || summary.shop.some((s) => s.report.status === 'failed');
      summary.exitCode = bad ? 1 : 0;
      this.state.finishRun(runId, bad ? 'failed' : 'done', summarize(summary));
      return summary;
    } catch (err) {
      this.state.finishRun(runId, 'error', { error: errorMessage(err) });
      throw err;
    }
  }

  /** Claimed-but-unfinished files first (crash recovery), then the complete files of the drop folder. */
  private async filesToProcess(req: RunRequest, pulled: Set<string>, ignored: Ignored[]): Promise<Claimed[]> {
    const drop = this.config.paths.drop;
    const dry = this.opts.dryRun ?? false;
    if (req.file) return [await this.adoptFile(req.file, req.pipeline, dry)];
    if (req.replay !== undefined) {
      const row = findArchivedFile(this.state, req.replay);
      const names = this.opts.pipelines.map((p) => p.name);
      // A dry run reads the archived file where it is: a copy left in the work folder would be processed.
      return [dry ? { workPath: row.archive_path!, name: row.name, folder: replayFolder(row, names) } : await claimReplay(drop, row, names)];
    }
    // A shortened work name (too long to claim as it was) gets its original name back from the journal.
    const out: Claimed[] = dry ? [] : (await listClaimed(drop)).map((c) => ({ ...c, name: this.state.openFileByWorkPath(c.workPath)?.name ?? c.name }));
    const listing = await listDrop(drop);
    ignored.push(...listing.ignored);
    const stable = await stableOnly(listing.candidates, this.config.intake.stableMs);
    for (const c of stable) {
      // --pipeline P: files of other flows are not claimed; they wait for their own run.
      if (req.pipeline && !(await this.routesTo(c, req.pipeline))) continue;
      if (dry) {
        out.push({ workPath: c.path, name: c.name, folder: c.folder });
        continue;
      }
      try {
        const claimed = await claim(drop, c);
        if (claimed) out.push({ ...claimed, origin: pulled.has(c.path) ? 'sftp' : 'local' });
      } catch (err) {
        // Cannot even be moved into the work folder: it stays where it is, and the run says why.
        this.log.error(`prise du fichier impossible : ${errorMessage(err)}`, { file: c.path, err, logOnly: true });
        ignored.push({ path: c.path, reason: `impossible de prendre le fichier en charge : ${describeFileFailure(err)}` });
      }
    }
    return out;
  }

  private async routesTo(c: Candidate, pipeline: string): Promise<boolean> {
    const head = await readHead(c.path).catch(() => Buffer.alloc(0));
    const route = routeFile({ name: c.name, folder: c.folder, head }, this.opts.pipelines, this.profile, this.opts.documents);
    if ('document' in route) return route.document.name === pipeline || route.pipelines.some((p) => p.name === pipeline);
    return 'pipeline' in route && route.pipeline.name === pipeline;
  }

  /** `--file F`: only a regular file inside the drop folder (issue #7: never follow a link out of it, never
   *  read a path elsewhere); it is claimed like any dropped file. */
  private async adoptFile(file: string, pipeline: string | undefined, dry: boolean): Promise<Claimed> {
    const abs = path.resolve(file);
    const drop = path.resolve(this.config.paths.drop);
    const rel = path.relative(drop, abs);
    if (rel.startsWith('..') || path.isAbsolute(rel) || rel.split(path.sep).includes(WORK_DIR)) {
      throw new ConfigError([`--file ${file} : seuls les fichiers du dossier de dépôt (${this.config.paths.drop}) sont traités ; copiez-le dans ${path.join(this.config.paths.drop, pipeline ?? '<flux>')}/`]);
    }
    const st = await fs.lstat(abs).catch(() => undefined);
    if (!st) throw new ConfigError([`--file ${file} : fichier introuvable`]);
    if (st.isSymbolicLink()) throw new ConfigError([`--file ${file} : lien symbolique refusé (sa cible n'est pas ouverte) ; déposez le fichier lui-même`]);
    if (!st.isFile()) throw new ConfigError([`--file ${file} : ce n'est pas un fichier ordinaire`]);
    const parts = path.dirname(rel) === '.' ? [] : path.dirname(rel).split(path.sep);
    if (parts.length > 1) throw new ConfigError([`--file ${file} : sous-dossier non lu ; déposez le fichier dans drop/ ou drop/<flux>/`]);
    const folder = parts[0];
    if (dry) return { workPath: abs, name: path.basename(abs), folder };
    const claimed = await claim(drop, { path: abs, name: path.basename(abs), folder, size: st.size, mtimeMs: st.mtimeMs });
    if (!claimed) throw new ConfigError([`--file ${file} : le fichier a été pris par un autre processus`]);
    return claimed;
  }

  close(): void {
    this.state.close();
  }
}

function summarize(s: RunSummary): object {
  return {
    pulled: s.pulled,
    ...(s.ignored.length > 0 ? { ignored: s.ignored } : {}),
    files: s.files.map((f) => ({
      name: f.name,
      status: f.outcome.status,
      ...('report' in f.outcome ? { pipeline: f.outcome.report.pipeline, records: f.outcome.report.records, writes: f.outcome.report.writes } : { reason: f.outcome.reason }),
      // The dashboard links each file of a run to its report through its place in the archive.
      ...('archivedAs' in f.outcome && f.outcome.archivedAs ? { archive: f.outcome.archivedAs } : {}),
    })),
    shop: s.shop.map((x) => ({ pipeline: x.pipeline, status: x.report.status, counts: x.report.counts })),
  };
}
