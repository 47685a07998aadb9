// kill -9 at chosen steps of an export of 200 orders, then a full run: exactly 200 files, each once, all delivered,
// and every order in exactly one archived run report. Each kill is chosen by progress (issue #6) — a request the
// sandbox shop receives, or a named crash point (PRESTASYNC_CRASH_AT) — never by a timer, and each trial asserts
// the state it leaves, so the test lands where it says whatever the machine's speed.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArrivingRequest } from '../../src/sandbox/index.ts';
import { StateStore } from '../../src/state/store.ts';
import { Outbox, type OutboxStatus } from '../../src/state/outbox.ts';
import { listTree, makeWorkspace, type Workspace } from '../support/workspace.ts';
import { webOrder } from '../support/orders.ts';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'prestasync.js');

interface Trial {
  /** PRESTASYNC_CRASH_AT for the child: it SIGKILLs itself there. */
  crashAt?: string;
  /** Returns true for the request at which the child is killed (called as each request arrives, before its answer). */
  killAt?: () => (r: ArrivingRequest) => boolean;
}

interface Outcome { code: number | null; signal: NodeJS.Signals | null; killedAt?: ArrivingRequest; output: string }

function exportOrders(ws: Workspace, trial: Trial = {}): Promise<Outcome> {
  const env = { ...process.env };
  delete env.PRESTASYNC_CRASH_AT;
  if (trial.crashAt) env.PRESTASYNC_CRASH_AT = trial.crashAt;
  const child = spawn(process.execPath, [BIN, 'orders', '--config', ws.configFile], { cwd: ws.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
  let killedAt: ArrivingRequest | undefined;
  const matches = trial.killAt?.();
  const stop = matches ? ws.shop.onRequest((r) => {
    if (killedAt === undefined && matches(r)) {
      killedAt = r;
      child.kill('SIGKILL');
    }
  }) : undefined;
  return new Promise((resolve) => child.on('exit', (code, signal) => {
    stop?.();
    resolve({ code, signal, ...(killedAt ? { killedAt } : {}), output });
  }));
}

const ordersPage = (offset: number) => () => (r: ArrivingRequest) => r.method === 'GET' && r.path === '/api/orders' && r.query.limit === `${offset},50`;
const nthRequestTo = (resource: string, n: number) => () => {
  let seen = 0;
  return (r: ArrivingRequest) => r.method === 'GET' && r.path === `/api/${resource}` && ++seen === n;
};

interface State { files: number; statuses: Partial<Record<OutboxStatus, number>>; reportsPending: number; reportsDone: number }

async function stateOf(ws: Workspace): Promise<State> {
  const files = (await fs.readdir(ws.loaded.config.paths.outbox).catch(() => [])).filter((f) => !f.startsWith('.')).length;
  const store = new StateStore(ws.loaded.config.paths.state);
  try {
    const outbox = new Outbox(store);
    const statuses: State['statuses'] = {};
    for (const s of ['pending', 'written', 'delivered', 'held'] as const) {
      const n = outbox.withStatus(s).length;
      if (n > 0) statuses[s] = n;
    }
    const reported = store.sql.prepare<[], { pending: number; done: number }>(
      'SELECT SUM(reported_at IS NULL) AS pending, SUM(reported_at IS NOT NULL) AS done FROM outbox_reported').get();
    return { files, statuses, reportsPending: reported?.pending ?? 0, reportsDone: reported?.done ?? 0 };
  } finally {
    store.close();
  }
}

/** The archived run reports, oldest first, each with the orders it lists as exported. */
async function archivedReports(ws: Workspace): Promise<Array<{ name: string; exported: number[]; reasons: string[] }>> {
  const names = (await listTree(ws.archive)).filter((f) => /\/orders\/orders-\d{6}( \(\d+\))?\.report\.json$/.test(f));
  const reports = await Promise.all(names.map(async (name) => {
    const r = JSON.parse(await fs.readFile(path.join(ws.archive, name), 'utf8')) as { startedAt: string; items: Array<{ key: string; outcome: string; reason?: string }> };
    const exported = r.items.filter((i) => i.outcome === 'exportée');
    return { name, startedAt: r.startedAt, exported: exported.map((i) => Number(i.key)).sort((a, b) => a - b), reasons: exported.map((i) => i.reason ?? '') };
  }));
  return reports.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('orders export: kill -9 at chosen steps of a 200-order export', function () {
  this.timeout(300000);
  let ws: Workspace;
  before(async () => {
    ws = await makeWorkspace({
      products: [{ reference: 'VIS-4X40' }, { reference: 'CHEVILLE-6' }],
      config: { orders: { since: '2000-01-01' } },
      latencyMs: 1,
    });
  });
  after(async () => { await ws.close(); });

  /** Runs the child as the trial says, asserts it was killed there, and returns the state it left. */
  async function killed(trial: Trial): Promise<State> {
    const out = await exportOrders(ws, trial);
    expect(out.signal, `killed by SIGKILL (${JSON.stringify(trial.crashAt ?? 'at a request')}), exit ${out.code}:\n${out.output}`).to.equal('SIGKILL');
    if (trial.killAt) expect(out.killedAt, 'the request to kill at arrived').to.not.equal(undefined);
    return stateOf(ws);
  }

  async function completes(): Promise<State> {
    const out = await exportOrders(ws);
    expect(out.code, out.output).to.equal(0);
    return stateOf(ws);
  }

  it('first 100 orders: kills while listing, writing, marking, delivering and reporting; then a run reports them all once', async () => {
    for (const i of range(1, 100)) ws.shop.store.placeOrder(webOrder(i));

    // Each page is written and delivered before the next is listed.
    expect(await killed({ killAt: ordersPage(50) })).to.deep.include({ files: 50, statuses: { delivered: 50 } });
    // After a file is written in the outbox, before it is marked written: the 5th file of page 2 exists.
    expect(await killed({ crashAt: 'orders.file-written:5' })).to.deep.include({ files: 55, statuses: { delivered: 50, written: 4, pending: 46 } });
    // After a file is marked written, before delivery: the next run first finishes the pending ones.
    expect(await killed({ crashAt: 'orders.file-marked:10' })).to.deep.include({ files: 64, statuses: { delivered: 50, written: 14, pending: 36 } });
    // After a delivery, before it is marked delivered.
    expect(await killed({ crashAt: 'orders.delivered:3' })).to.deep.include({ files: 100, statuses: { delivered: 52, written: 48 } });
    // Everything exported; killed as its report was about to be written: the report is not on disk.
    expect(await killed({ crashAt: 'orders.report-pending' })).to.deep.include({ files: 100, statuses: { delivered: 100 }, reportsPending: 100 });
    expect(await archivedReports(ws)).to.deep.equal([]);

    // Five runs wrote or delivered these orders and were killed before their report: this one reports them.
    expect(await completes()).to.deep.include({ files: 100, statuses: { delivered: 100 }, reportsPending: 0, reportsDone: 100 });
    const reports = await archivedReports(ws);
    expect(reports.map((r) => r.exported)).to.deep.equal([range(1, 100)]);
    expect(reports[0]!.reasons[0]).to.equal('fichier écrit par un passage interrompu avant son rapport');
  });

  it('100 more: killed before a page enters the outbox, after it enters, after the report is written; ends with 200 files, each order in one report', async () => {
    for (const i of range(101, 200)) ws.shop.store.placeOrder(webOrder(i));

    // Killed while reading the 4th page's details (the 2nd page with new orders): page 3 is out.
    expect(await killed({ killAt: nthRequestTo('order_details', 2) })).to.deep.include({ files: 150, statuses: { delivered: 150 } });
    // The 4th page entered the outbox (file names fixed), no file written yet.
    expect(await killed({ crashAt: 'orders.page-entered' })).to.deep.include({ files: 150, statuses: { delivered: 150, pending: 50 } });
    // Its report written, killed before recording it: the next run must not report these orders again.
    expect(await killed({ crashAt: 'orders.report-written' })).to.deep.include({ files: 200, statuses: { delivered: 200 }, reportsPending: 100 });

    expect(await completes()).to.deep.include({ files: 200, statuses: { delivered: 200 }, reportsPending: 0, reportsDone: 200 });
    expect(await completes(), 'a re-run exports and reports nothing').to.deep.include({ files: 200, reportsDone: 200 });

    const files = (await fs.readdir(ws.loaded.config.paths.outbox)).filter((f) => !f.startsWith('.'));
    const ids = files.map((f) => Number(/^CMD-(\d+)-/.exec(f)?.[1])).sort((a, b) => a - b);
    expect(ids, 'exactly one file per order').to.deep.equal(range(1, 200));
    const reports = await archivedReports(ws);
    expect(reports.map((r) => r.exported), 'each order in exactly one report').to.deep.equal([range(1, 100), range(101, 200)]);
  });
});
