// Generic article files (issue 8: « generic: a column mapping in config for any CSV / XLSX / XML »): the
// same six articles as a windows-1252 CSV, an XLSX workbook and a windows-1252 XML export, each read through
// `erp.profile: generic` and its `erp.flows.products` mapping — every field, the rejects with their line,
// the same file again without a write.
import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FileReport } from '../../src/report.ts';
import { categories } from '../../pipelines/categories.ts';
import { products } from '../../pipelines/products.ts';
import { GENERIC_COLUMNS, XML_COLUMNS, xlsx } from '../fixtures/erp/generic/make-articles.ts';
import { makeWorkspace, reportOf, type Workspace } from '../support/workspace.ts';

// the generic profile asks every installation for its stock file too
const STOCK = { patterns: ['stock*.csv'], columns: { reference: 'Ref', real: 'Stock' } };
const DIR = new URL('../fixtures/erp/generic/', import.meta.url).pathname;

const CASES = [
  { file: 'articles_generic_cp1252.csv', lines: [5, 6], flow: { patterns: ['articles*.csv'], format: 'delimited', encoding: 'windows-1252', delimiter: ';', decimal: ',', columns: GENERIC_COLUMNS } },
  { file: 'articles_generic.xlsx', lines: [5, 6], flow: { patterns: ['articles*.xlsx'], format: 'xlsx', columns: GENERIC_COLUMNS } },
  { file: 'articles_generic.xml', lines: [37, 48], flow: { patterns: ['articles*.xml'], format: 'xml', record: 'Articles/Article', columns: XML_COLUMNS } },
];

describe('generic article files (column mapping in the configuration)', () => {
  let ws: Workspace;
  afterEach(async () => { await ws.close(); });

  const drop = async (name: string, bytes: Buffer): Promise<FileReport> => {
    await fs.mkdir(path.join(ws.drop, 'products'), { recursive: true });
    await fs.writeFile(path.join(ws.drop, 'products', name), bytes);
    await (await ws.engine({ pipelines: [categories, products] })).runOnce();
    return reportOf(ws, name);
  };
  const product = (ref: string) => ws.shop.store.list('products').find((p) => p.reference === ref);

  for (const c of CASES) {
    it(`${c.flow.format}: every mapped field, a reject per bad article with its line, the same again without a write`, async () => {
      ws = await makeWorkspace({ config: { erp: { profile: 'generic', flows: { stock: STOCK, products: c.flow } } } });
      const bytes = await fs.readFile(path.join(DIR, c.file));
      const report = await drop(c.file, bytes);
      expect(report.records, report.summary).to.deep.include({ read: 6, created: 4, rejected: 2 });
      expect(report.rejects.map((r) => [r.key, r.line])).to.deep.equal([['G004', c.lines[0]], ['G005', c.lines[1]]]);
      expect(report.rejects[0]!.reason).to.match(/taux de TVA 7 %/);
      expect(report.rejects[1]!.reason).to.match(/actif « peut-être » \(Actif\) : 1 ou 0, oui ou non attendu/);
      expect(product('G001')).to.include({ price: '4.500000', id_tax_rules_group: '3', unity: 'kg', unit_price: '18.000000', ean13: '3000000000101', weight: '0.250000', active: '1' });
      expect((product('G002')?.name as Record<string, string>)['1']).to.equal('Thé vert « Sencha »');
      expect(product('G003')).to.include({ active: '0', id_tax_rules_group: '1' });
      expect(product('G006')).to.include({ unity: 'pièce', unit_price: '1.500000' });

      const writes = ws.shop.requests.filter((r) => r.method !== 'GET').length;
      // other bytes, same articles (not a duplicate file): a line end more, a workbook written anew
      const other = path.join(ws.root, c.file);
      if (c.flow.format === 'xlsx') await xlsx(other);
      const replay = c.flow.format === 'xlsx' ? await fs.readFile(other) : Buffer.concat([bytes, Buffer.from('\r\n')]);
      expect(replay.equals(bytes)).to.equal(false);
      const again = await drop(`bis-${c.file}`, replay);
      expect(again.records).to.deep.include({ created: 0, updated: 0, unchanged: 4 });
      expect(ws.shop.requests.filter((r) => r.method !== 'GET').length).to.equal(writes);
    });
  }

  it('xml: a record path that matches nothing, or a broken file, quarantines the file with the reason', async () => {
    const flow = { ...CASES[2]!.flow, record: 'Catalogue/Produit' };
    ws = await makeWorkspace({ config: { erp: { profile: 'generic', flows: { stock: STOCK, products: flow } } } });
    const none = await drop('articles1.xml', await fs.readFile(path.join(DIR, 'articles_generic.xml')));
    expect(none.status).to.equal('quarantined');
    expect(none.reason).to.match(/aucun élément au chemin « Catalogue\/Produit »/);
    const broken = await drop('articles2.xml', Buffer.from('<?xml version="1.0"?>\n<Catalogue>\n<Produit code="A"><Nom>x</Produit>\n'));
    expect(broken.status).to.equal('quarantined');
    expect(broken.reason).to.match(/XML mal formé ligne 3/);
  });
});
