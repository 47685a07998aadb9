// kill -9 at exact steps (issue #7), chosen by progress — a named crash point or the k-th request the shop
// sees — never by a timer: one file, one report, whatever the kill point; the report of a resumed file
// says what the file did to the shop across its runs; a stop (SIGTERM) sends nothing new.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileReport } from '../../src/report.ts';
import { listTree, makeWorkspace, type Workspace } from '../support/workspace.ts';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'prestasync.js');
const N = 60;
const refs = Array.from({ length: N }, (_, i) => `ART-${String(i).padStart(3, '0')}`);

function cli(ws: Workspace, args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; output: string }> } {
  const child = spawn(process.execPath, [BIN, ...args, '--config', ws.configFile], { cwd: ws.root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
  const done = new Promise<{ code: number | null; signal: string | null; output: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, output })));
  return { child, done };
}

const patches = (ws: Workspace) => ws.shop.requests.filter((r) => r.method === 'PATCH' && r.status === 200).length;

async function archived(ws: Workspace, name: string): Promise<{ files: string[]; report: FileReport }> {
  const all = await listTree(ws.archive);
  const files = all.filter((f) => path.basename(f).startsWith(name.replace(/\.csv$/, '')));
  const report = files.find((f) => f.endsWith('.report.json'));
  expect(report, `a report for ${name} in ${JSON.stringify(all)}`).to.be.a('string');
  return { files, report: JSON.parse(await fs.readFile(path.join(ws.archive, report!), 'utf8')) as FileReport };
}

