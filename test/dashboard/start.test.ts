// `prestasync start` serves the dashboard beside the synchronisation, and goes on without it when its
// port is taken.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeWorkspace, type Workspace } from '../support/workspace.ts';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'prestasync.js');

/** Starts the service; resolves with its output once a line matches `until`, and a stop that waits for the exit. */
function start(config: string, cwd: string, until: RegExp): Promise<{ match: RegExpMatchArray; stop: () => Promise<{ code: number | null; output: string }> }> {
  const child = spawn(process.execPath, [BIN, 'start', '--config', config], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = until.exec(output);
      if (m) resolve({ match: m, stop: async () => { child.kill('SIGTERM'); return { code: await exited, output }; } });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`start s'est arrêté (code ${code}) :\n${output}`)));
  });
}

async function withConfig(ws: Workspace, dashboard: Record<string, unknown>): Promise<void> {
  const raw = JSON.parse(await fs.readFile(ws.configFile, 'utf8')) as Record<string, unknown>;
  await fs.writeFile(ws.configFile, JSON.stringify({ ...raw, dashboard }));
}

describe('prestasync start and the dashboard', function () {
  this.timeout(90_000);
  let ws: Workspace;
  beforeEach(async () => { ws = await makeWorkspace({ products: [{ reference: 'VIS-4X40', quantity: 1 }] }); });
  afterEach(async () => { await ws.close(); });

  it('serves the dashboard at the address it prints, and stops with the service', async () => {
    await withConfig(ws, { port: 0 });
    const s = await start(ws.configFile, ws.root, /tableau de bord : (http:\/\/127\.0\.0\.1:\d+)/);
    const page = await fetch(s.match[1]!);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.contain('Synchroniser maintenant');
    const r = await s.stop();
    expect(r.code, r.output).to.equal(0);
    expect(r.output).to.contain('prestasync arrêté');
  });

  it('a port already taken is told in French; the synchronisation runs on', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await withConfig(ws, { port });
      const s = await start(ws.configFile, ws.root, /tableau de bord non démarré[^\n]*/);
      expect(s.match[0]).to.contain(`le port ${port} est déjà pris`);
      expect(s.match[0]).to.contain('la synchronisation continue');
      const r = await s.stop();
      expect(r.code, r.output).to.equal(0);
    } finally {
      blocker.close();
    }
  });
});
