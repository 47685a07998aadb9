// Hostile files (issue #7): whatever is dropped, the run reports it, a healthy file beside it is processed
// in the same run, and nothing reaches the shop that the ERP did not mean.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { appendFileSync, promises as fs, readdirSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import type { AnyFilePipeline } from '../../src/pipeline.ts';
import type { FileReport } from '../../src/report.ts';
import { stock } from '../../pipelines/stock.ts';
import { failure } from '../support/failure.ts';
import { listTree, makeWorkspace, type Workspace } from '../support/workspace.ts';

const PRODUCTS = [
  { reference: 'VIS-4X40', quantity: 5 },
  { reference: 'VIS-BOIS-4X40', quantity: 1 },
  { reference: 'CHEVILLE-6', quantity: 3 },
];

async function reports(ws: Workspace): Promise<Array<{ path: string; report: FileReport }>> {
  const out = [];
  for (const f of (await listTree(ws.archive)).filter((x) => x.endsWith('.report.json'))) {
    out.push({ path: f, report: JSON.parse(await fs.readFile(path.join(ws.archive, f), 'utf8')) as FileReport });
  }
  return out;
}

describe('hostile files: one bad file never stops the others', () => {
  let ws: Workspace;
  beforeEach(async () => { ws = await makeWorkspace({ products: PRODUCTS }); });
  afterEach(async () => { await ws.close(); });

  it('processes a file whose name is too long for the work folder or the archive, under a shortened name, the original kept in the report', async () => {
    const long = `${'é'.repeat(110)}stock.csv`; // 229 bytes: too long once prefixed or suffixed
    const longest = `${'x'.repeat(251)}.csv`; // 255 bytes, the most a file name can hold
    await ws.dropStock(long, [['VIS-4X40', '1', '11', '0']], 'stock');
    await ws.dropStock(longest, [['CHEVILLE-6', '1', '12', '0']], 'stock');
    await ws.dropStock('stock_sain.csv', [['VIS-BOIS-4X40', '1', '13', '0']], 'stock');
    const summary = await (await ws.engine()).runOnce();
    expect(summary.files.map((f) => f.outcome.status)).to.deep.equal(['done', 'done', 'done']);
    expect([ws.quantityOf('VIS-4X40'), ws.quantityOf('CHEVILLE-6'), ws.quantityOf('VIS-BOIS-4X40')]).to.deep.equal([11, 12, 13]);
    const rs = await reports(ws);
    const forLong = rs.find((r) => r.report.file === long)!;
    expect(forLong.report.archivedAs).to.match(/~[0-9a-f]{8}\.csv$/);
    expect(Buffer.byteLength(path.basename(forLong.path))).to.be.at.most(255);
    expect(rs.find((r) => r.report.file === longest)?.report.status).to.equal('done');
    expect(await listTree(ws.drop)).to.deep.equal([]);
  });

  it('quarantines a file whose processing fails on the file system (EACCES), in French, and goes on with the next file', async () => {
    // What a file another account owns with mode 000 gives (the tests may run as root, who reads anything).
    const unreadable: AnyFilePipeline = {
      ...stock,
      parse: (file, ctx) => {
        if (!file.includes('interdit')) return stock.parse(file, ctx);
        throw Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: 'EACCES' });
      },
    };
    await ws.dropStock('stock_interdit.csv', [['VIS-4X40', '1', '11', '0']], 'stock');
    await ws.dropStock('stock_sain.csv', [['VIS-4X40', '1', '20', '0']], 'autre');
    const pipelines = [unreadable, { ...stock, name: 'autre' }];
    const summary = await (await ws.engine({ pipelines })).runOnce();
    const byName = Object.fromEntries(summary.files.map((f) => [f.name, f.outcome]));
    expect(byName['stock_interdit.csv']?.status).to.equal('quarantined');
    const q = byName['stock_interdit.csv'];
    if (!q || !('report' in q)) throw new Error('no report');
    expect(q.report.reason).to.contain('accès refusé').and.contain('(EACCES)');
    expect(byName['stock_sain.csv']?.status).to.equal('done');
    expect(ws.quantityOf('VIS-4X40')).to.equal(20);
    const quarantine = await listTree(path.join(ws.archive, 'quarantine'));
    expect(quarantine.filter((f) => f.endsWith('stock_interdit.csv'))).to.have.length(1);
    expect(quarantine.filter((f) => f.endsWith('stock_interdit.csv.report.json'))).to.have.length(1);
  });

  it('leaves a file that cannot even be quarantined where it is, says so in French in the run history, and goes on with the next file', async () => {
    const failing: AnyFilePipeline = {
      ...stock,
      parse: (file, ctx) => {
        if (!file.includes('interdit')) return stock.parse(file, ctx);
        throw Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: 'EACCES' });
      },
    };
    // The quarantine folder cannot be made (a file stands where it should be): ENOTDIR, root or not.
    await fs.mkdir(ws.archive, { recursive: true });
    await fs.writeFile(path.join(ws.archive, 'quarantine'), '');
    await ws.dropStock('stock_interdit.csv', [['VIS-4X40', '1', '11', '0']], 'stock');
    await ws.dropStock('stock_sain.csv', [['CHEVILLE-6', '1', '21', '0']], 'autre');
    const engine = await ws.engine({ pipelines: [failing, { ...stock, name: 'autre' }] });
    const summary = await engine.runOnce();
    const byName = Object.fromEntries(summary.files.map((f) => [f.name, f.outcome]));
    const blocked = byName['stock_interdit.csv'];
    expect(blocked?.status).to.equal('blocked');
    if (blocked?.status !== 'blocked') throw new Error('not blocked');
    expect(blocked.reason).to.contain('accès refusé').and.contain("le fichier n'a pas pu être mis en quarantaine").and.contain('déplacez-le à la main');
    expect(blocked.reason).to.contain(path.join(ws.drop, '.work'));
    expect(summary.exitCode).to.equal(1);
    expect(byName['stock_sain.csv']?.status).to.equal('done');
    expect(ws.quantityOf('CHEVILLE-6')).to.equal(21);
    expect(ws.quantityOf('VIS-4X40')).to.equal(5);
    expect((await listTree(path.join(ws.drop, '.work'))).filter((f) => f.endsWith('stock_interdit.csv')), 'left where it is, not lost').to.have.length(1);
    expect(engine.state.recentRuns(1)[0]!.summary).to.contain('stock_interdit.csv').and.contain('déplacez-le à la main');
  });

  it('quarantines a file resumed too many times (a poison file) instead of retrying it forever', async () => {
    const file = await ws.dropStock('stock_poison.csv', [['VIS-4X40', '1', '11', '0']], 'stock');
    const engine = await ws.engine();
    // Five attempts that never finished, as five processes killed on this file would leave them.
    const work = path.join(ws.drop, '.work', 'stock', 'lx0abc123--stock_poison.csv');
    await fs.mkdir(path.dirname(work), { recursive: true });
    await fs.rename(file, work);
    const id = engine.state.beginFile({ sha256: null, pipeline: 'stock', name: 'stock_poison.csv', origin: 'local', workPath: work });
    for (let i = 0; i < 5; i++) engine.state.countAttempt(id);
    await ws.dropStock('stock_sain.csv', [['CHEVILLE-6', '1', '9', '0']]);
    const summary = await engine.runOnce();
    const poison = summary.files.find((f) => f.name === 'stock_poison.csv')!.outcome;
    expect(poison.status).to.equal('quarantined');
    if (!('report' in poison)) throw new Error('no report');
    expect(poison.report.reason).to.match(/^fichier repris 5 fois sans que son traitement aboutisse/);
    expect(ws.quantityOf('VIS-4X40'), 'the poison file wrote nothing').to.equal(5);
    expect(ws.quantityOf('CHEVILLE-6')).to.equal(9);
  });

  it('never follows a link out of the drop folder: a symlink is reported, its target never opened, --file refused', async () => {
    await fs.mkdir(path.join(ws.drop, 'stock'), { recursive: true });
    const link = path.join(ws.drop, 'stock', 'x.csv');
    await fs.symlink('/etc/passwd', link);
    await ws.dropStock('stock_sain.csv', [['VIS-4X40', '1', '31', '0']]);
    const engine = await ws.engine();
    const summary = await engine.runOnce();
    expect(summary.files.map((f) => [f.name, f.outcome.status])).to.deep.equal([['stock_sain.csv', 'done']]);
    expect(summary.ignored).to.deep.equal([{ path: link, reason: "lien symbolique refusé : seuls les fichiers ordinaires déposés dans le dossier sont lus (la cible du lien n'est jamais ouverte)" }]);
    const err = await failure(engine.runOnce({ file: link }));
    expect(err.message).to.contain('lien symbolique refusé').and.not.contain('root:');
    const outside = await failure(engine.runOnce({ file: '/etc/passwd' }));
    expect(outside.message).to.contain('seuls les fichiers du dossier de dépôt').and.not.contain('root:');
    const everything = JSON.stringify([summary, await reports(ws)]);
    expect(everything).to.not.contain('root:');
    expect((await fs.lstat(link)).isSymbolicLink(), 'the link is left where it is').to.equal(true);
  });

  it('reports a file in a sub-folder of a flow folder, and a FIFO, instead of leaving them silently', async () => {
    await ws.dropStock('stock_cache.csv', [['VIS-4X40', '1', '40', '0']], path.join('stock', 'sub'));
    execFileSync('mkfifo', [path.join(ws.drop, 'stock', 'tube.csv')]);
    await ws.dropStock('stock_sain.csv', [['CHEVILLE-6', '1', '41', '0']], 'stock');
    const summary = await (await ws.engine()).runOnce();
    expect(summary.files.map((f) => [f.name, f.outcome.status])).to.deep.equal([['stock_sain.csv', 'done']]);
    expect(summary.ignored.map((i) => [path.relative(ws.drop, i.path), i.reason])).to.have.deep.members([
      [path.join('stock', 'sub'), 'sous-dossier non lu : déposez les fichiers directement dans stock/'],
      [path.join('stock', 'tube.csv'), "ce n'est pas un fichier ordinaire (périphérique, tube, socket) : ignoré"],
    ]);
    const run = (await ws.engine()).state.recentRuns(1)[0]!;
    expect(run.summary).to.contain('sous-dossier non lu');
  });
});

