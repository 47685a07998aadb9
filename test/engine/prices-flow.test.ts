// The prices flow end to end against the sandbox shop: a Sage « Format Sage » export (articles, #CACL for 3
// price categories and a customer, #CATQ quantity breaks) → specific prices. The groups and the customer are
// made in the sandbox and remembered in the identity map here, standing in for the customers flow
// (contract-9: `group` tarif:<n>, `customer` the account code).
import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { formatSage } from '../../src/erp/format-sage/format.ts';
import type { FileReport } from '../../src/report.ts';
import type { Row } from '../../src/sandbox/store.ts';
import { categories } from '../../pipelines/categories.ts';
import { prices } from '../../pipelines/prices.ts';
import { products } from '../../pipelines/products.ts';
import { encodeFormatSage } from '../fixtures/erp/sage/make-catalogue.ts';
import { TARIFFS, priceRecords, type Tariff } from '../fixtures/erp/sage/make-prices.ts';
import { makeWorkspace, reportOf, type Workspace, type WorkspaceOptions } from '../support/workspace.ts';

const PIPELINES = [categories, products, prices];

describe('prices flow (Format Sage tariffs → specific prices)', () => {
  let ws: Workspace;
  const ids: Record<string, string> = {};
  afterEach(async () => { await ws.close(); });

  async function start(o: WorkspaceOptions = {}): Promise<void> {
    ws = await makeWorkspace(o); // ART007 (VAT 7 %) rejected by the products flow: its tariff has no product
    const engine = await ws.engine({ pipelines: PIPELINES, documents: [formatSage] });
    await engine.ensureConnected();
    for (const [n, name] of [[1, 'Tarif public'], [2, 'Revendeurs'], [3, 'Grossistes']] as const) {
      const g = await engine.shop.create('groups', { name: engine.shop.lang(name), reduction: '0.00', price_display_method: '1', show_prices: '1' });
      engine.state.remember('group', `tarif:${n}`, String(g.id));
      ids[`tarif:${n}`] = String(g.id);
    }
    const c = await engine.shop.create('customers', { passwd: 'Erp-Client-2024!', email: 'contact@epicerie-pont.fr', lastname: 'Pont', firstname: 'Epicerie', active: '1' });
    engine.state.remember('customer', 'EPICERIEDUPONT', String(c.id));
    ids.customer = String(c.id);
  }
  let serial = 0;
  /** Each file other bytes (a comment-free serial in the customer's phone): never a duplicate file. */
  async function run(tariffs: readonly Tariff[]): Promise<FileReport> {
    const name = `export-${++serial}.txt`;
    const records = priceRecords(tariffs);
    records.find(([flag]) => flag === '#CCLI')![1][54] = `04 78 00 00 ${String(serial).padStart(2, '0')}`;
    await fs.writeFile(path.join(ws.drop, name), encodeFormatSage(records));
    await (await ws.engine({ pipelines: PIPELINES, documents: [formatSage] })).runOnce();
    return reportOf(ws, name);
  }
  const section = (r: FileReport) => r.document?.sections.find((s) => s.pipeline === 'prices');
  const productId = (ref: string): string => String(ws.shop.store.list('products').find((p) => p.reference === ref)?.id);
  const specific = (): Row[] => ws.shop.store.list('specific_prices') as Row[];
  const of = (ref: string) => specific().filter((s) => String(s.id_product) === productId(ref));

  it('3 price categories, a customer price and quantity breaks become the right specific prices; what cannot be loaded is rejected with its line', async () => {
    await start();
    const seen = ws.shop.requests.length;
    const report = await run(TARIFFS);
    expect(section(report)?.records, report.summary).to.deep.equal({ read: 7, created: 6, updated: 0, unchanged: 0, rejected: 2 });
    const listed = ws.shop.requests.slice(seen).filter((r) => r.method === 'GET' && r.path === '/api/specific_prices');
    expect(listed.map((r) => r.query['filter[id_product]']), 'the 3 products\' specific prices in one look-up before creating').to.deep.equal([`[${['ART001', 'ART002', 'ART003'].map(productId).join('|')}]`]);
    expect(section(report)?.writes).to.equal(6);
    const rows = of('ART001').map((s) => [s.id_group, s.id_customer, s.from_quantity, s.price, s.reduction, s.reduction_type, s.reduction_tax, s.from, s.to]);
    const NO = '0000-00-00 00:00:00';
    expect(rows).to.have.deep.members([
      [ids['tarif:1'], '0', '1', '-1.000000', '0.100000', 'percentage', '0', NO, NO],
      [ids['tarif:2'], '0', '1', '2.500000', '0.000000', 'percentage', '0', NO, NO],
      [ids['tarif:3'], '0', '10', '-1.000000', '0.050000', 'percentage', '0', NO, NO],
      [ids['tarif:3'], '0', '50', '-1.000000', '0.100000', 'percentage', '0', NO, NO],
    ]);
    expect(of('ART002').map((s) => [s.id_group, s.id_customer, s.from_quantity, s.price])).to.deep.equal([['0', ids.customer, '1', '3.200000']]);
    expect(of('ART003').map((s) => [s.id_group, s.reduction])).to.deep.equal([[ids['tarif:2'], '0.200000']]);
    const rejects = report.rejects.filter((r) => r.pipeline === 'prices');
    expect(rejects.map((r) => r.key)).to.deep.equal(['ART004|tarif:5', 'ART007|tarif:1']);
    expect(rejects[0]!.reason).to.match(/catégorie tarifaire 5 : aucun groupe de la boutique \(importez d'abord les clients\)/);
    expect(rejects[1]!.reason).to.match(/article ART007 inconnu de la boutique/);
    expect(rejects.every((r) => r.line > 0)).to.equal(true);
  });

  it('the same data again makes zero writes; one changed price is exactly one write, in place', async () => {
    await start();
    await run(TARIFFS);
    const before = ws.shop.writeCount();
    const again = await run(TARIFFS);
    expect(section(again)?.records).to.include({ created: 0, updated: 0, unchanged: 6 });
    expect(ws.shop.writeCount(), 'zero writes').to.equal(before);

    const id = of('ART003')[0]!.id;
    const seen = ws.shop.requests.length;
    const changed = await run(TARIFFS.map((t) => (t.article === 'ART003' ? { ...t, fields: { ...t.fields, 4: '25,0000' } } : t)));
    expect(section(changed)?.records).to.include({ created: 0, updated: 1, unchanged: 5 });
    expect(section(changed)?.writes).to.equal(1);
    expect(ws.shop.writeCount()).to.equal(before + 1);
    const writes = ws.shop.requests.slice(seen).filter((r) => r.method !== 'GET');
    expect(writes.map((r) => `${r.method} ${r.path}`)).to.deep.equal([`PATCH /api/specific_prices/${id}`]);
    expect(of('ART003').map((s) => [s.id, s.reduction])).to.deep.equal([[id, '0.250000']]);
  });

  it('on PrestaShop 1.7 (no PATCH) a changed price is one PUT of the whole specific price, its id kept', async () => {
    await start({ version: '1.7.8.10' });
    await run(TARIFFS);
    const [sp] = of('ART003');
    const seen = ws.shop.requests.length;
    await run(TARIFFS.map((t) => (t.article === 'ART003' ? { ...t, fields: { ...t.fields, 4: '25,0000' } } : t)));
    expect(ws.shop.requests.slice(seen).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`)).to.deep.equal([`PUT /api/specific_prices/${sp!.id}`]);
    expect(of('ART003')).to.have.length(1);
    expect(of('ART003')[0]).to.include({ id: sp!.id, id_group: ids['tarif:2'], from_quantity: '1', price: '-1.000000', reduction: '0.250000', reduction_type: 'percentage' });
  });

  it('a price removed from a full export is deleted, a hand-made one kept; a partial export deletes only what a tariff it carries no longer has', async () => {
    await start();
    await run(TARIFFS);
    const engine = await ws.engine({ pipelines: PIPELINES, documents: [formatSage] });
    await engine.ensureConnected();
    const handMade = await engine.shop.create('specific_prices', {
      id_shop: '0', id_cart: '0', id_product: productId('ART001'), id_product_attribute: '0', id_currency: '0', id_country: '0', id_group: '0', id_customer: '0',
      price: '-1', from_quantity: '100', reduction: '0.3', reduction_tax: '1', reduction_type: 'percentage', from: '0000-00-00 00:00:00', to: '0000-00-00 00:00:00',
    });
    const withoutPublic = TARIFFS.filter((t) => !(t.article === 'ART001' && t.fields[1] === '1'));
    // partial export (default): the absent tariff is not a deletion; a tariff present with fewer breaks is
    const fewerBreaks = withoutPublic.map((t) => (t.article === 'ART001' && t.fields[1] === '3' ? { ...t, brackets: [['0', '49,00', '0,0000%', '0,00'], ['0', '99999,00', '10,0000%', '0,00']] as Tariff['brackets'] } : t));
    const partial = await run(fewerBreaks);
    expect(section(partial)?.records, partial.summary).to.include({ updated: 1, rejected: 2 }); // the break from 10 deleted
    expect(of('ART001').map((s) => [s.id_group, s.from_quantity]).sort()).to.deep.equal([['0', '100'], [ids['tarif:1'], '1'], [ids['tarif:2'], '1'], [ids['tarif:3'], '50']].sort());

    ws.loaded.config.prices.fullExport = true;
    const full = await run(fewerBreaks);
    expect(section(full)?.records, full.summary).to.include({ updated: 1, created: 0 });
    expect(section(full)?.writes).to.equal(1);
    expect(of('ART001').map((s) => [s.id_group, s.from_quantity]).sort()).to.deep.equal([['0', '100'], [ids['tarif:2'], '1'], [ids['tarif:3'], '50']].sort());
    expect(ws.shop.store.get('specific_prices', Number(handMade.id))).to.include({ reduction: '0.300000', from_quantity: '100' });
    expect(full.warnings.join('\n')).to.match(/ART001\|tarif:1\|1 : prix spécifique id \d+ supprimé/);

    // the same full export again: nothing left to delete
    const writes = ws.shop.writeCount();
    await run(fewerBreaks);
    expect(ws.shop.writeCount()).to.equal(writes);
  });

  it('a creation that would collide with a hand-made specific price is rejected naming it, and leaves it as it is', async () => {
    await start();
    await run([]);
    const engine = await ws.engine({ pipelines: PIPELINES, documents: [formatSage] });
    await engine.ensureConnected();
    const handMade = await engine.shop.create('specific_prices', {
      id_shop: '0', id_cart: '0', id_product: productId('ART003'), id_product_attribute: '0', id_currency: '0', id_country: '0', id_group: ids['tarif:2']!, id_customer: '0',
      price: '-1', from_quantity: '1', reduction: '0.5', reduction_tax: '1', reduction_type: 'percentage', from: '0000-00-00 00:00:00', to: '0000-00-00 00:00:00',
    });
    const report = await run(TARIFFS.filter((t) => t.article === 'ART003'));
    const reject = report.rejects.find((r) => r.key === 'ART003|tarif:2|1');
    expect(reject?.reason).to.include(`fait dans la boutique (id ${handMade.id})`);
    expect(of('ART003').map((s) => [s.id, s.reduction])).to.deep.equal([[String(handMade.id), '0.500000']]);
  });

  it('an hourly price file updates the product\'s price alone; the products flow then does not write it back', async () => {
    const flow = { patterns: ['prix*.csv'], format: 'delimited', encoding: 'windows-1252', delimiter: ';', decimal: ',', columns: { reference: 'AR_Ref', price: 'AR_PrixVen' } };
    await start({ config: { erp: { profile: 'sage100', flows: { prices: flow } } } });
    await run(TARIFFS);
    const id = productId('ART001');
    const before = { ...ws.shop.store.list('products').find((p) => p.reference === 'ART001')! };
    const drop = async (name: string, text: string) => {
      await fs.mkdir(path.join(ws.drop, 'prices'), { recursive: true });
      await fs.writeFile(path.join(ws.drop, 'prices', name), Buffer.from(text.replace(/\n/g, '\r\n'), 'latin1'));
      await (await ws.engine({ pipelines: PIPELINES, documents: [formatSage] })).runOnce();
      return reportOf(ws, name);
    };
    ws.loaded.config.prices.fullExport = true; // a file without tariffs is no full export of them
    const held = specific().length;
    const seen = ws.shop.requests.length;
    const report = await drop('prix-1.csv', 'AR_Ref;AR_PrixVen\nART001;4,10\nART999;1,00\nART002;abc\n');
    expect(report.records, report.summary).to.deep.equal({ read: 3, created: 0, updated: 1, unchanged: 0, rejected: 2 });
    expect(report.rejects.map((r) => [r.line, r.key])).to.deep.equal([[3, 'ART999|prix de base'], [4, 'ART002']]);
    expect(report.rejects[1]!.reason).to.match(/prix \(colonne AR_PrixVen\) : nombre invalide/);
    expect(ws.shop.requests.slice(seen).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`)).to.deep.equal([`PATCH /api/products/${id}`]);
    expect(specific(), 'no specific price deleted').to.have.length(held);
    const after = ws.shop.store.list('products').find((p) => p.reference === 'ART001')!;
    // the unit price follows at the same ratio (PrestaShop would keep « 3,00 € / unité » beside 4,10 €)
    expect(before.unit_price, 'the products flow wrote a unit price').to.equal(before.price);
    expect(after).to.deep.include({ ...before, price: '4.100000', unit_price: '4.100000', date_upd: after.date_upd });
    const engine = await ws.engine({ pipelines: PIPELINES, documents: [formatSage] });
    expect((engine.state.lookup('products', 'ART001')?.data.fields as { price?: string }).price).to.equal('4.100000');

    const writes = ws.shop.writeCount();
    await drop('prix-2.csv', 'AR_Ref;AR_PrixVen\nART001;4,100\n');
    expect(ws.shop.writeCount(), 'the same price again').to.equal(writes);
    const sage = await run(TARIFFS);
    expect(sage.document?.sections.find((s) => s.pipeline === 'products')?.writes).to.equal(0);
    expect(ws.shop.writeCount()).to.equal(writes);
    expect(ws.shop.store.list('products').find((p) => p.reference === 'ART001')?.price).to.equal('4.100000');
  });

  it('a tariff file (Divalto TAR-like columns): group lines become specific prices with their breaks, a line without group the base price; a break left out of its set is deleted', async () => {
    const flow = { patterns: ['tarifs*.csv'], format: 'delimited', decimal: '.', columns: { reference: 'REF', price: 'PUB', group: 'TACOD', priceUnit: 'PPAR', fromQuantity: 'QTE' } };
    await start({ config: { erp: { profile: 'sage100', flows: { prices: flow } } } });
    await run([]);
    const drop = async (name: string, lines: string[]) => {
      await fs.writeFile(path.join(ws.drop, name), ['TACOD;REF;PUB;PPAR;QTE', ...lines].join('\r\n') + '\r\n');
      await (await ws.engine({ pipelines: PIPELINES, documents: [formatSage] })).runOnce();
      return reportOf(ws, name);
    };
    const first = await drop('tarifs-1.csv', ['2;ART001;250;100;', '2;ART001;200;100;10', ';ART002;5.50;;', '9;ART003;1;;']);
    expect(first.records, first.summary).to.deep.equal({ read: 4, created: 2, updated: 1, unchanged: 0, rejected: 1 });
    expect(first.rejects[0]).to.include({ line: 5, key: 'ART003|tarif:9' });
    expect(of('ART001').map((s) => [s.id_group, s.from_quantity, s.price]).sort()).to.deep.equal([[ids['tarif:2'], '1', '2.500000'], [ids['tarif:2'], '10', '2.000000']]);
    expect(ws.shop.store.list('products').find((p) => p.reference === 'ART002')?.price).to.equal('5.500000');

    const unreadable = await drop('tarifs-bis.csv', ['2;ART001;250;100;', '2;ART001;abc;100;10', ';ART002;5.50;;']);
    expect(unreadable.rejects.map((r) => [r.line, r.key])).to.deep.equal([[3, 'ART001|tarif:2']]);
    expect(of('ART001'), 'a set with an unreadable line deletes nothing').to.have.length(2);

    const writes = ws.shop.writeCount();
    const second = await drop('tarifs-2.csv', ['2;ART001;250;100;', ';ART002;5.50;;']);
    expect(second.records, second.summary).to.include({ updated: 1, unchanged: 2 });
    expect(ws.shop.writeCount()).to.equal(writes + 1);
    expect(of('ART001').map((s) => [s.from_quantity, s.price])).to.deep.equal([['1', '2.500000']]);
  });
});
