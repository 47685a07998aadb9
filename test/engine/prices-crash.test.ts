// kill -9 of `prestasync run` while it creates specific prices, then a restart: each specific price once.
// The kill lands as a POST arrives (the sandbox applies it, the connector never hears the answer): the
// restart finds that row by its unique key and adopts it (it was this key's), never POSTs it twice.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeFormatSage } from '../fixtures/erp/sage/make-catalogue.ts';
import { TARIFFS, priceRecords } from '../fixtures/erp/sage/make-prices.ts';
import { makeWorkspace, reportOf, type Workspace } from '../support/workspace.ts';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'prestasync.js');

function runCli(ws: Workspace, killAtPost?: number): Promise<{ code: number | null; killed: boolean }> {
  const child = spawn(process.execPath, [BIN, 'run', '--config', ws.configFile], { cwd: ws.root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
  let posts = 0;
  let killed = false;
  const stop = killAtPost === undefined ? undefined : ws.shop.onRequest((r) => {
    if (r.method === 'POST' && r.path === '/api/specific_prices' && ++posts === killAtPost) {
      killed = true;
      child.kill('SIGKILL');
    }
  });
  return new Promise((resolve) => child.on('exit', (code) => {
    stop?.();
    if (!killed && code !== 0) process.stderr.write(output);
    resolve({ code, killed });
  }));
}

describe('prices: crash and resume (kill -9 of `prestasync run`)', function () {
  this.timeout(120000);
  let ws: Workspace;
  afterEach(async () => { await ws.close(); });

  it('a specific price POSTed just before the kill is adopted on restart, not created twice', async () => {
    ws = await makeWorkspace();
    const engine = await ws.engine();
    await engine.ensureConnected();
    for (const n of [1, 2, 3]) engine.state.remember('group', `tarif:${n}`, String((await engine.shop.create('groups', { name: engine.shop.lang(`Tarif ${n}`), reduction: '0.00', price_display_method: '1', show_prices: '1' })).id));
    engine.state.remember('customer', 'EPICERIEDUPONT', String((await engine.shop.create('customers', { passwd: 'Erp-Client-2024!', email: 'contact@epicerie-pont.fr', lastname: 'Pont', firstname: 'Epicerie' })).id));
    engine.close();
    await fs.writeFile(path.join(ws.drop, 'export.txt'), encodeFormatSage(priceRecords(TARIFFS)));

    const first = await runCli(ws, 3);
    expect(first.killed, 'killed at the third POST').to.equal(true);
    const postsBefore = ws.shop.requests.filter((r) => r.method === 'POST' && r.path === '/api/specific_prices').length;
    expect(postsBefore).to.be.within(3, 5);

    expect((await runCli(ws)).code).to.equal(0);
    const rows = ws.shop.store.list('specific_prices');
    expect(rows, 'the 6 specific prices of the file').to.have.length(6);
    const keys = rows.map((s) => `${String(s.id_product)}/${String(s.id_group)}/${String(s.id_customer)}/${String(s.from_quantity)}`);
    expect(new Set(keys).size).to.equal(6);
    const posts = ws.shop.requests.filter((r) => r.method === 'POST' && r.path === '/api/specific_prices');
    const report = await reportOf(ws, 'export.txt');
    expect(report.rejects.filter((r) => r.pipeline === 'prices').map((r) => r.key), 'the adopted one is not taken for a hand-made one').to.deep.equal(['ART004|tarif:5', 'ART007|tarif:1']);
    expect(posts.map((r) => r.status), 'one POST per specific price across both runs, none refused as a duplicate').to.deep.equal([201, 201, 201, 201, 201, 201]);
  });
});
