// Two runs on one installation never overlap: a file is processed once, an order exported once.
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../../src/engine.ts';
import { silentLogger } from '../../src/log.ts';
import { RunLockTimeout } from '../../src/state/run-lock.ts';
import { PIPELINES } from '../../pipelines/registry.ts';
import { failure } from '../support/failure.ts';
import { listTree, makeWorkspace, type Workspace } from '../support/workspace.ts';

const PRODUCTS = [{ reference: 'VIS-4X40', quantity: 1 }, { reference: 'CHEVILLE-6', quantity: 1 }];

describe('one run at a time per installation', function () {
  this.timeout(30000);
  let ws: Workspace;
  beforeEach(async () => { ws = await makeWorkspace({ products: PRODUCTS, latencyMs: 5 }); });
  afterEach(async () => { await ws.close(); });

  it('two engines started together process a dropped file once', async () => {
    await ws.dropStock('stock_1.csv', [['VIS-4X40', '1', '7', '0'], ['CHEVILLE-6', '1', '8', '0']]);
    const [a, b] = await Promise.all([(await ws.engine()).runOnce(), (await ws.engine()).runOnce()]);
    expect([...a.files, ...b.files].map((f) => f.outcome.status)).to.deep.equal(['done']);
    expect(ws.shop.requests.filter((r) => r.method === 'PATCH')).to.have.length(2);
    expect((await listTree(ws.archive)).filter((f) => f.endsWith('.csv'))).to.have.length(1);
  });

  it('takes over a lock left by a process that died', async () => {
    await fs.mkdir(path.dirname(ws.loaded.config.paths.state), { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    await fs.writeFile(`${ws.loaded.config.paths.state}.lock`, JSON.stringify({ pid: dead, host: os.hostname(), since: '2026-11-28T03:00:00Z', what: 'manual drop' }));
    await ws.dropStock('stock_1.csv', [['VIS-4X40', '1', '7', '0']]);
    const summary = await (await ws.engine()).runOnce();
    expect(summary.files[0]?.outcome.status).to.equal('done');
  });

  it('waits for a live run, then says who holds the installation', async () => {
    await fs.mkdir(path.dirname(ws.loaded.config.paths.state), { recursive: true });
    const holder = spawn('sleep', ['20']);
    try {
      await fs.writeFile(`${ws.loaded.config.paths.state}.lock`, JSON.stringify({ pid: holder.pid, host: os.hostname(), since: '2026-11-28T03:00:00Z', what: 'schedule:hourly orders' }));
      await ws.dropStock('stock_1.csv', [['VIS-4X40', '1', '7', '0']]);
      const engine = await Engine.open(ws.loaded, { log: silentLogger(), pipelines: PIPELINES, lockWaitMs: 600 });
      const err = await failure(engine.runOnce());
      engine.close();
      expect(err).to.be.instanceOf(RunLockTimeout);
      expect(err.message).to.contain(`schedule:hourly orders, pid ${holder.pid}`);
      expect(ws.shop.writeCount()).to.equal(0);
      expect((await fs.readdir(ws.drop)).includes('stock_1.csv'), 'the file waits in the drop folder').to.equal(true);
    } finally {
      holder.kill();
    }
  });
});
