// kill -9 while the orders run report is being written (issue #7, audit): the temporary file of the report,
// just opened and empty, must not stay in the archive, and each order is still in exactly one report.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listTree, makeWorkspace, type Workspace } from '../support/workspace.ts';
import { webOrder } from '../support/orders.ts';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'prestasync.js');

function exportOrders(ws: Workspace, crashAt?: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  const env = { ...process.env };
  delete env.PRESTASYNC_CRASH_AT;
  if (crashAt) env.PRESTASYNC_CRASH_AT = crashAt;
  const child = spawn(process.execPath, [BIN, 'orders', '--config', ws.configFile], { cwd: ws.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, output })));
}

describe('orders export: kill -9 while its run report is written', function () {
  this.timeout(60000);
  let ws: Workspace;
  beforeEach(async () => {
    ws = await makeWorkspace({ products: [{ reference: 'VIS-4X40' }, { reference: 'CHEVILLE-6' }], config: { orders: { since: '2000-01-01' } } });
  });
  afterEach(async () => { await ws.close(); });

  it('leaves no temporary file in the archive, and the next run reports each order once', async () => {
    for (const i of [1, 2]) ws.shop.store.placeOrder(webOrder(i));
    // Atomic writes of the run: the two outbox files, then the report (the 3rd).
    const killed = await exportOrders(ws, 'atomic-write.temp-open:3');
    expect(killed.signal, killed.output).to.equal('SIGKILL');
    expect((await listTree(ws.archive)).filter((f) => /\.report\.json\.tmp$/.test(f)), 'killed with the report\'s temporary file open').to.have.length(1);

    const again = await exportOrders(ws);
    expect(again.code, again.output).to.equal(0);
    const all = await listTree(ws.archive);
    expect(all.filter((f) => f.endsWith('.tmp')), 'no temporary file left').to.deep.equal([]);
    const reports = await Promise.all(all.filter((f) => f.endsWith('.report.json'))
      .map(async (f) => JSON.parse(await fs.readFile(path.join(ws.archive, f), 'utf8')) as { items: Array<{ key: string; outcome: string }> }));
    const exported = reports.flatMap((r) => r.items.filter((i) => i.outcome === 'exportée').map((i) => i.key)).sort();
    expect(exported, 'each order in exactly one report').to.deep.equal(['1', '2']);
  });
});
