// Hostile files as `prestasync run` shows them (issue #7, audit): a name too long for the work folder and a file
// another account owns with mode 000 — the two files the issue saw stop every run — dropped beside a healthy
// one. The run exits with a report for each, in French, with no stack trace on the console, and applies the
// healthy file in the same run.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileReport } from '../../src/report.ts';
import { listTree, makeWorkspace, type Workspace } from '../support/workspace.ts';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'prestasync.js');
/** The account prestasync runs as, when the tests run as root (who reads a mode-000 file anyway). */
const NOBODY = 65534;

interface Result { code: number | null; stdout: string; stderr: string }

function run(ws: Workspace, uid: number | undefined): Promise<Result> {
  const child = spawn(process.execPath, [BIN, 'run', '--config', ws.configFile], {
    cwd: ws.root, stdio: ['ignore', 'pipe', 'pipe'], ...(uid === undefined ? {} : { uid, gid: uid }),
    env: { ...process.env, HOME: ws.root },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

async function chownTree(dir: string, uid: number): Promise<void> {
  await fs.chown(dir, uid, uid);
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await chownTree(p, uid);
    else await fs.chown(p, uid, uid);
  }
}

describe('hostile files as `prestasync run` shows them', function () {
  this.timeout(60000);
  let ws: Workspace;
  beforeEach(async () => { ws = await makeWorkspace({ products: [{ reference: 'VIS-4X40', quantity: 5 }, { reference: 'CHEVILLE-6', quantity: 3 }] }); });
  afterEach(async () => { await ws.close(); });

  it('a 255-byte name and an unreadable file each get a French report, no stack trace, and the healthy file beside them is applied', async () => {
    const longest = `${'x'.repeat(251)}.csv`;
    await ws.dropStock(longest, [['VIS-4X40', '1', '11', '0']]);
    const unreadable = await ws.dropStock('stock_interdit.csv', [['VIS-4X40', '1', '12', '0']]);
    await ws.dropStock('stock_sain.csv', [['CHEVILLE-6', '1', '13', '0']]);
    // prestasync runs as another account than the file's owner: as root, run it as nobody over a workspace
    // it owns, the unreadable file staying root's.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) await chownTree(ws.root, NOBODY);
    await fs.chown(unreadable, 0, 0).catch(() => { /* not root: the file is already someone's own, mode 000 suffices */ });
    await fs.chmod(unreadable, 0o000);

    const r = await run(ws, asRoot ? NOBODY : undefined);
    const out = r.stdout + r.stderr;
    expect(r.code, out).to.equal(1);
    expect(out, 'no stack trace on the console').to.not.match(/^\s+at /m);
    expect(out).to.not.contain('ENAMETOOLONG:').and.not.contain('permission denied');
    expect(out).to.contain('stock_interdit.csv').and.contain('accès refusé');
    expect(ws.quantityOf('CHEVILLE-6'), 'the healthy file applied in the same run').to.equal(13);
    expect(ws.quantityOf('VIS-4X40'), 'the long name applied, the unreadable file not read').to.equal(11);

    const all = await listTree(ws.archive);
    const reports = await Promise.all(all.filter((f) => f.endsWith('.report.json'))
      .map(async (f) => ({ f, report: JSON.parse(await fs.readFile(path.join(ws.archive, f), 'utf8')) as FileReport })));
    const byName = Object.fromEntries(reports.map((x) => [x.report.file, x]));
    expect(Object.keys(byName).sort()).to.deep.equal(['stock_interdit.csv', 'stock_sain.csv', longest].sort());
    expect(byName[longest]!.report.status).to.equal('done');
    expect(byName['stock_interdit.csv']!.report.status).to.equal('quarantined');
    expect(byName['stock_interdit.csv']!.f).to.match(/^quarantine\//);
    expect(byName['stock_interdit.csv']!.report.reason).to.contain('accès refusé').and.contain('(EACCES)');
    expect(all.filter((f) => f.startsWith('quarantine/') && f.endsWith('/stock_interdit.csv'))).to.have.length(1);
    expect(await listTree(ws.drop), 'nothing left to block the next run').to.deep.equal([]);
    const log = (await Promise.all((await fs.readdir(path.join(ws.root, 'logs'))).map((f) => fs.readFile(path.join(ws.root, 'logs', f), 'utf8')))).join('');
    expect(log, 'the technical detail is in the log').to.contain('EACCES: permission denied');

    const again = await run(ws, asRoot ? NOBODY : undefined);
    expect(again.code, again.stdout + again.stderr).to.equal(0);
    expect(again.stdout).to.contain('Aucun fichier à traiter');
  });
});
