// kill -9 at random points of an export of 200 orders, 20 times, then a full run: exactly 200 files, each once.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StateStore } from '../../src/state/store.ts';
import { Outbox } from '../../src/state/outbox.ts';
import { makeWorkspace, type Workspace } from '../support/workspace.ts';
import { webOrder } from '../support/orders.ts';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'prestasync.js');
const ORDERS = 200;
const KILLS = 20;

function exportOrders(ws: Workspace, killAfterMs?: number): Promise<number | null> {
  const child = spawn(process.execPath, [BIN, 'orders', '--config', ws.configFile], { cwd: ws.root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) => child.on('exit', (code) => {
    if (timer) clearTimeout(timer);
    if (killAfterMs === undefined && code !== 0) process.stderr.write(output);
    resolve(code);
  }));
}

describe('orders export: crash at random points (kill -9), 20 times', function () {
  this.timeout(300000);
  let ws: Workspace;
  before(async () => {
    ws = await makeWorkspace({
      products: [{ reference: 'VIS-4X40' }, { reference: 'CHEVILLE-6' }],
      config: { orders: { since: '2000-01-01' } },
      latencyMs: 1,
    });
    for (let i = 1; i <= ORDERS; i++) ws.shop.store.placeOrder(webOrder(i));
  });
  after(async () => { await ws.close(); });

  it('ends with exactly 200 files, one per order', async () => {
    // A seeded sequence: random, yet the same on every machine.
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const outboxFiles = async () => (await fs.readdir(ws.loaded.config.paths.outbox).catch(() => [])).filter((f) => !f.startsWith('.')).length;
    let killedMidExport = 0;
    for (let i = 0; i < KILLS; i++) {
      const before = await outboxFiles();
      const code = await exportOrders(ws, 400 + Math.floor(random() * 4600));
      const after = await outboxFiles();
      // Killed while files were being written: some of this run's files exist, not all of them.
      if (code === null && after > before && after < ORDERS) killedMidExport++;
    }
    expect(killedMidExport, 'kills that landed in the middle of writing the files').to.be.greaterThan(0);
    expect(await exportOrders(ws)).to.equal(0);

    const files = (await fs.readdir(ws.loaded.config.paths.outbox)).filter((f) => !f.startsWith('.'));
    expect(files).to.have.length(ORDERS);
    const ids = files.map((f) => Number(/^CMD-(\d+)-/.exec(f)?.[1]));
    expect(new Set(ids).size).to.equal(ORDERS);
    expect(Math.min(...ids)).to.equal(1);
    expect(Math.max(...ids)).to.equal(ORDERS);
    const state = new StateStore(ws.loaded.config.paths.state);
    try {
      expect(new Outbox(state).withStatus('delivered')).to.have.length(ORDERS);
    } finally {
      state.close();
    }
  });
});
