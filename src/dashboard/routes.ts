// The dashboard's pages and buttons. Buttons are plain forms (POST, then 303 to a page): no script needed.
// A page shows « en cours » and reloads itself while what was asked is running or waiting.
import type { FastifyInstance } from 'fastify';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { ConfigError, errorMessage } from '../errors.ts';
import { findArchivedFile } from '../intake/replay.ts';
import type { DashboardDeps, Render } from './server.ts';
import { excelCsv } from './csv.ts';
import { filesView, latestReconciliation, latestReconciliationCsv, ordersView, pipelinesView, replayOrigin, replaysOf, reportOf, runsView } from './data.ts';
import { loadReconcile } from './reconcile-fix.ts';

export function attachment(name: string): string {
  const ascii = name.normalize('NFD').replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '_') || 'fichier';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function registerPages(app: FastifyInstance, deps: DashboardDeps, render: Render): void {
  const { engine } = deps;
  const state = engine.state;
  const pipelines = engine.opts.pipelines;
  const busy = () => deps.pending();
  /** Runs asked from the dashboard: an error is told in the log, it must not stop the service. */
  const ask = (key: string, run: () => Promise<unknown>) => deps.enqueue({
    key, run: async () => {
      try {
        await run();
      } catch (err) {
        engine.log.error(`tableau de bord, ${key} : ${errorMessage(err)}`);
        if (!(err instanceof ConfigError)) throw err;
      }
    },
  });
  const fileRow = (id: string) => {
    const n = Number(id);
    return Number.isInteger(n) ? state.fileById(n) : undefined;
  };

  app.get('/', async (req, reply) => {
    const p = busy();
    return render(req, reply, 'pipelines', { pipelines: pipelinesView(state, pipelines, engine.config), busy: p }, { refresh: p.length > 0 });
  });

  app.post('/flux/:name/synchroniser', async (req, reply) => {
    const name = (req.params as { name: string }).name;
    const p = pipelines.find((x) => x.name === name);
    if (!p) return reply.code(404).type('text/plain; charset=utf-8').send(`flux inconnu : ${name}`);
    ask(`pipeline:${p.name}`, () => engine.runOnce({ pipeline: p.name, trigger: 'dashboard' }));
    return reply.code(303).header('location', `/executions?demande=${encodeURIComponent(p.name)}`).send();
  });

  app.get('/executions', async (req, reply) => {
    const p = busy();
    return render(req, reply, 'runs', { runs: runsView(state), busy: p, asked: (req.query as { demande?: string }).demande }, { refresh: p.length > 0 });
  });

  app.get('/fichiers', async (req, reply) => render(req, reply, 'files', { files: filesView(state), quarantine: false }));
  app.get('/quarantaine', async (req, reply) => {
    const files = await Promise.all(filesView(state, { status: 'quarantined' }).map(async (f) => ({ ...f, reason: (await reportOf(f))?.reason ?? f.last_error, replays: replaysOf(state, f.id) })));
    return render(req, reply, 'files', { files, quarantine: true });
  });

  app.get('/fichiers/:id', async (req, reply) => {
    const row = fileRow((req.params as { id: string }).id);
    if (!row) return reply.code(404).type('text/plain; charset=utf-8').send('fichier inconnu');
    const replays = replaysOf(state, row.id);
    const origin = replayOrigin(row);
    const p = busy();
    const replaying = p.includes(`replay:${row.id}`);
    return render(req, reply, 'file', {
      row, report: await reportOf(row), replays, replaying, original: origin !== undefined ? state.fileById(origin) : undefined,
      archivedName: row.archive_path ? path.basename(row.archive_path) : undefined,
    }, { refresh: replaying });
  });

  app.get('/fichiers/:id/telecharger', async (req, reply) => {
    const row = fileRow((req.params as { id: string }).id);
    if (!row?.archive_path) return reply.code(404).type('text/plain; charset=utf-8').send('fichier archivé introuvable');
    return reply.type('application/octet-stream').header('content-disposition', attachment(row.name)).send(createReadStream(row.archive_path));
  });

  app.get('/fichiers/:id/rejets.csv', async (req, reply) => {
    const row = fileRow((req.params as { id: string }).id);
    const report = row ? await reportOf(row) : undefined;
    if (!row || !report) return reply.code(404).type('text/plain; charset=utf-8').send('rapport introuvable');
    const csv = excelCsv(['ligne', 'clé', 'motif', 'flux'], report.rejects.map((r) => [r.line, r.key ?? '', r.reason, r.pipeline ?? report.pipeline ?? '']));
    return reply.type('text/csv; charset=utf-8').header('content-disposition', attachment(`${row.name}.rejets.csv`)).send(csv);
  });

  app.post('/fichiers/:id/rejouer', async (req, reply) => {
    const row = fileRow((req.params as { id: string }).id);
    if (!row) return reply.code(404).type('text/plain; charset=utf-8').send('fichier inconnu');
    try {
      findArchivedFile(state, row.id);
    } catch (err) {
      return reply.code(409).type('text/plain; charset=utf-8').send(errorMessage(err));
    }
    ask(`replay:${row.id}`, () => engine.runOnce({ replay: row.id, trigger: 'dashboard-replay' }));
    return reply.code(303).header('location', `/fichiers/${row.id}`).send();
  });

  app.get('/commandes', async (req, reply) => {
    const p = busy();
    return render(req, reply, 'orders', { groups: ordersView(state), busy: p, hasOrders: pipelines.some((x) => x.name === 'orders') }, { refresh: p.includes('pipeline:orders') });
  });

  app.post('/commandes/relancer', async (_req, reply) => {
    // Held orders are examined again by each run of the orders flow.
    if (pipelines.some((x) => x.name === 'orders')) ask('pipeline:orders', () => engine.runOnce({ pipeline: 'orders', trigger: 'dashboard' }));
    return reply.code(303).header('location', '/commandes').send();
  });

  app.get('/reconciliation', async (req, reply) => {
    const p = busy();
    return render(req, reply, 'reconcile', {
      rec: await latestReconciliation(engine.config.paths.archive), canFix: (await loadReconcile()) !== undefined, fixing: p.includes('reconcile-fix'),
    }, { refresh: p.includes('reconcile-fix') });
  });

  app.get('/reconciliation/csv', async (_req, reply) => {
    const archive = engine.config.paths.archive;
    const file = await latestReconciliationCsv(archive);
    if (file) return reply.type('text/csv; charset=utf-8').header('content-disposition', attachment(path.basename(file))).send(createReadStream(file));
    const rec = await latestReconciliation(archive);
    if (!rec) return reply.code(404).type('text/plain; charset=utf-8').send('aucune réconciliation');
    const csv = excelCsv(['objet', 'clé', 'champ', 'erp', 'boutique', 'écart'], rec.drifts.map((d) => [d.entity, d.key, d.field, d.erp, d.shop ?? '', d.kind]));
    return reply.type('text/csv; charset=utf-8').header('content-disposition', attachment('reconciliation.csv')).send(csv);
  });

  app.post('/reconciliation/corriger', async (_req, reply) => {
    const run = await loadReconcile();
    if (run) {
      ask('reconcile-fix', () => run({ root: path.dirname(engine.loaded.file), config: engine.loaded, fix: true }));
    }
    return reply.code(303).header('location', '/reconciliation').send();
  });
}
