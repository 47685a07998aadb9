// Product images through the products flow: drop/images/ beside a Format Sage catalogue export (issue 8,
// « images uploaded once, re-uploaded only when their bytes change », refused by content).
import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { formatSage } from '../../src/erp/format-sage/format.ts';
import type { FileReport } from '../../src/report.ts';
import { categories } from '../../pipelines/categories.ts';
import { products } from '../../pipelines/products.ts';
import { catalogueRecords, encodeFormatSage } from '../fixtures/erp/sage/make-catalogue.ts';
import { makeWorkspace, reportOf, type Workspace } from '../support/workspace.ts';

const jpeg = (tag: string): Buffer => Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), Buffer.from(tag)]);
const png = (tag: string): Buffer => Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from(tag)]);

/** Another export with the same articles: the customer's phone changed (not a duplicate file, nothing for products). */
function export_(n: number): Buffer {
  const records = catalogueRecords();
  records.find(([flag]) => flag === '#CCLI')![1][54] = `04 78 00 00 0${n}`;
  return encodeFormatSage(records);
}

describe('products flow with images (drop/images/)', () => {
  let ws: Workspace;
  let images: string;
  beforeEach(async () => {
    ws = await makeWorkspace();
    images = path.join(ws.drop, 'images');
    await fs.mkdir(images);
  });
  afterEach(async () => { await ws.close(); });

  const run = async (name: string, bytes: Buffer): Promise<FileReport> => {
    await fs.writeFile(path.join(ws.drop, name), bytes);
    await (await ws.engine({ pipelines: [categories, products], documents: [formatSage] })).runOnce();
    return reportOf(ws, name);
  };
  const productId = (ref: string) => String(ws.shop.store.list('products').find((p) => p.reference === ref)?.id);
  const imagesOf = (ref: string) => ws.shop.store.list('images').filter((i) => i.id_product === productId(ref));
  const imageWrites = () => ws.shop.requests.filter((r) => r.method !== 'GET' && r.path.startsWith('/api/images/')).length;

  it('uploads each image once with its product, the cover first, re-sends only changed bytes, refuses a non-image by content', async () => {
    await fs.writeFile(path.join(images, 'ART001.jpg'), jpeg('cover'));
    await fs.writeFile(path.join(images, 'ART001-2.png'), png('back'));
    await fs.writeFile(path.join(images, 'ART002.jpg'), 'pas une image');
    const first = await run('catalogue1.txt', export_(1));
    expect(imagesOf('ART001').map((i) => [i.position, i.cover])).to.deep.equal([['1', '1'], ['2', '']]);
    expect(imagesOf('ART002')).to.deep.equal([]);
    expect(first.warnings.join('\n')).to.contain("ART002 : image ART002.jpg refusée : ce n'est pas une image JPEG, PNG, GIF ou WebP (contenu : du texte)");
    expect(imageWrites()).to.equal(2);

    // the same folder with another export: no image request, no product write
    const requests = ws.shop.requests.length;
    const again = await run('catalogue2.txt', export_(2));
    expect(again.document?.sections.find((s) => s.pipeline === 'products')?.records).to.deep.include({ created: 0, updated: 0 });
    expect(ws.shop.requests.slice(requests).filter((r) => r.method !== 'GET')).to.deep.equal([]);

    // one image's bytes change: one image write, in place, and nothing else
    await fs.writeFile(path.join(images, 'ART001-2.png'), png('back, retouched'));
    const before = imageWrites();
    const writesBefore = ws.shop.requests.filter((r) => r.method !== 'GET').length;
    const changed = await run('catalogue3.txt', export_(3));
    expect(imageWrites() - before).to.equal(1);
    expect(ws.shop.requests.filter((r) => r.method !== 'GET').length - writesBefore).to.equal(1);
    expect(imagesOf('ART001')).to.have.length(2);
    expect(changed.document?.sections.find((s) => s.pipeline === 'products')?.records).to.deep.include({ updated: 1 });
  });
});
