// The categories flow on a Sage « Format Sage » export in the sandbox (issue 8, Done when): the tree once,
// nothing written when nothing changed, one write for a family that moves or is renamed.
import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { formatSage } from '../../src/erp/format-sage/format.ts';
import type { FileReport } from '../../src/report.ts';
import { categories } from '../../pipelines/categories.ts';
import { catalogueRecords, encodeFormatSage } from '../fixtures/erp/sage/make-catalogue.ts';
import { makeWorkspace, reportOf, type Workspace } from '../support/workspace.ts';

type Rec = ReturnType<typeof catalogueRecords>[number];

const section = (r: FileReport) => r.document?.sections.find((s) => s.pipeline === 'categories');
const named = (ws: Workspace, n: string) => ws.shop.store.list('categories').find((c) => JSON.stringify(c.name).includes(n));

/** The fixture's records with #CFAM line `line` of family `code` set to `value`. */
function withFamily(records: Rec[], code: string, line: number, value: string): Rec[] {
  return records.map(([flag, fields]): Rec => (flag === '#CFAM' && fields[0] === code ? [flag, fields.map((f, i) => (i === line - 1 ? value : f))] : [flag, fields]));
}

describe('categories flow (Format Sage → category tree)', () => {
  let ws: Workspace;
  beforeEach(async () => { ws = await makeWorkspace(); });
  afterEach(async () => { await ws.close(); });

  const run = async (name: string, bytes: Buffer): Promise<FileReport> => {
    await fs.writeFile(path.join(ws.drop, name), bytes);
    await (await ws.engine({ pipelines: [categories], documents: [formatSage] })).runOnce();
    return reportOf(ws, name);
  };
  const categoryWrites = () => ws.shop.requests.filter((r) => r.method !== 'GET' && r.path.includes('categories')).length;

  it('builds the 3-level catalogue once; the same records again in another file make no write at all', async () => {
    const first = await run('catalogue1.txt', encodeFormatSage(catalogueRecords()));
    expect(section(first)?.records.created).to.equal(16);
    expect(named(ws, 'Café moulu')?.id_parent).to.equal(String(named(ws, 'Cafés')?.id));
    expect(named(ws, 'Cafés')?.id_parent).to.equal(String(named(ws, 'Boissons')?.id));
    // « Bio » under both roots: two categories, each with its own child
    const bios = ws.shop.store.list('categories').filter((c) => JSON.stringify(c.name).includes('"Bio"'));
    expect(bios).to.have.length(2);
    expect(named(ws, 'Jus bio')?.id_parent).to.equal(String(bios.find((b) => b.id_parent === String(named(ws, 'Boissons')?.id))?.id));

    const writes = categoryWrites();
    // another export (a designation changed: a record for the products flow) with the same tree
    const records = catalogueRecords().map(([flag, fields]): Rec => (flag === '#CART' && fields[0] === 'ART001' ? [flag, fields.map((f, i) => (i === 1 ? `${f} (nouveau)` : f))] : [flag, fields]));
    const again = await run('catalogue2.txt', encodeFormatSage(records));
    expect(section(again)?.records).to.deep.include({ created: 0, updated: 0, unchanged: 16 });
    expect(categoryWrites()).to.equal(writes);
  });

  it('moves a family that changes centralising family with exactly one write, keeping the same category', async () => {
    const noCatalogue = catalogueRecords().filter(([flag]) => flag !== '#CCATAL');
    await run('familles1.txt', encodeFormatSage(noCatalogue));
    const boissons = named(ws, 'Boissons');
    expect(boissons?.id_parent).to.equal(String(named(ws, 'Alimentation')?.id));
    const writes = categoryWrites();
    // BOI leaves ALIM for the root (#CFAM line 10, famille centralisatrice)
    const moved = await run('familles2.txt', encodeFormatSage(withFamily(noCatalogue, 'BOI', 10, '')));
    expect(section(moved)?.records).to.deep.include({ created: 0, updated: 1, unchanged: 2 });
    expect(categoryWrites() - writes).to.equal(1);
    expect(named(ws, 'Boissons')).to.include({ id: boissons?.id, id_parent: '2' });
  });

  it('renames a family in every language with one write, and deactivates one no longer published', async () => {
    const noCatalogue = catalogueRecords().filter(([flag]) => flag !== '#CCATAL');
    await run('familles1.txt', encodeFormatSage(noCatalogue));
    const epi = named(ws, 'Épicerie fine');
    const writes = categoryWrites();
    const renamed = withFamily(withFamily(noCatalogue, 'EPI', 3, 'Épicerie de qualité'), 'BOI', 31, '0');
    const report = await run('familles2.txt', encodeFormatSage(renamed));
    expect(section(report)?.records).to.deep.include({ updated: 2 });
    expect(categoryWrites() - writes).to.equal(2);
    const now = ws.shop.store.get('categories', Number(epi?.id)) as { name: Record<string, string> };
    expect(Object.values(now.name).every((n) => n === 'Épicerie de qualité'), JSON.stringify(now.name)).to.equal(true);
    expect(named(ws, 'Boissons')?.active).to.equal('0');
  });
});