describe('crash points (kill -9 at an exact step, then a restart)', function () {
  this.timeout(120000);
  let ws: Workspace;
  beforeEach(async () => { ws = await makeWorkspace({ products: refs.map((reference) => ({ reference, quantity: 1 })) }); });
  afterEach(async () => { await ws.close(); });

  // atomic-write.temp-open:2 — the JSON report's temporary file just opened, empty (the text report is the 1st).
  for (const point of ['atomic-write.temp-open:1', 'atomic-write.temp-open:2', 'archive.reports-written', 'archive.file-moved']) {
    it(`leaves one file and one report when killed at ${point}`, async () => {
      await ws.dropStock('stock_x.csv', refs.map((r, i) => [r, '1', String(10 + i), '0']));
      const killed = await cli(ws, ['run'], { PRESTASYNC_CRASH_AT: point }).done;
      expect(killed.signal, killed.output).to.equal('SIGKILL');
      const again = await cli(ws, ['run']).done;
      expect(again.code, again.output).to.equal(0);
      const { files, report } = await archived(ws, 'stock_x.csv');
      expect(files.map((f) => path.basename(f)).sort()).to.deep.equal(['stock_x.csv', 'stock_x.csv.rapport.txt', 'stock_x.csv.report.json']);
      expect((await listTree(ws.archive)).filter((f) => f.endsWith('.tmp')), 'no temporary file left').to.deep.equal([]);
      expect(report.records).to.include({ read: N, updated: N, unchanged: 0 });
      expect(report.writes).to.equal(N);
      expect(patches(ws)).to.equal(N);
      expect(await listTree(ws.drop)).to.deep.equal([]);
    });
  }

  it('reports what a resumed file did across its runs: killed at the 20th write, the report counts every update', async () => {
    await ws.dropStock('stock_y.csv', refs.map((r, i) => [r, '1', String(100 + i), '0']));
    const first = cli(ws, ['run']);
    let seen = 0;
    ws.shop.onRequest((r) => { if (r.method === 'PATCH' && ++seen === 20) first.child.kill('SIGKILL'); });
    expect((await first.done).signal).to.equal('SIGKILL');
    const again = await cli(ws, ['run']).done;
    expect(again.code, again.output).to.equal(0);
    const { report } = await archived(ws, 'stock_y.csv');
    expect(report.records).to.deep.equal({ read: N, created: 0, updated: N, unchanged: 0, rejected: 0 });
    // Writes whose answer the kill cut off (at most shop.concurrency in flight) cannot be known to prestasync.
    expect(report.writes, 'writes of both runs').to.be.within(patches(ws) - 4, patches(ws));
    expect(report.resumed?.records).to.be.greaterThan(0);
    for (const [i, r] of refs.entries()) expect(ws.quantityOf(r), r).to.equal(100 + i);
  });

  it('stops on SIGTERM without sending what was not sent yet, and finishes the file at the next start', async () => {
    await ws.dropStock('stock_z.csv', refs.map((r, i) => [r, '1', String(200 + i), '0']));
    const service = cli(ws, ['start']);
    let arrived = 0;
    let atSignal = -1;
    let out = '';
    service.child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    service.child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
    ws.shop.onRequest((r) => {
      if (r.method !== 'PATCH' || ++arrived !== 9) return;
      atSignal = arrived;
      // The shop holds its answers until the child has taken the signal: what it sends meanwhile is what it
      // had started; nothing may follow.
      const release = ws.shop.hold();
      service.child.kill('SIGTERM');
      const wait = (): void => { if (/SIGTERM/i.test(out)) release(); else setTimeout(wait, 10); };
      wait();
    });
    const stopped = await service.done;
    expect(atSignal, 'the signal was sent mid-file').to.be.greaterThan(0);
    const arrivedAfter = arrived - atSignal;
    // What had been sent (at most shop.concurrency requests in flight) finishes; nothing new goes out.
    expect(arrivedAfter, 'PATCHes arriving after SIGTERM').to.be.at.most(4);
    expect(stopped.code, stopped.output).to.equal(0);
    expect(patches(ws)).to.be.lessThan(N);
    const again = await cli(ws, ['run']).done;
    expect(again.code, again.output).to.equal(0);
    expect(patches(ws), 'each record written once across both runs').to.equal(N);
    for (const [i, r] of refs.entries()) expect(ws.quantityOf(r), r).to.equal(200 + i);
  });
  it('on SIGTERM while the shop never answers, gives up the requests in flight after one timeout and sends nothing more', async () => {
    // A shop that hangs: the requests sent when the signal comes end by their timeout; none is retried.
    const raw = JSON.parse(await fs.readFile(ws.configFile, 'utf8')) as { shop: Record<string, unknown> };
    raw.shop.timeoutMs = 1000;
    await fs.writeFile(ws.configFile, JSON.stringify(raw, null, 2));
    await ws.dropStock('stock_h.csv', refs.map((r, i) => [r, '1', String(400 + i), '0']));
    const run = cli(ws, ['run']);
    let arrived = 0;
    let atSignal = -1;
    ws.shop.onRequest((r) => {
      if (r.method !== 'PATCH' || ++arrived !== 9) return;
      atSignal = arrived;
      ws.shop.hold(); // never released: every answer from now on hangs
      run.child.kill('SIGTERM');
    });
    const stopped = await run.done;
    expect(atSignal, 'the signal was sent mid-file').to.equal(9);
    expect(stopped.signal, stopped.output).to.equal(null);
    expect(stopped.output).to.contain('Arrêt demandé (SIGTERM)').and.contain('stock_h.csv : reporté au prochain passage');
    expect(arrived - atSignal, 'PATCHes arriving after SIGTERM (no retry of a timed-out request)').to.be.at.most(4);
    expect(await listTree(path.join(ws.drop, '.work')), 'the file stays claimed for the next run').to.have.length(1);
  });
  it('quarantines a file whose processing kills the process each time (a poison file) at the 6th run, and applies the healthy file beside it', async () => {
    await ws.dropStock('stock_poison.csv', refs.map((r, i) => [r, '1', String(500 + i), '0']));
    for (let k = 1; k <= 5; k++) {
      const killed = await cli(ws, ['run'], { PRESTASYNC_CRASH_AT: 'load.done' }).done;
      expect(killed.signal, `run ${k}: ${killed.output}`).to.equal('SIGKILL');
    }
    await ws.dropStock('stock_sain.csv', [['ART-000', '1', '7', '0']], 'stock');
    const sixth = await cli(ws, ['run']).done;
    expect(sixth.code, sixth.output).to.equal(1);
    expect(sixth.output).to.contain('stock_poison.csv mis en quarantaine (flux stock) : fichier repris 5 fois sans que son traitement aboutisse');
    const { files, report } = await archived(ws, 'stock_poison.csv');
    expect(report.status).to.equal('quarantined');
    // The killed runs did write: the report must not say « Aucune modification de la boutique ».
    expect(report.writes, 'writes of the killed runs (those whose answer a kill cut off cannot be known)').to.be.within(1, patches(ws) - 1);
    expect(report.summary).to.contain(`${report.writes} écriture(s) faite(s) avant l'erreur`);
    expect(files.filter((f) => f.startsWith('quarantine/') && f.endsWith('/stock_poison.csv'))).to.have.length(1);
    expect((await archived(ws, 'stock_sain.csv')).report.status).to.equal('done');
    expect(ws.quantityOf('ART-000'), 'the healthy file, processed after the poison one').to.equal(7);
    expect(await listTree(ws.drop)).to.deep.equal([]);
  });
});
