// The catalogue flows on plain ERP files (issue 8, « the same for EBP CSV and Divalto XLSX samples »): EBP's
// family, sub-family and article exports, Divalto's article workbook — the tree, the products, then the
// same data again without a write, one changed price one write, an unknown VAT rate a reject with its line.
import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FileReport } from '../../src/report.ts';
import { categories } from '../../pipelines/categories.ts';
import { products } from '../../pipelines/products.ts';
import { makeWorkspace, reportOf, type Workspace } from '../support/workspace.ts';
import { ROWS, writeArticles } from '../fixtures/erp/divalto/make-articles.ts';

const EBP = new URL('../fixtures/erp/ebp/', import.meta.url).pathname;
const DIVALTO = new URL('../fixtures/erp/divalto/', import.meta.url).pathname;

describe('catalogue flows on EBP and Divalto files', () => {
  let ws: Workspace;
  afterEach(async () => { await ws.close(); });

  const drop = async (folder: string, name: string, bytes: Buffer): Promise<FileReport> => {
    await fs.mkdir(path.join(ws.drop, folder), { recursive: true });
    await fs.writeFile(path.join(ws.drop, folder, name), bytes);
    await (await ws.engine({ pipelines: [categories, products] })).runOnce();
    return reportOf(ws, name);
  };
  const writes = () => ws.shop.requests.filter((r) => r.method !== 'GET').length;
  const product = (ref: string) => ws.shop.store.list('products').find((p) => p.reference === ref);
  const categoryNamed = (n: string) => ws.shop.store.list('categories').find((c) => (c.name as Record<string, string>)['1'] === n);

  it('EBP: families, then sub-families under them, then articles in their sub-family; the same again writes nothing; one price one write', async () => {
    ws = await makeWorkspace({ config: { erp: { profile: 'ebp' } } });
    const fam = await drop('categories', 'familles.txt', await fs.readFile(path.join(EBP, 'familles_utf8bom.txt')));
    // the fixture's third family has no label, the third sub-family no family: each a reject with its line
    expect(fam.records, fam.summary).to.deep.include({ created: 2, rejected: 1 });
    expect(fam.rejects.map((r) => r.line)).to.deep.equal([4]);
    const sub = await drop('categories', 'sous-familles.txt', await fs.readFile(path.join(EBP, 'sous-familles_utf8.txt')));
    expect(sub.records, sub.summary).to.deep.include({ created: 2, rejected: 1 });
    expect(categoryNamed('DOUDOUNE')?.id_parent).to.equal(String(categoryNamed('VÊTEMENTS BALL TRAP')?.id));

    const articles = await fs.readFile(path.join(EBP, 'produits_articles_utf8bom.txt'));
    const first = await drop('products', 'articles1.txt', articles);
    expect(first.records.created, first.summary).to.be.above(0);
    const doudoune = product('AR00001');
    expect(doudoune).to.include({ price: '125.000000', id_category_default: String(categoryNamed('DOUDOUNE')?.id), ean13: '3000000000011' });
    expect((doudoune?.name as Record<string, string>)['1']).to.equal('DOUDOUNE CASTELLANI HOMME');

    const w = writes();
    const again = await drop('products', 'articles2.txt', Buffer.concat([articles, Buffer.from('\r\n')]));
    expect(again.records).to.deep.include({ created: 0, updated: 0 });
    expect(writes()).to.equal(w);

    const changed = await drop('products', 'articles3.txt', Buffer.from(articles.toString('utf8').replace('"125,00000000"', '"129,00000000"'), 'utf8'));
    expect(changed.records).to.deep.include({ created: 0, updated: 1 });
    expect(writes() - w).to.equal(1);
    expect(product('AR00001')?.price).to.equal('129.000000');
  });

  it('EBP: an article with a VAT rate the shop cannot apply is a reject with its line, the others load', async () => {
    ws = await makeWorkspace({ config: { erp: { profile: 'ebp' } } });
    await drop('categories', 'familles.txt', await fs.readFile(path.join(EBP, 'familles_utf8bom.txt')));
    await drop('categories', 'sous-familles.txt', await fs.readFile(path.join(EBP, 'sous-familles_utf8.txt')));
    const text = (await fs.readFile(path.join(EBP, 'produits_articles_utf8bom.txt'))).toString('utf8');
    const report = await drop('products', 'articles.txt', Buffer.from(text.replace(/^("AR00001",.*?)"20,00"/m, '$1"7,00"'), 'utf8'));
    expect(report.status).to.equal('partial');
    const reject = report.rejects.find((r) => r.key === 'AR00001');
    expect(reject?.line).to.equal(2);
    expect(reject?.reason).to.match(/taux de TVA 7 %/);
    expect(product('AR00002')).to.not.equal(undefined);
  });

  it('Divalto: the article workbook (FICHE ART rows; LART, SART counted in a remark) → products, VAT codes mapped in the config', async () => {
    ws = await makeWorkspace({ config: { erp: { profile: 'divalto', flows: { products: { vatCodes: { 1: '20', 2: '5.5' } } } } } });
    const report = await drop('products', 'articles.xlsx', await fs.readFile(path.join(DIVALTO, 'articles_fiche_art.xlsx')));
    expect(report.rejects.filter((r) => /fiche/.test(r.reason))).to.deep.equal([]);
    expect(report.warnings.join('\n')).to.match(/non reprises : \d+ fiche\(s\) LART/);
    expect(report.records.created, report.summary).to.be.above(0);
    expect(product('BAAR01')).to.not.equal(undefined);
  });

  it('Divalto: another workbook with the same articles writes nothing; one changed price is one write', async () => {
    ws = await makeWorkspace({ config: { erp: { profile: 'divalto', flows: { products: { vatCodes: { 1: '20', 2: '5.5' } } } } } });
    const book = async (name: string, rows: typeof ROWS): Promise<FileReport> => {
      await fs.mkdir(path.join(ws.drop, 'products'), { recursive: true });
      await writeArticles(path.join(ws.drop, 'products', name), rows);
      await (await ws.engine({ pipelines: [categories, products] })).runOnce();
      return reportOf(ws, name);
    };
    await book('articles1.xlsx', ROWS);
    const w = writes();
    // a text row (LART) changed: other bytes, the same products
    const again = await book('articles2.xlsx', ROWS.map((r) => (r[0] === 'LART' ? r.map((v, i) => (i === 3 ? 'Silver ring (new)' : v)) : r)));
    expect(again.records).to.deep.include({ created: 0, updated: 0 });
    expect(writes()).to.equal(w);
    await book('articles3.xlsx', ROWS.map((r) => (r[0] === 'ART' && r[2] === 'BAAR01' ? r.map((v, i) => (i === 4 ? 160 : v)) : r)));
    expect(writes() - w).to.equal(1);
    expect(product('BAAR01')?.price).to.equal('160.000000');
  });

  it('EBP: a sub-family moved to another family is one write on the same category', async () => {
    ws = await makeWorkspace({ config: { erp: { profile: 'ebp' } } });
    await drop('categories', 'familles.txt', await fs.readFile(path.join(EBP, 'familles_utf8bom.txt')));
    const subs = (await fs.readFile(path.join(EBP, 'sous-familles_utf8.txt'))).toString('utf8');
    await drop('categories', 'sous-familles1.txt', Buffer.from(subs, 'utf8'));
    const gant = categoryNamed('GANT');
    const w = writes();
    await drop('categories', 'sous-familles2.txt', Buffer.from(subs.replace('"SFAR00004","GANT","FAR00002"', '"SFAR00004","GANT","FAR00001"'), 'utf8'));
    expect(writes() - w).to.equal(1);
    expect(categoryNamed('GANT')).to.include({ id: gant?.id, id_parent: String(categoryNamed('VÊTEMENTS BALL TRAP')?.id) });
  });

  it('Divalto without VAT codes in the config: each article a reject naming its code and the key to set', async () => {
    ws = await makeWorkspace({ config: { erp: { profile: 'divalto' } } });
    const report = await drop('products', 'articles.xlsx', await fs.readFile(path.join(DIVALTO, 'articles_fiche_art.xlsx')));
    expect(report.rejects.find((r) => r.key === 'BAAR01')?.reason).to.contain('code TVA « 1 » de ART.TVAART absent de erp.flows.products.vatCodes');
  });
});
