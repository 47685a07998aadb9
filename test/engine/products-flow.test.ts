// The products flow end to end against the sandbox shop: a Sage « Format Sage » catalogue export (3-level
// #CCATAL tree, 50 articles) → categories then products, what the shop holds and what the report says.
import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { formatSage } from '../../src/erp/format-sage/format.ts';
import type { FileReport } from '../../src/report.ts';
import type { Row } from '../../src/sandbox/store.ts';
import { categories } from '../../pipelines/categories.ts';
import { products } from '../../pipelines/products.ts';
import { stock } from '../../pipelines/stock.ts';
import { catalogueRecords, encodeFormatSage } from '../fixtures/erp/sage/make-catalogue.ts';
import { makeWorkspace, reportOf, type Workspace, type WorkspaceOptions } from '../support/workspace.ts';

const FIXTURE = new URL('../fixtures/erp/sage/catalogue_format-sage.txt', import.meta.url).pathname;
const PIPELINES = [categories, products, stock];
type Records = ReturnType<typeof catalogueRecords>;

/** The catalogue with one #CART field changed (1-based line of the layout), or any other edit. */
function variant(edit: (records: Records) => void): Buffer {
  const records = catalogueRecords();
  edit(records);
  return encodeFormatSage(records);
}
const setArticle = (ref: string, line: number, value: string) => (records: Records) => {
  const art = records.find(([flag, f]) => flag === '#CART' && f[0] === ref);
  if (!art) throw new Error(`no ${ref}`);
  art[1][line - 1] = value;
};
/** Same data for the shop, other bytes (the customer's phone changed): not a duplicate file. */
const otherCustomerPhone = (records: Records) => { records.find(([flag]) => flag === '#CCLI')![1][54] = '04 78 11 11 11'; };

