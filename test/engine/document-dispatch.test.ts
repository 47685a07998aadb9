// One multi-flow document (a Sage « Format Sage » export) through the engine: read once, its records
// routed to the pipelines that take them, one report with a section per pipeline, what no flow uses
// counted by flag, records for flows not built yet (prices, customers) counted « non traité » (issue #8).
import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { formatSage } from '../../src/erp/format-sage/format.ts';
import { categories } from '../../pipelines/categories.ts';
import { products } from '../../pipelines/products.ts';
import { stock } from '../../pipelines/stock.ts';
import { makeWorkspace, reportOf, type Workspace } from '../support/workspace.ts';

const SAGE = new URL('../fixtures/erp/sage/', import.meta.url).pathname;

describe('multi-flow documents (Format Sage)', () => {
  let ws: Workspace;
  beforeEach(async () => { ws = await makeWorkspace(); });
  afterEach(async () => { await ws.close(); });

  it('an accounting export (#MPLG only) is reported as not for the shop, with the count per flag, not a parse error', async () => {
    await fs.copyFile(path.join(SAGE, 'melorio_format-sage__DEMO_MPLG_20260919.txt'), path.join(ws.drop, 'DEMO_MPLG.txt'));
    const summary = await (await ws.engine({ pipelines: [stock, categories], documents: [formatSage] })).runOnce();
    expect(summary.exitCode).to.equal(0);
    const report = await reportOf(ws, 'DEMO_MPLG.txt');
    expect(report).to.include({ pipeline: 'format-sage', status: 'done', writes: 0 });
    expect(report.rejects).to.deep.equal([]);
    expect(report.document?.sections).to.deep.equal([]);
    expect(Object.keys(report.document?.unused ?? {})).to.deep.equal(['#MPLG']);
    expect(report.document?.unused['#MPLG']).to.be.above(0);
    expect(report.summary).to.match(/aucun des \d+ enregistrement\(s\) de ce .* ne concerne la boutique/);
  });

  it('the catalogue export: families become categories once, each under its parent, then the articles products; the flows not built yet are « non traité », the same bytes again a duplicate', async () => {
    await fs.copyFile(path.join(SAGE, 'catalogue_format-sage.txt'), path.join(ws.drop, 'catalogue.txt'));
    await (await ws.engine({ pipelines: [categories, products, stock], documents: [formatSage] })).runOnce();
    const report = await reportOf(ws, 'catalogue.txt');
    expect(report.status, report.summary).to.equal('partial');
    const section = report.document?.sections.find((s) => s.pipeline === 'categories');
    expect(section?.records.created, report.summary).to.be.above(0);
    expect(section?.writes).to.equal(section?.records.created);
    expect(report.document?.sections.map((s) => s.pipeline), 'in dependency order').to.deep.equal(['categories', 'products', 'prices', 'customers']);
    const articles = report.document?.sections.find((s) => s.pipeline === 'products');
    expect(articles?.records, report.summary).to.include({ read: 50, created: 49, rejected: 1 }); // ART007: a VAT rate the shop has no group for
    expect(articles?.notBuilt).to.equal(undefined);
    const notBuilt = report.document?.sections.filter((s) => s.notBuilt !== undefined).map((s) => s.pipeline).sort();
    expect(notBuilt).to.deep.equal(['customers', 'prices']);
    const created = ws.shop.store.list('categories').length;

    // parents first: each node under the category created for its parent
    const byName = (n: string) => ws.shop.store.list('categories').find((c) => JSON.stringify(c.name).includes(n));
    expect(byName('Pâtes à tartiner')?.id_parent).to.equal(String(byName('Petit-déjeuner')?.id));
    expect(byName('Petit-déjeuner')?.id_parent).to.equal(String(byName('Épicerie')?.id));
    expect(byName('Épicerie')?.id_parent).to.equal('2');

    // the same bytes again: a duplicate, archived without any write
    await fs.copyFile(path.join(SAGE, 'catalogue_format-sage.txt'), path.join(ws.drop, 'catalogue2.txt'));
    await (await ws.engine({ pipelines: [categories, products, stock], documents: [formatSage] })).runOnce();
    expect((await reportOf(ws, 'catalogue2.txt')).status).to.equal('duplicate');
    expect(ws.shop.store.list('categories').length).to.equal(created);
    expect(ws.shop.store.list('products').length).to.equal(49);
  });
});
