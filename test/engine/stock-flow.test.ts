// The stock flow end to end against the sandbox shop: what an integrator sees in the shop and in archive/.
import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import type { FileReport } from '../../src/report.ts';
import { listTree, makeWorkspace, type Workspace } from '../support/workspace.ts';

const PRODUCTS = [
  { reference: 'VIS-4X40', quantity: 5 },
  { reference: 'ÉCROU-M6', quantity: 0 },
  { reference: 'RONDELLE-8', quantity: 12 },
  { reference: 'CHEVILLE-6', quantity: 3 },
];

async function readReport(archive: string, name: string): Promise<FileReport> {
  const file = (await listTree(archive)).find((f) => f.endsWith(`${name}.report.json`));
  expect(file, `report of ${name} in ${archive}`).to.be.a('string');
  return JSON.parse(await fs.readFile(path.join(archive, file!), 'utf8')) as FileReport;
}

describe('stock flow (drop folder → sandbox shop → archive)', () => {
  let ws: Workspace;
  beforeEach(async () => { ws = await makeWorkspace({ products: PRODUCTS }); });
  afterEach(async () => { await ws.close(); });

  it('sets available quantities (real − reserved, summed over warehouses) and archives the file with its report', async () => {
    await ws.dropStock('stock_20261128.csv', [
      ['VIS-4X40', '1', '40,000', '2,000'],
      ['VIS-4X40', '2', '10', '0'],
      ['ÉCROU-M6', '1', '7', '0'],
      ['RONDELLE-8', '1', '3', '5'],
      ['CHEVILLE-6', '1', '3', '0'],
    ]);
    const engine = await ws.engine();
    const summary = await engine.runOnce();
    expect(summary.exitCode).to.equal(0);
    expect(ws.quantityOf('VIS-4X40')).to.equal(48);
    expect(ws.quantityOf('ÉCROU-M6')).to.equal(7);
    expect(ws.quantityOf('RONDELLE-8'), 'negative available is pushed as 0').to.equal(0);
    expect(ws.quantityOf('CHEVILLE-6')).to.equal(3);

    const report = await readReport(ws.archive, 'stock_20261128.csv');
    expect(report).to.include({ pipeline: 'stock', file: 'stock_20261128.csv', status: 'done' });
    expect(report.sha256).to.match(/^[0-9a-f]{64}$/);
    expect(report.records).to.deep.equal({ read: 5, created: 0, updated: 3, unchanged: 1, rejected: 0 });
    expect(report.writes).to.equal(3);
    expect(report.summary).to.match(/traité/);
    const tree = await listTree(ws.archive);
    expect(tree.some((f) => /^\d{4}\/\d{2}\/\d{2}\/stock\/stock_20261128\.csv$/.test(f))).to.equal(true);
    expect(await listTree(ws.drop), 'nothing left in the drop folder').to.deep.equal([]);
  });

  it('archives the same file again as a duplicate without any write', async () => {
    const rows: Array<[string, string, string, string]> = [['VIS-4X40', '1', '9', '0']];
    await ws.dropStock('stock_a.csv', rows);
    await (await ws.engine()).runOnce();
    const writes = ws.shop.writeCount();
    await ws.dropStock('stock_a.csv', rows);
    const summary = await (await ws.engine()).runOnce();
    expect(summary.files[0]?.outcome.status).to.equal('duplicate');
    expect(ws.shop.writeCount()).to.equal(writes);
    const tree = await listTree(ws.archive);
    expect(tree.filter((f) => f.endsWith('.csv'))).to.have.length(2);
    expect(tree.some((f) => f.endsWith('stock_a (2).csv')), 'second copy kept under a suffixed name').to.equal(true);
  });

  it('makes no write for the same data in a new file', async () => {
    await ws.dropStock('stock_1.csv', [['VIS-4X40', '1', '9', '0'], ['CHEVILLE-6', '1', '4', '0']]);
    await (await ws.engine()).runOnce();
    const writes = ws.shop.writeCount();
    // Each run asks the shop its version and languages once; beyond that, nothing.
    const dataRequests = () => ws.shop.requests.filter((r) => r.path !== '/api/' && r.path !== '/api/languages').length;
    const requests = dataRequests();
    await ws.dropStock('stock_2.csv', [['CHEVILLE-6', '1', '4,00', '0'], ['VIS-4X40', '1', '9', '0']]);
    const summary = await (await ws.engine()).runOnce();
    const outcome = summary.files[0]!.outcome;
    expect(outcome.status).to.equal('done');
    expect(ws.shop.writeCount()).to.equal(writes);
    expect(dataRequests(), 'not even a read: the identity map and fingerprints answer').to.equal(requests);
    expect('report' in outcome && outcome.report.records.unchanged).to.equal(2);
  });

  it('rejects bad rows with their line and reason and applies the rest (partial)', async () => {
    await ws.dropStock('stock_bad.csv', [
      ['VIS-4X40', '1', '11', '0'],
      ['INCONNU-1', '1', '5', '0'],
      ['', '1', '5', '0'],
      ['CHEVILLE-6', '1', 'douze', '0'],
      ['RONDELLE-8', '1', '2', '0'],
    ]);
    const summary = await (await ws.engine()).runOnce();
    expect(summary.exitCode).to.equal(0);
    const report = await readReport(ws.archive, 'stock_bad.csv');
    expect(report.status).to.equal('partial');
    expect(report.records.rejected).to.equal(3);
    expect(report.rejects.map((r) => r.line)).to.deep.equal([3, 4, 5]);
    expect(report.rejects[0]).to.include({ key: 'INCONNU-1' });
    expect(report.rejects[0]!.reason).to.match(/inconnue/);
    expect(report.rejects[2]!.reason).to.match(/douze/);
    // The same report in plain French for whoever opens the archive folder.
    const textFile = (await listTree(ws.archive)).find((f) => f.endsWith('stock_bad.csv.rapport.txt'))!;
    const text = await fs.readFile(path.join(ws.archive, textFile), 'utf8');
    expect(text).to.match(/^\uFEFFRapport de synchronisation — stock_bad\.csv\r\n/);
    expect(text).to.contain('Statut          : traité partiellement');
    expect(text).to.match(/ligne +3 {2}INCONNU-1 +référence inconnue dans la boutique : INCONNU-1\r\n/);
    expect(ws.quantityOf('VIS-4X40')).to.equal(11);
    expect(ws.quantityOf('RONDELLE-8')).to.equal(2);
  });

  it('quarantines an unreadable file and an unroutable one, keeping their bytes', async () => {
    const bad = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('AR_Ref;DE_No;AS_QteSto;AS_QteRes\r\nVIS-4X40;1;3;0\r\n')]);
    await fs.writeFile(path.join(ws.drop, 'stock_bom.csv'), bad);
    await fs.writeFile(path.join(ws.drop, 'notes-reunion.docx'), Buffer.from('PK\u0003\u0004 not ours'));
    const summary = await (await ws.engine()).runOnce();
    expect(summary.exitCode).to.equal(1);
    expect(summary.files.map((f) => f.outcome.status)).to.deep.equal(['quarantined', 'quarantined']);
    const tree = await listTree(path.join(ws.archive, 'quarantine'));
    const kept = tree.find((f) => f.endsWith('stock_bom.csv'))!;
    expect(await fs.readFile(path.join(ws.archive, 'quarantine', kept))).to.deep.equal(bad);
    const bomReport = await readReport(ws.archive, 'stock_bom.csv');
    expect(bomReport.status).to.equal('quarantined');
    expect(bomReport.reason).to.match(/BOM|UTF-8/);
    const docReport = await readReport(ws.archive, 'notes-reunion.docx');
    expect(docReport.reason).to.match(/non reconnu/);
    expect(ws.shop.writeCount()).to.equal(0);
    expect(ws.quantityOf('VIS-4X40')).to.equal(5);
  });

  it('leaves files still being written alone: *.part, *.tmp, dot files, and a file whose size is still changing', async () => {
    await ws.close();
    ws = await makeWorkspace({ products: PRODUCTS, config: { intake: { stableMs: 400 } } });
    for (const name of ['stock_a.csv.part', 'stock_b.tmp', '.stock_c.csv']) await fs.writeFile(path.join(ws.drop, name), 'AR_Ref;DE_No;AS_QteSto;AS_QteRes\r\nVIS-4X40;1;50;0\r\n');
    const growing = path.join(ws.drop, 'stock_growing.csv');
    await fs.writeFile(growing, 'AR_Ref;DE_No;AS_QteSto;AS_QteRes\r\n');
    const writer = setInterval(() => { void fs.appendFile(growing, 'VIS-4X40;1;50;0\r\n'); }, 50);
    try {
      const summary = await (await ws.engine()).runOnce();
      expect(summary.files).to.deep.equal([]);
    } finally {
      clearInterval(writer);
    }
    expect(ws.shop.writeCount()).to.equal(0);
    expect((await fs.readdir(ws.drop)).sort()).to.deep.equal(['.stock_c.csv', 'stock_a.csv.part', 'stock_b.tmp', 'stock_growing.csv']);
  });

  it('recognises a Sage "Format Sage" export by its content wherever dropped, and refuses a record cut short with its line', async () => {
    await fs.writeFile(path.join(ws.drop, 'EXPORT.TXT'), iconv.encode('#FLG 000\r\n#VER 33\r\n#CART\r\nVIS-4X40\r\n#FIN\r\n', 'cp850'));
    const summary = await (await ws.engine()).runOnce();
    expect(summary.files[0]?.outcome.status).to.equal('partial');
    const report = await readReport(ws.archive, 'EXPORT.TXT');
    expect(report.document?.format).to.equal('format-sage');
    // a #CART cut short is refused with its line rather than read shifted, not a quarantine of the file
    expect(report.rejects).to.deep.equal([{ line: 3, key: '#CART', reason: '#CART de 1 ligne(s), attendu : 76 lignes plus 2 par valeur répétée (#VER 33) ; enregistrement refusé plutôt que lu décalé' }]);
  });

  it('routes by folder: drop/stock/<any name>', async () => {
    await ws.dropStock('export du jour.txt', [['VIS-4X40', '1', '21', '0']], 'stock');
    const summary = await (await ws.engine()).runOnce();
    expect(summary.files[0]?.outcome.status).to.equal('done');
    expect(ws.quantityOf('VIS-4X40')).to.equal(21);
  });

  it('retries while the shop answers 503 and loses nothing', async () => {
    await ws.dropStock('stock_503.csv', [['VIS-4X40', '1', '31', '0'], ['CHEVILLE-6', '1', '32', '0']]);
    ws.shop.injectFaults({ status: 503, count: 6 });
    const summary = await (await ws.engine()).runOnce();
    expect(summary.files[0]?.outcome.status).to.equal('done');
    expect(ws.quantityOf('VIS-4X40')).to.equal(31);
    expect(ws.quantityOf('CHEVILLE-6')).to.equal(32);
    expect(ws.shop.requests.filter((r) => r.status === 503)).to.have.length(6);
  });

  it('leaves the file claimed when the shop stays down, and finishes it on the next run', async () => {
    await ws.dropStock('stock_down.csv', [['VIS-4X40', '1', '41', '0']]);
    ws.shop.injectFaults({ status: 503, count: 1000 });
    const first = await (await ws.engine()).runOnce();
    expect(first.files[0]?.outcome.status).to.equal('deferred');
    expect(first.exitCode).to.equal(1);
    ws.shop.clearFaults();
    const second = await (await ws.engine()).runOnce();
    expect(second.files[0]?.outcome.status).to.equal('done');
    expect(ws.quantityOf('VIS-4X40')).to.equal(41);
  });

  it('finds a product again when the one it remembered was deleted and re-created in the back office', async () => {
    await ws.dropStock('stock_1.csv', [['VIS-4X40', '1', '9', '0']]);
    const engine = await ws.engine();
    await engine.runOnce();
    const old = ws.shop.store.list('products').find((p) => p.reference === 'VIS-4X40')!;
    await engine.shop.delete('products', String(old.id));
    await engine.shop.create('products', { reference: 'VIS-4X40', price: '8.250000', name: engine.shop.lang('Vis à bois 4×40'), state: '1' });
    await ws.dropStock('stock_2.csv', [['VIS-4X40', '1', '10', '0']]);
    const summary = await engine.runOnce();
    expect(summary.files[0]?.outcome.status).to.equal('done');
    expect(ws.quantityOf('VIS-4X40')).to.equal(10);
  });

  it('--file: processes only that file of the drop folder, leaving the other dropped files alone', async () => {
    const urgent = await ws.dropStock('stock_urgent.csv', [['VIS-4X40', '1', '64', '0']], 'stock');
    await ws.dropStock('stock_later.csv', [['CHEVILLE-6', '1', '99', '0']]);
    const summary = await (await ws.engine()).runOnce({ file: urgent, pipeline: 'stock' });
    expect(summary.files.map((f) => f.name)).to.deep.equal(['stock_urgent.csv']);
    expect(ws.quantityOf('VIS-4X40')).to.equal(64);
    expect(ws.quantityOf('CHEVILLE-6'), 'the other dropped file waits for its run').to.equal(3);
  });

  it('sets a combination\'s stock by its own reference, and refuses the parent reference of a product with combinations', async () => {
    const engine = await ws.engine();
    await engine.ensureConnected();
    const tshirt = await engine.shop.create('products', { reference: 'TSHIRT', price: '12.000000', name: engine.shop.lang('T-shirt coton bio'), state: '1' });
    for (const size of ['S', 'M']) await engine.shop.create('combinations', { id_product: String(tshirt.id), reference: `TSHIRT-${size}`, minimal_quantity: '1' });
    await ws.dropStock('stock_tailles.csv', [['TSHIRT-S', '1', '5', '0'], ['TSHIRT-M', '1', '7', '1'], ['TSHIRT', '1', '40', '0']]);
    const summary = await engine.runOnce();
    const outcome = summary.files[0]!.outcome;
    expect(outcome.status).to.equal('partial');
    const rows = ws.shop.store.list('stock_availables').filter((r) => String(r.id_product) === String(tshirt.id));
    const combos = ws.shop.store.list('combinations');
    const qty = (ref: string) => Number(rows.find((r) => String(r.id_product_attribute) === String(combos.find((c) => c.reference === ref)!.id))!.quantity);
    expect([qty('TSHIRT-S'), qty('TSHIRT-M')]).to.deep.equal([5, 6]);
    expect(Number(rows.find((r) => String(r.id_product_attribute) === '0')!.quantity), 'the product row is the sum').to.equal(11);
    expect('report' in outcome && outcome.report.rejects).to.deep.equal([{ line: 4, key: 'TSHIRT', reason: "l'article TSHIRT a des déclinaisons dans la boutique : son stock se met à jour déclinaison par déclinaison (référence de chaque déclinaison)" }]);
  });

  it('dry run: no write, the planned writes in the report, the file left in place', async () => {
    const file = await ws.dropStock('stock_dry.csv', [['VIS-4X40', '1', '77', '0']]);
    const summary = await (await ws.engine({ dryRun: true })).runOnce();
    expect(ws.shop.writeCount()).to.equal(0);
    expect(ws.quantityOf('VIS-4X40')).to.equal(5);
    const outcome = summary.files[0]!.outcome;
    expect('report' in outcome && outcome.report.plannedWrites).to.deep.equal([{ method: 'PATCH', resource: 'stock_availables', id: String(ws.shop.store.list('stock_availables').find((s) => String(s.id_product) === String(ws.shop.store.list('products').find((p) => p.reference === 'VIS-4X40')!.id))!.id), fields: ['quantity'] }]);
    expect(iconv.decode(await fs.readFile(file), 'windows-1252')).to.contain('VIS-4X40;1;77;0');
    // and a real run afterwards still applies it
    await (await ws.engine()).runOnce();
    expect(ws.quantityOf('VIS-4X40')).to.equal(77);
  });
});

describe('stock flow on a PrestaShop 1.7 shop (no PATCH)', () => {
  it('updates by GET, merge, PUT of the whole stock row, keeping its other fields', async () => {
    const ws = await makeWorkspace({ products: PRODUCTS, version: '1.7.8.10' });
    try {
      const row = () => ws.shop.store.list('stock_availables').find((s) => String(s.id_product) === String(ws.shop.store.list('products').find((p) => p.reference === 'VIS-4X40')!.id))!;
      const before = row();
      await ws.dropStock('stock_17.csv', [['VIS-4X40', '1', '33', '0']]);
      await (await ws.engine()).runOnce();
      expect(ws.quantityOf('VIS-4X40')).to.equal(33);
      const writes = ws.shop.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
      expect(writes.map((r) => `${r.method} ${r.status}`)).to.deep.equal(['PUT 200']);
      const { associations: _a, ...after } = row();
      const { associations: _b, ...was } = before;
      expect({ ...after, quantity: was.quantity }, 'out_of_stock, location… kept').to.deep.equal(was);
    } finally {
      await ws.close();
    }
  });
});
