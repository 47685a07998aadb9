// The command line as an integrator uses it: exit codes, `status`, and `start` until SIGTERM.
import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { listTree, makeWorkspace, type Workspace } from '../support/workspace.ts';
import { formatRunSummary } from '../../src/cli/print.ts';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'prestasync.js');

interface Result { code: number | null; stdout: string; stderr: string }

function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): { child: ChildProcessByStdio<null, Readable, Readable>; done: Promise<Result>; kill: (s: NodeJS.Signals) => void } {
  const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return {
    child,
    done: new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr }))),
    kill: (s) => child.kill(s),
  };
}

describe('command line', function () {
  this.timeout(60000);
  let ws: Workspace;
  beforeEach(async () => { ws = await makeWorkspace({ products: [{ reference: 'VIS-4X40', quantity: 1 }] }); });
  afterEach(async () => { await ws.close(); });

  it('--help runs from the compiled dist/ (built by npm install), without loading SQLite, the logger or the ERP readers', async () => {
    const debug = { PRESTASYNC_DEBUG: '1' };
    // Sources edited since the last build (or no build yet): the bin would run them through tsx, so build
    // first — this test is about what `npm install` ships.
    if ((await cli(['--help'], ws.root, debug).done).stderr.includes('tsx')) {
      const b = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'build.js')], { encoding: 'utf8' });
      expect(b.status, b.stderr + b.stdout).to.equal(0);
    }
    expect(existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js'))).to.equal(true);
    const hook = path.join(ws.root, 'resolve-hook.mjs');
    await fs.writeFile(hook, 'export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write(`chargé ${r.url}\\n`); return r; }\n');
    const register = `data:text/javascript,import{register}from'node:module';register(${JSON.stringify(pathToFileURL(hook).href)})`;
    const r = await cli(['--help'], ws.root, debug, ['--import', register]).done;
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('prestasync');
    const loaded = r.stderr.split('\n').filter((l) => l.startsWith('chargé ')).map((l) => l.slice('chargé '.length));
    expect(loaded.filter((u) => u.includes('/dist/src/cli/main.js'))).to.have.length(1);
    expect(loaded.filter((u) => u.endsWith('.ts'))).to.deep.equal([]);
    expect(loaded.filter((u) => /better-sqlite3|winston|exceljs|ssh2|chokidar|tsx/.test(u))).to.deep.equal([]);
    expect(r.stderr.split('\n').filter((l) => l && !l.startsWith('chargé '))).to.deep.equal([]);
  });

  it('speaks French: help of the program and of every command, and commander\'s own errors', async () => {
    const english = /\b(Usage|Commands|display help|default:|the|only|watch|manual|machine-readable|how many|until stopped|error:|unknown|Did you mean)\b/;
    const main = await cli(['--help'], ws.root).done;
    expect(main.stdout).to.contain('Utilisation : prestasync [options] [commande]');
    expect(main.stdout).to.contain('Commandes :');
    const names = [...main.stdout.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]!).filter((n) => n !== 'help');
    expect(names).to.include.members(['start', 'run', 'orders', 'status', 'check', 'demo', 'sandbox']);
    for (const text of [main.stdout, ...await Promise.all(names.map(async (n) => (await cli([n, '--help'], ws.root).done).stdout))]) {
      expect(text).to.contain('afficher l’aide');
      expect(text).not.to.match(english);
    }
    const typo = await cli(['stauts'], ws.root).done;
    expect(typo.code).to.equal(1);
    expect(typo.stderr).to.contain("erreur : commande inconnue 'stauts'\n(Vouliez-vous dire status ?)");
    const option = await cli(['run', '--bogus'], ws.root).done;
    expect(option.stderr).to.contain("erreur : option inconnue '--bogus'");
    expect(typo.stderr + option.stderr).not.to.match(english);
  });

  it('exits 2 and lists every problem of a bad configuration, without the key', async () => {
    const file = path.join(ws.root, 'bad.yaml');
    await fs.writeFile(file, 'erp:\n  profile: odoo\nshop:\n  key: ${PRESTASHOP_KEY}\n');
    const r = await cli(['run', '--config', file], ws.root, { PRESTASHOP_KEY: 'SECRETKEYSECRETKEYSECRETKEY12' }).done;
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('erp.profile:');
    expect(r.stderr).to.contain('shop.url: requis');
    expect(r.stderr).to.contain('shop.key:');
    expect(r.stderr + r.stdout).not.to.contain('SECRETKEYSECRETKEY');
  });

  it('status needs no shop key; run, orders and check still refuse to start without it', async () => {
    const raw = JSON.parse(await fs.readFile(ws.configFile, 'utf8')) as { shop: Record<string, unknown> };
    const file = path.join(ws.root, 'sans-cle.yaml');
    await fs.writeFile(file, JSON.stringify({ ...raw, shop: { ...raw.shop, key: '${PRESTASHOP_KEY}' } }));
    const noKey = { PRESTASHOP_KEY: '' };
    const status = await cli(['status', '--config', file], ws.root, noKey).done;
    expect(status.code, status.stderr).to.equal(0);
    expect(status.stdout).to.contain('Aucune exécution enregistrée.');
    for (const command of ['run', 'orders', 'check']) {
      const r = await cli([command, '--config', file], ws.root, noKey).done;
      expect(r.code, `${command}: ${r.stderr}`).to.equal(2);
      expect(r.stderr).to.contain("shop.key: variable d'environnement PRESTASHOP_KEY absente ou vide");
    }
    // Without the key, every other problem is still reported.
    await fs.writeFile(file, JSON.stringify({ ...raw, erp: { profile: 'odoo' }, shop: { ...raw.shop, key: '${PRESTASHOP_KEY}' } }));
    const bad = await cli(['status', '--config', file], ws.root, noKey).done;
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain('erp.profile:');
    expect(bad.stderr).not.to.contain('shop.key');
  });

  it('run: exit 0 with record rejects, exit 1 when a file is quarantined; status shows the runs', async () => {
    await ws.dropStock('stock_1.csv', [['VIS-4X40', '1', '8', '0'], ['INCONNU', '1', '1', '0']]);
    const ok = await cli(['run', '--config', ws.configFile], ws.root).done;
    expect(ok.code, ok.stderr).to.equal(0);
    expect(ok.stdout).to.contain('traité partiellement');
    expect(ok.stdout).to.contain('référence inconnue dans la boutique : INCONNU');
    await fs.writeFile(path.join(ws.drop, 'photo.bmp'), Buffer.from('BM'));
    const bad = await cli(['run', '--config', ws.configFile], ws.root).done;
    expect(bad.code).to.equal(1);
    expect(bad.stdout).to.contain('mis en quarantaine');
    const status = await cli(['status', '--json', '--config', ws.configFile], ws.root).done;
    const runs = JSON.parse(status.stdout) as Array<{ status: string; summary: { files: Array<{ name: string; status: string }> } }>;
    expect(runs.map((r) => r.summary.files.map((f) => `${f.name}:${f.status}`))).to.deep.equal([['photo.bmp:quarantined'], ['stock_1.csv:partial']]);
    const text = await cli(['status', '--config', ws.configFile], ws.root).done;
    expect(text.stdout).to.match(/stock_1\.csv : partial — lus 2, créés 0, mis à jour 1, inchangés 0, rejetés 1/);
  });

  it('run: says what the drop folder holds that it did not take, and names a blocked file as such', async () => {
    await ws.dropStock('stock_2.csv', [['VIS-4X40', '1', '5', '0']]);
    await fs.symlink('/etc/passwd', path.join(ws.drop, 'lien.csv'));
    const r = await cli(['run', '--config', ws.configFile], ws.root).done;
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('1 élément(s) du dossier de dépôt non pris en charge (laissés en place) :');
    expect(r.stdout).to.contain(`    ${path.join('drop', 'lien.csv')} : lien symbolique refusé`);
    expect(r.stdout).to.match(/archivé : archive\/.*stock_2\.csv /);
    const status = await cli(['status', '--config', ws.configFile], ws.root).done;
    expect(status.stdout).to.contain(`non pris en charge : ${path.join('drop', 'lien.csv')} — lien symbolique refusé`);
    const blocked = formatRunSummary({
      files: [{ name: 'stock_3.csv', outcome: { status: 'blocked', reason: 'disque plein ; le fichier n\'a pas pu être mis en quarantaine' } }],
      ignored: [], shop: [], pulled: 0, exitCode: 1,
    }, { dryRun: false });
    expect(blocked).to.equal('stock_3.csv : BLOQUÉ, à déplacer à la main — disque plein ; le fichier n\'a pas pu être mis en quarantaine\n');
  });

  it('run: SIGTERM sends nothing new, lets the requests in flight finish, and the next run completes the file', async () => {
    const refs = Array.from({ length: 60 }, (_, i) => `ART-${String(i).padStart(3, '0')}`);
    const big = await makeWorkspace({ products: refs.map((reference) => ({ reference, quantity: 1 })) });
    try {
      await big.dropStock('stock_gros.csv', refs.map((r, i) => [r, '1', String(300 + i), '0']));
      const patches = () => big.shop.requests.filter((q) => q.method === 'PATCH').length;
      const run = cli(['run', '--config', big.configFile], big.root);
      let stderr = '';
      let arrived = 0;
      let atSignal = -1;
      big.shop.onRequest((q) => {
        if (q.method !== 'PATCH' || ++arrived !== 9) return;
        atSignal = arrived;
        // The shop holds its answers until the child has taken the signal: what arrives after is what it
        // had already started.
        const release = big.shop.hold();
        run.child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); if (stderr.includes('Arrêt demandé (SIGTERM)')) release(); });
        run.kill('SIGTERM');
      });
      const r = await run.done;
      expect(atSignal, 'the signal was sent mid-file').to.equal(9);
      expect(r.stderr).to.contain('Arrêt demandé (SIGTERM)');
      expect(r.code, r.stderr).to.equal(1);
      expect(r.stdout).to.contain('stock_gros.csv : reporté au prochain passage');
      // What had been sent (at most shop.concurrency requests in flight) finishes; nothing new goes out.
      expect(arrived - atSignal, 'PATCHes after SIGTERM').to.be.at.most(4);
      expect(patches()).to.be.lessThan(60);
      const again = await cli(['run', '--config', big.configFile], big.root).done;
      expect(again.code, again.stderr).to.equal(0);
      expect(patches(), 'each record written once across both runs').to.equal(60);
      for (const [i, ref] of refs.entries()) expect(big.quantityOf(ref), ref).to.equal(300 + i);
    } finally {
      await big.close();
    }
  });

  it('start: takes a file dropped while it runs, and stops cleanly on SIGTERM', async () => {
    const service = cli(['start', '--config', ws.configFile], ws.root);
    await new Promise((r) => setTimeout(r, 2500));
    await ws.dropStock('stock_live.csv', [['VIS-4X40', '1', '27', '0']]);
    const deadline = Date.now() + 30000;
    while (ws.quantityOf('VIS-4X40') !== 27 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(ws.quantityOf('VIS-4X40')).to.equal(27);
    while (!(await listTree(ws.archive)).some((f) => f.endsWith('stock_live.csv.report.json')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    service.kill('SIGTERM');
    const r = await service.done;
    expect(r.code).to.equal(0);
    expect(r.stdout + r.stderr).to.contain('prestasync arrêté');
  });
});