describe('products flow (Format Sage catalogue → sandbox shop)', () => {
  let ws: Workspace;
  afterEach(async () => { await ws.close(); });

  async function run(name: string, bytes?: Buffer): Promise<FileReport> {
    if (bytes) await fs.writeFile(path.join(ws.drop, name), bytes);
    else await fs.copyFile(FIXTURE, path.join(ws.drop, name));
    await (await ws.engine({ pipelines: PIPELINES, documents: [formatSage] })).runOnce();
    return reportOf(ws, name);
  }
  const product = (ref: string): Row | undefined => ws.shop.store.list('products').find((p) => String(p.reference).toUpperCase() === ref) as Row | undefined;
  /** A back-office edit, through the webservice. */
  const shopClient = async () => { const e = await ws.engine({ pipelines: PIPELINES, documents: [formatSage] }); await e.ensureConnected(); return e.shop; };
  const categoryNamed = (fr: string): string => String(ws.shop.store.list('categories').find((c) => (c.name as Record<string, string>)['1'] === fr)?.id);
  const section = (r: FileReport) => r.document?.sections.find((s) => s.pipeline === 'products');
  const start = async (o: WorkspaceOptions = {}) => { ws = await makeWorkspace(o); };

  it('creates the 50 articles as products with every field, ART007 (VAT 7 %) rejected with its line, no stock write', async () => {
    await start();
    const report = await run('catalogue.txt');
    expect(section(report)?.records, report.summary).to.deep.equal({ read: 50, created: 49, updated: 0, unchanged: 0, rejected: 1 });
    expect(section(report)?.writes).to.equal(49);
    expect(ws.shop.store.list('products')).to.have.length(49);
    const rejects = report.rejects.filter((r) => (r as { pipeline?: string }).pipeline === 'products');
    expect(rejects).to.have.length(1);
    expect(rejects[0]).to.include({ key: 'ART007' });
    expect(rejects[0]!.line, 'the #CART line of ART007').to.be.above(0);
    expect(rejects[0]!.reason).to.match(/taux de TVA 7 % inconnu de la boutique/).and.match(/catalog\.taxRuleGroups/);
    expect(product('ART007')).to.equal(undefined);

    const a1 = product('ART001')!;
    expect(a1).to.include({ reference: 'ART001', price: '3.000000', id_tax_rules_group: '1', weight: '1.000000', ean13: '3000000000001', active: '1', state: '1', product_type: 'standard', unity: 'Pièce', unit_price: '3.000000' });
    expect(a1.name).to.deep.equal({ 1: 'Café filtre', 2: 'Filter coffee' });
    expect(a1.link_rewrite).to.deep.equal({ 1: 'cafe-filtre', 2: 'filter-coffee' });
    expect(a1.id_category_default, 'the deepest node').to.equal(categoryNamed('Café moulu'));
    expect(a1.associations?.categories?.map((c) => c.id)).to.deep.equal([categoryNamed('Boissons'), categoryNamed('Cafés'), categoryNamed('Café moulu')]);

    const a2 = product('ART002')!;
    expect(a2).to.include({ price: '4.000000', id_tax_rules_group: '3', weight: '0.250000' }); // 5.5 %, 250 g
    expect(a2.name, 'a language without its own text gets the designation').to.deep.equal({ 1: 'Pâte à tartiner', 2: 'Pâte à tartiner' });
    expect(a2.id_category_default).to.equal(categoryNamed('Pâtes à tartiner'));
    expect(product('ART003')).to.include({ weight: '0.500000' }); // 500 000 mg
    expect(product('ART004')).to.include({ ean13: '' }); // an 8-digit barcode is no EAN13
    expect(product('ART005')).to.include({ price: '11.374408' }); // 12,00 TTC at 5.5 %
    expect(product('ART006')?.id_category_default, 'its family\'s catalogue path').to.equal(categoryNamed('Épicerie'));
    expect(product('ART019')).to.include({ id_tax_rules_group: '3' }); // no #CACP: its family's (EPI, 5.5 %)
    expect(product('ART013')).to.include({ active: '0' }); // mis en sommeil
    expect(product('ART014')).to.include({ active: '0' }); // not published
    for (const p of ws.shop.store.list('products')) expect(Object.values(p.name as Record<string, string>).every((n) => n !== ''), `${String(p.reference)} named in every language`).to.equal(true);
    expect(ws.shop.store.list('stock_availables').every((s) => String(s.quantity) === '0'), 'stock left to the stock flow').to.equal(true);
  });

  it('the same data again makes no write and reads no product; one changed price makes exactly one PATCH and nothing else', async () => {
    await start({ config: { catalog: { taxRuleGroups: { 7: 2 } } } }); // no reject: nothing is looked up again
    await run('catalogue.txt');
    const id10 = product('ART010')!.id;
    // written in the back office: never overwritten
    await (await shopClient()).update('products', id10, { description: { 1: '<p>Texte de la boutique</p>', 2: '<p>Shop text</p>' } });

    const writes = ws.shop.writeCount();
    const again = await run('catalogue-bis.txt', variant(otherCustomerPhone));
    expect(again.status, again.summary).to.equal('partial'); // the flows not built yet
    expect(section(again)?.records).to.deep.equal({ read: 50, created: 0, updated: 0, unchanged: 50, rejected: 0 });
    expect(ws.shop.writeCount(), 'zero writes').to.equal(writes);

    const seen = ws.shop.requests.length;
    const changed = await run('catalogue-prix.txt', variant(setArticle('ART010', 13, '99,50')));
    expect(section(changed)?.records).to.deep.equal({ read: 50, created: 0, updated: 1, unchanged: 49, rejected: 0 });
    expect(ws.shop.writeCount()).to.equal(writes + 1);
    const data = ws.shop.requests.slice(seen).filter((r) => r.path !== '/api/' && r.path !== '/api/languages');
    expect(data.map((r) => `${r.method} ${r.path}`), 'one PATCH, no read (not even the tax tables)').to.deep.equal([`PATCH /api/products/${id10}`]);
    const after = product('ART010')!;
    // PrestaShop 8 keeps unit_price when only the price changes: the same PATCH carries it
    expect(after).to.include({ id: id10, price: '99.500000', id_tax_rules_group: '3', unity: 'Pièce', unit_price: '99.500000' });
    expect(after.description).to.deep.equal({ 1: '<p>Texte de la boutique</p>', 2: '<p>Shop text</p>' });
    expect(ws.shop.store.list('products')).to.have.length(50);
  });

  it('adopts a shop product whose reference differs only in case, and refuses a reference two shop products carry, naming both', async () => {
    await start({ products: [{ reference: 'art020', name: 'Ancien nom' }, { reference: 'ART021' }, { reference: 'ART021' }] });
    const twins = ws.shop.store.list('products').filter((p) => p.reference === 'ART021').map((p) => p.id);
    const adopted = product('ART020')!.id;
    const report = await run('catalogue.txt');
    expect(section(report)?.records).to.deep.equal({ read: 50, created: 47, updated: 1, unchanged: 0, rejected: 2 });
    expect(ws.shop.store.list('products').filter((p) => String(p.reference).toUpperCase() === 'ART020').map((p) => p.id), 'not duplicated').to.deep.equal([adopted]);
    expect(product('ART020')!.name).to.deep.equal({ 1: 'Sablés bretons 20', 2: 'Sablés bretons 20' });
    const twin = report.rejects.find((r) => r.key === 'ART021');
    expect(twin?.reason).to.include(`id ${twins[0]}, ${twins[1]}`);
    expect(ws.shop.store.list('products').filter((p) => p.reference === 'ART021')).to.have.length(2);
  });

  it('a product with combinations keeps them and its type; only the owned fields that differ are written', async () => {
    await start({ config: { catalog: { ownedFields: ['price', 'active'] } } });
    const engine = await ws.engine({ pipelines: PIPELINES, documents: [formatSage] });
    await engine.ensureConnected();
    const shirt = await engine.shop.create('products', { reference: 'ART022', price: '1.000000', state: '1', product_type: 'combinations', name: engine.shop.lang('Nom de la boutique'), description: engine.shop.lang('<p>Fiche rédigée</p>') });
    for (const size of ['S', 'M']) await engine.shop.create('combinations', { id_product: String(shirt.id), reference: `ART022-${size}`, minimal_quantity: '1' });
    await fs.copyFile(FIXTURE, path.join(ws.drop, 'catalogue.txt'));
    await engine.runOnce();
    const p = product('ART022')!;
    expect(p).to.include({ id: String(shirt.id), price: '24.000000', product_type: 'combinations' });
    expect(p.name, 'name not owned: kept').to.deep.equal({ 1: 'Nom de la boutique', 2: 'Nom de la boutique' });
    expect(p.description).to.deep.equal({ 1: '<p>Fiche rédigée</p>', 2: '<p>Fiche rédigée</p>' });
    expect(p.associations?.combinations?.map((c) => c.id)).to.have.length(2);
    expect(ws.shop.store.list('combinations').filter((c) => String(c.id_product) === String(shirt.id))).to.have.length(2);
  });

  it('a product deleted in the back office is looked up again and created anew, once', async () => {
    await start();
    await run('catalogue.txt');
    await (await shopClient()).delete('products', product('ART011')!.id);
    const report = await run('catalogue-prix.txt', variant(setArticle('ART011', 13, '7,00')));
    expect(section(report)?.records).to.include({ created: 1, updated: 0 });
    expect(ws.shop.store.list('products').filter((p) => p.reference === 'ART011').map((p) => p.price)).to.deep.equal(['7.000000']);
  });

  it('a configured tax rule group wins over the shop\'s tables; a dry run writes nothing and rejects only ART007', async () => {
    await start({ config: { catalog: { taxRuleGroups: { 7: 2 } } } });
    await fs.copyFile(FIXTURE, path.join(ws.drop, 'catalogue.txt'));
    const dry = await (await ws.engine({ pipelines: PIPELINES, documents: [formatSage], dryRun: true })).runOnce();
    const outcome = dry.files[0]!.outcome;
    expect(ws.shop.writeCount()).to.equal(0);
    expect('report' in outcome && outcome.report.rejects.filter((r) => r.key?.startsWith('ART'))).to.deep.equal([]);
    await fs.rm(path.join(ws.drop, 'catalogue.txt'), { force: true });
    const report = await run('catalogue-2.txt');
    expect(section(report)?.records).to.include({ created: 50, rejected: 0 });
    expect(product('ART007')).to.include({ id_tax_rules_group: '2' });
  });
});
