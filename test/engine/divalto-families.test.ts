// Divalto families (issue 8): ERP_FORMATS.md describes no family export for Divalto, so a file sent to the
// categories flow is refused with what to export instead; once that export is described in
// erp.flows.categories, it builds the tree and the articles' ART.FAM_0001 puts them in it.
import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import type { FileReport } from '../../src/report.ts';
import { categories } from '../../pipelines/categories.ts';
import { products } from '../../pipelines/products.ts';
import { writeArticles } from '../fixtures/erp/divalto/make-articles.ts';
import { makeWorkspace, reportOf, type Workspace } from '../support/workspace.ts';

const FAMILIES = iconv.encode('Code;Libellé;Parent\r\nBIJ;Bijouterie;\r\nHOR;Horlogerie;BIJ\r\n', 'windows-1252');

describe('Divalto families', () => {
  let ws: Workspace;
  afterEach(async () => { await ws.close(); });
  const drop = async (folder: string, name: string, bytes: Buffer): Promise<FileReport> => {
    await fs.mkdir(path.join(ws.drop, folder), { recursive: true });
    await fs.writeFile(path.join(ws.drop, folder, name), bytes);
    await (await ws.engine({ pipelines: [categories, products] })).runOnce();
    return reportOf(ws, name);
  };

  it('a families file without a described export is refused, naming what to export and where to describe it', async () => {
    ws = await makeWorkspace({ config: { erp: { profile: 'divalto' } } });
    const report = await drop('categories', 'familles.csv', FAMILIES);
    expect(report.status).to.equal('quarantined');
    expect(report.reason).to.match(/Divalto n'a pas d'export de familles d'articles connu/).and.match(/erp\.flows\.categories/).and.match(/ART\.FAM_0001/);
    expect(ws.shop.requests.filter((r) => r.method !== 'GET')).to.deep.equal([]);
  });

  it('described in erp.flows.categories, the families become categories and the articles go in them', async () => {
    ws = await makeWorkspace({ config: { erp: { profile: 'divalto', flows: {
      categories: { patterns: ['familles*.csv'], format: 'delimited', encoding: 'windows-1252', delimiter: ';', columns: { code: 'Code', name: 'Libellé', parent: 'Parent' } },
      products: { vatCodes: { 1: '20', 2: '5.5' }, columns: { family: 'ART.FAM_0001' } },
    } } } });
    const fam = await drop('categories', 'familles.csv', FAMILIES);
    expect(fam.records, fam.summary).to.deep.include({ created: 2, rejected: 0 });
    const cat = (n: string) => ws.shop.store.list('categories').find((c) => (c.name as Record<string, string>)['1'] === n);
    expect(cat('Horlogerie')?.id_parent).to.equal(String(cat('Bijouterie')?.id));
    const file = path.join(ws.root, 'articles.xlsx');
    await writeArticles(file);
    const art = await drop('products', 'articles.xlsx', await fs.readFile(file));
    expect(art.records.created, art.summary).to.be.above(0);
    expect(ws.shop.store.list('products').find((p) => p.reference === 'BAAR01')).to.include({ id_category_default: String(cat('Bijouterie')?.id) });
  });
});
