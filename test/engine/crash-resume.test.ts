// kill -9 in the middle of a file, then a restart: every record applied once, the file archived once.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listTree, makeWorkspace, type Workspace } from '../support/workspace.ts';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'prestasync.js');
const N = 300;

function runCli(ws: Workspace): { child: ChildProcess; done: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, 'run', '--config', ws.configFile], { cwd: ws.root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => {
    if (code !== 0 && code !== null) process.stderr.write(output);
    resolve(code);
  }));
  return { child, done };
}

describe('crash and resume (kill -9 of `prestasync run`)', function () {
  this.timeout(120000);
  let ws: Workspace;
  const refs = Array.from({ length: N }, (_, i) => `ART-${String(i).padStart(4, '0')}`);

  beforeEach(async () => {
    ws = await makeWorkspace({ products: refs.map((reference) => ({ reference, quantity: 1 })), latencyMs: 4 });
  });
  afterEach(async () => { await ws.close(); });

  it('applies every record exactly once and archives the file once', async () => {
    await ws.dropStock('stock_crash.csv', refs.map((r, i) => [r, '1', String(100 + i), '0']));
    const patches = () => ws.shop.requests.filter((r) => r.method === 'PATCH' && r.status === 200).length;

    const first = runCli(ws);
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => {
        if (patches() >= N / 3) {
          clearInterval(t);
          first.child.kill('SIGKILL');
          resolve();
        }
      }, 5);
      first.done.then(() => { clearInterval(t); reject(new Error('the run ended before it could be killed')); }, reject);
    });
    await first.done;
    const afterKill = patches();
    expect(afterKill).to.be.greaterThan(0).and.lessThan(N);

    const second = runCli(ws);
    expect(await second.done).to.equal(0);

    for (const [i, r] of refs.entries()) expect(ws.quantityOf(r), r).to.equal(100 + i);
    expect(patches(), 'one PATCH per changed record across both runs').to.equal(N);
    const archived = (await listTree(ws.archive)).filter((f) => f.endsWith('stock_crash.csv'));
    expect(archived).to.have.length(1);
    expect(await listTree(ws.drop)).to.deep.equal([]);
  });
});
