import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ImageFolder, syncProductImages } from '../../pipelines/steps/product-images.ts';
import { silentLogger } from '../../src/log.ts';
import type { FileContext } from '../../src/pipeline.ts';
import { ShopClient } from '../../src/prestashop/client.ts';
import { StateStore } from '../../src/state/store.ts';
import { makeWorkspace, type Workspace } from '../support/workspace.ts';

const jpeg = (tag: string): Buffer => Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), Buffer.from(tag)]);
const png = (tag: string): Buffer => Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from(tag)]);

describe('product images (drop/images/ → /api/images/products/{id})', () => {
  let ws: Workspace;
  let ctx: FileContext;
  let state: StateStore;
  let dir: string;
  let idProduct: string;

  beforeEach(async () => {
    ws = await makeWorkspace({ products: [{ reference: 'VIS-4X40' }] });
    dir = path.join(ws.drop, 'images');
    await fs.mkdir(dir, { recursive: true });
    await fs.mkdir(path.dirname(ws.loaded.config.paths.state), { recursive: true });
    state = new StateStore(ws.loaded.config.paths.state);
    const shop = new ShopClient({ url: ws.shop.url, key: ws.shop.key, language: 'fr', retryBaseMs: 2 });
    const warnings: string[] = [];
    ctx = { config: ws.loaded.config, profile: undefined as never, shop, state, log: silentLogger(), dryRun: false, warn: (m) => warnings.push(m), file: { name: 'a.txt', path: 'a.txt', sha256: 'x' } };
    idProduct = String(ws.shop.store.list('products')[0]?.id);
  });
  afterEach(async () => {
    state.close();
    await ws.close();
  });

  const sync = async () => syncProductImages(ctx, await ImageFolder.open(dir), 'VIS-4X40', idProduct);
  const images = () => ws.shop.store.list('images').filter((i) => i.id_product === idProduct);
  const writes = () => ws.shop.requests.filter((r) => r.method !== 'GET').length;
  const bytesOf = async (idImage: unknown): Promise<Buffer> => {
    const res = await fetch(`${ws.shop.url}/api/images/products/${idProduct}/${String(idImage)}`, { headers: { Authorization: `Basic ${Buffer.from(`${ws.shop.key}:`).toString('base64')}` } });
    return Buffer.from(await res.arrayBuffer());
  };

  it('uploads each image once, the cover first; unchanged bytes are never sent again, even with a new mtime', async () => {
    await fs.writeFile(path.join(dir, 'VIS-4X40.jpg'), jpeg('cover'));
    await fs.writeFile(path.join(dir, 'VIS-4X40-2.PNG'), png('second'));
    expect(await sync()).to.deep.include({ sent: 2, replaced: 0, unchanged: 0 });
    const [first, second] = images();
    expect(first).to.include({ cover: '1', position: '1' });
    expect(second).to.include({ position: '2' });
    expect(String(ws.shop.store.get('products', Number(idProduct))?.id_default_image)).to.equal(String(first?.id));

    const before = ws.shop.requests.length;
    expect(await sync()).to.deep.include({ sent: 0, replaced: 0, unchanged: 2 });
    await fs.utimes(path.join(dir, 'VIS-4X40.jpg'), new Date(), new Date(Date.now() + 5000));
    expect(await sync()).to.deep.include({ sent: 0, replaced: 0, unchanged: 2 });
    expect(ws.shop.requests.length, 'no request at all').to.equal(before);
  });

  it('replaces a changed image in place: same image, same cover, new bytes, no duplicate', async () => {
    await fs.writeFile(path.join(dir, 'VIS-4X40.jpg'), jpeg('v1'));
    await sync();
    const [img] = images();
    await fs.writeFile(path.join(dir, 'VIS-4X40.jpg'), jpeg('version 2'));
    const w = writes();
    expect(await sync()).to.deep.include({ sent: 0, replaced: 1 });
    expect(writes() - w).to.equal(1);
    expect(images()).to.have.length(1);
    expect(images()[0]).to.include({ id: img?.id, cover: '1' });
    expect((await bytesOf(img?.id)).toString('latin1')).to.contain('version 2');
  });

  it('refuses a file that is not an image by its bytes, whatever its name, without sending it', async () => {
    await fs.writeFile(path.join(dir, 'VIS-4X40.jpg'), 'AR_Ref;DE_No\r\nVIS;1\r\n');
    const out = await sync();
    expect(out.problems).to.deep.equal(["image VIS-4X40.jpg refusée : ce n'est pas une image JPEG, PNG, GIF ou WebP (contenu : du texte)"]);
    expect(writes()).to.equal(0);
    expect(images()).to.have.length(0);
  });

  it('after a kill between an upload and its record, takes the uploaded image back instead of sending a second one', async () => {
    await fs.writeFile(path.join(dir, 'VIS-4X40.jpg'), jpeg('v1'));
    await sync();
    const [img] = images();
    // as the step leaves it just before an upload whose answer never came back
    state.remember('product-image', 'vis-4x40#1', '0', { product: idProduct, pending: true, before: [] });
    await fs.writeFile(path.join(dir, 'VIS-4X40.jpg'), jpeg('v2'));
    expect(await sync()).to.deep.include({ sent: 0, replaced: 1 });
    expect(images().map((i) => i.id)).to.deep.equal([img?.id]);
  });
});