describe('hostile files: never write a value the ERP did not mean', () => {
  let ws: Workspace;
  beforeEach(async () => { ws = await makeWorkspace({ products: PRODUCTS }); });
  afterEach(async () => { await ws.close(); });

  it('refuses two references that differ only by case, both landing on one product, naming each other', async () => {
    await ws.dropStock('stock_casse.csv', [['VIS-BOIS-4X40', '1', '10', '0'], ['vis-bois-4x40', '1', '3', '0'], ['VIS-4X40', '1', '8', '0']]);
    const outcome = (await (await ws.engine()).runOnce()).files[0]!.outcome;
    if (!('report' in outcome)) throw new Error('no report');
    expect(outcome.report.status).to.equal('partial');
    expect(outcome.report.rejects.map((r) => [r.line, r.key])).to.deep.equal([[2, 'VIS-BOIS-4X40'], [3, 'vis-bois-4x40']]);
    expect(outcome.report.rejects[0]!.reason).to.match(/^« VIS-BOIS-4X40 » et « vis-bois-4x40 » désignent le même objet de la boutique/);
    expect(outcome.report.rejects[1]!.reason).to.match(/^« vis-bois-4x40 » et « VIS-BOIS-4X40 » désignent le même objet de la boutique/);
    expect(ws.quantityOf('VIS-BOIS-4X40'), 'neither value written').to.equal(1);
    expect(ws.quantityOf('VIS-4X40')).to.equal(8);
  });

  it('refuses a reference whose warehouse appears twice with other quantities, instead of summing 10 + 3', async () => {
    await ws.dropStock('stock_double.csv', [['VIS-4X40', '1', '10', '0'], ['CHEVILLE-6', '1', '7', '0'], ['VIS-4X40', '1', '3', '0']]);
    const outcome = (await (await ws.engine()).runOnce()).files[0]!.outcome;
    if (!('report' in outcome)) throw new Error('no report');
    expect(outcome.report.rejects.map((r) => r.line)).to.deep.equal([2, 4]);
    expect(outcome.report.rejects[0]!.reason).to.contain('(lignes 2 : 10, et 4 : 3)');
    expect(ws.quantityOf('VIS-4X40')).to.equal(5);
    expect(ws.quantityOf('CHEVILLE-6')).to.equal(7);
  });

  it('archives exactly the bytes it processed when the file grows after its claim: read again, the added lines applied', async () => {
    const engine = await ws.engine();
    await ws.dropStock('stock_en_cours.csv', [['VIS-4X40', '1', '50', '0']]);
    let appended = false;
    // The first write of the run: another program appends through the handle it kept open.
    ws.shop.onRequest((r) => {
      if (r.method !== 'PATCH' || appended) return;
      appended = true;
      // Synchronously, before the shop answers: the run cannot have finished reading the file yet.
      const dir = path.join(ws.drop, '.work', '_');
      appendFileSync(path.join(dir, readdirSync(dir)[0]!), iconv.encode('CHEVILLE-6;1;51;0\r\n', 'windows-1252'));
    });
    const outcome = (await engine.runOnce()).files[0]!.outcome;
    if (!('report' in outcome)) throw new Error('no report');
    expect(appended).to.equal(true);
    expect(ws.quantityOf('CHEVILLE-6'), 'the appended line was applied').to.equal(51);
    const archived = (await listTree(ws.archive)).find((f) => f.endsWith('stock_en_cours.csv'))!;
    const { createHash } = await import('node:crypto');
    const sha = createHash('sha256').update(await fs.readFile(path.join(ws.archive, archived))).digest('hex');
    expect(outcome.report.sha256).to.equal(sha);
    expect(outcome.report.records.read).to.equal(2);
  });

  it('keeps a reason readable whatever the file holds: a header of 200,000 columns', async () => {
    const header = Array.from({ length: 200_000 }, (_, i) => `C${i}`).join(';');
    await fs.mkdir(path.join(ws.drop, 'stock'), { recursive: true });
    await fs.writeFile(path.join(ws.drop, 'stock', 'colonnes.csv'), `${header}\r\nA;1\r\n`);
    await ws.dropStock('stock_sain.csv', [['VIS-4X40', '1', '44', '0']]);
    const summary = await (await ws.engine()).runOnce();
    const q = summary.files.find((f) => f.name === 'colonnes.csv')!.outcome;
    if (!('report' in q)) throw new Error('no report');
    expect(q.status).to.equal('quarantined');
    expect(q.report.reason!.length).to.be.below(700);
    expect(q.report.summary.length).to.be.below(900);
    expect(ws.quantityOf('VIS-4X40')).to.equal(44);
    const text = (await listTree(ws.archive)).find((f) => f.endsWith('colonnes.csv.rapport.txt'))!;
    expect((await fs.stat(path.join(ws.archive, text))).size).to.be.below(4000);
  });
});
