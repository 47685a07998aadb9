// A Sage catalogue node that changes parent (issue 8: « a family that moves gets its new parent »). Nodes are
// keyed by their label path, so the move is recognised by transforms/sage/moves.ts: one category write on
// the same category, the categories under it and the products in it follow; two distinct nodes never merge.
import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { formatSage } from '../../src/erp/format-sage/format.ts';
import type { FileReport } from '../../src/report.ts';
import { categories } from '../../pipelines/categories.ts';
import { products } from '../../pipelines/products.ts';
import { catalogueRecords, encodeFormatSage } from '../fixtures/erp/sage/make-catalogue.ts';
import { makeWorkspace, reportOf, type Workspace } from '../support/workspace.ts';

type Rec = ReturnType<typeof catalogueRecords>[number];
const PIPELINES = [categories, products];

/** « Thés » (and « Thé vert » under it) leaves « Boissons » for « Épicerie »; the articles say so too. */
function teaUnderGrocery(records: readonly Rec[]): Rec[] {
  return records.map(([flag, f]): Rec => {
    if (flag === '#CCATAL' && f[0] === 'Thés') return [flag, [f[0], f[1]!, f[2]!, f[3]!, 'Épicerie']];
    if (flag === '#CART' && f[59] === 'Boissons' && f[60] === 'Thés') return [flag, f.map((v, i) => (i === 59 ? 'Épicerie' : v))];
    return [flag, f];
  });
}

describe('catalogue node moved (Format Sage #CCATAL)', () => {
  let ws: Workspace;
  beforeEach(async () => { ws = await makeWorkspace(); });
  afterEach(async () => { await ws.close(); });

  const run = async (name: string, records: readonly Rec[]): Promise<FileReport> => {
    await fs.writeFile(path.join(ws.drop, name), encodeFormatSage(records));
    await (await ws.engine({ pipelines: PIPELINES, documents: [formatSage] })).runOnce();
    return reportOf(ws, name);
  };
  const section = (r: FileReport, p: string) => r.document?.sections.find((s) => s.pipeline === p);
  const writes = (what: string) => ws.shop.requests.filter((r) => r.method !== 'GET' && r.path.includes(what)).length;
  const named = (fr: string) => ws.shop.store.list('categories').filter((c) => (c.name as Record<string, string>)['1'] === fr);
  const one = (fr: string) => {
    const all = named(fr);
    expect(all, fr).to.have.length(1);
    return all[0]!;
  };
  const categoriesOf = (ref: string) => {
    const p = ws.shop.store.list('products').find((x) => String(x.reference) === ref) as { associations?: { categories?: Array<{ id: string }> }; id_category_default?: string };
    return { default: String(p.id_category_default), all: (p.associations?.categories ?? []).map((c) => String(c.id)).sort() };
  };

  it('a whole export with « Thés » under another root: one category write on the same category, its child and products follow', async () => {
    await run('catalogue1.txt', catalogueRecords());
    const tea = one('Thés');
    const green = one('Thé vert');
    const categoryWrites = writes('categories');
    const productWrites = writes('products');

    const report = await run('catalogue2.txt', teaUnderGrocery(catalogueRecords()));
    expect(section(report, 'categories')?.records, report.summary).to.deep.include({ created: 0, updated: 1 });
    expect(writes('categories') - categoryWrites, 'one PATCH of « Thés »').to.equal(1);
    expect(one('Thés')).to.include({ id: tea.id, id_parent: String(one('Épicerie').id) });
    expect(one('Thé vert')).to.include({ id: green.id, id_parent: String(tea.id) });
    expect(report.warnings.join('\n')).to.match(/nœud de catalogue déplacé : « Boissons\/Thés » → « Épicerie\/Thés »/);
    // ART007 is rejected (VAT 7 %); the other tea articles now sit in Épicerie > Thés > Thé vert
    const teaArticles = ['ART015', 'ART023', 'ART031', 'ART039', 'ART047'];
    for (const ref of teaArticles) {
      expect(categoriesOf(ref), ref).to.deep.equal({ default: String(green.id), all: [String(one('Épicerie').id), String(tea.id), String(green.id)].sort() });
    }
    expect(section(report, 'products')?.records).to.deep.include({ created: 0, updated: teaArticles.length });
    expect(writes('products') - productWrites, 'one PATCH per tea article (its root category changed)').to.equal(teaArticles.length);

    const again = await run('catalogue3.txt', teaUnderGrocery(catalogueRecords()).map(([flag, f]): Rec => (flag === '#CCLI' ? [flag, f.map((v, i) => (i === 54 ? '04 78 11 11 11' : v))] : [flag, f])));
    expect(section(again, 'categories')?.records).to.deep.include({ created: 0, updated: 0, unchanged: 16 });
  });

  it('a partial export with the moved node only: same category; a later article under the new path finds the node below it', async () => {
    await run('catalogue1.txt', catalogueRecords());
    const tea = one('Thés');
    const green = one('Thé vert');
    const categoryWrites = writes('categories');
    const moved = teaUnderGrocery(catalogueRecords()).filter(([flag, f]) => flag === '#CCATAL' && f[0] === 'Thés');
    const report = await run('partiel1.txt', moved);
    expect(section(report, 'categories')?.records, report.summary).to.deep.include({ created: 0, updated: 1, rejected: 0 });
    expect(writes('categories') - categoryWrites).to.equal(1);
    expect(one('Thés')).to.include({ id: tea.id, id_parent: String(one('Épicerie').id) });

    // the next partial export: one article of « Thé vert », which this export does not carry
    const records = teaUnderGrocery(catalogueRecords());
    const at = records.findIndex(([flag, f]) => flag === '#CART' && f[0] === 'ART015');
    const article = records.slice(at, records.findIndex(([flag], i) => i > at && flag === '#CART'));
    const taxes = records.filter(([flag]) => flag === '#MTAX');
    const next = await run('partiel2.txt', [...taxes, ...article]);
    expect(section(next, 'products')?.records, next.summary).to.deep.include({ updated: 1, rejected: 0 });
    expect(categoriesOf('ART015').default).to.equal(String(green.id));
    expect(named('Thé vert')).to.have.length(1);
  });

  it('never merges two nodes: a new « Sablés » without code under « Cafés » in a partial export is a new category', async () => {
    await run('catalogue1.txt', catalogueRecords());
    const biscuits = one('Sablés');
    const report = await run('partiel.txt', [['#CCATAL', ['Sablés', '', '0', '2', 'Cafés']]]);
    expect(section(report, 'categories')?.records, report.summary).to.deep.include({ created: 1, updated: 0 });
    const both = named('Sablés');
    expect(both).to.have.length(2);
    expect(both.find((c) => c.id === biscuits.id)).to.include({ id_parent: biscuits.id_parent });
    expect(report.warnings.join('\n')).to.match(/rien ne prouve un déplacement : il est créé comme un nouveau nœud/);
  });

  it('never merges two nodes: a node of the same label with another code is another node', async () => {
    await run('catalogue1.txt', catalogueRecords());
    const report = await run('partiel.txt', [['#CCATAL', ['Sablés', '99', '0', '2', 'Cafés']]]);
    expect(section(report, 'categories')?.records, report.summary).to.deep.include({ created: 1, updated: 0 });
    expect(named('Sablés')).to.have.length(2);
  });
});
