// Issue #6: a PATCH that sends a multi-language field in some languages only empties the others on the real
// PrestaShop 8.2 (transcripts 145-147, WEBSERVICE.md §5 "PATCH and languages"). The replay test compares
// shapes only; this one replays that case and compares the texts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { startSandbox, type SandboxShop } from '../../src/sandbox/index.ts';
import { transcriptsDir } from './support/transcripts.ts';
import { call, createdId, lang, langs, xmlOf } from './support/ws.ts';

interface Recorded { request: { method: string; path: string; body: string | null }; response: { status: number; body: string } }
const recorded = (file: string): Recorded => JSON.parse(readFileSync(path.join(transcriptsDir, file), 'utf8')) as Recorded;

describe('sandbox: PATCH and multi-language fields', () => {
  let shop: SandboxShop;
  beforeEach(async () => { shop = await startSandbox(); });
  afterEach(() => shop.close());

  it('replays 145-147: name sent in fr only -> en emptied, description_short not sent -> both kept', async () => {
    const post = recorded('145-s15-post-product-two-languages.json');
    const patch = recorded('146-s15-patch-name-fr-only.json');
    const get = recorded('147-s15-get-after-patch-name-fr-only.json');
    const created = await call(shop, 'POST', 'products', post.request.body ?? '');
    expect(created.status).to.equal(post.response.status);
    // The recording's product was 1322; here it gets the sandbox's next id.
    const id = String(createdId(created));
    const onId = (s: string): string => s.replaceAll('1322', id);

    const patched = await call(shop, 'PATCH', onId(patch.request.path).replace('/api/', ''), onId(patch.request.body ?? ''));
    expect(patched.status).to.equal(patch.response.status);
    expect(langs(patched.text, 'name')).to.deep.equal(langs(patch.response.body, 'name'));
    expect(langs(patched.text, 'name')).to.deep.equal({ 1: 'Tournevis plat ML bis', 2: '' });

    const read = await call(shop, 'GET', `products/${id}`);
    expect(read.status).to.equal(get.response.status);
    for (const field of ['name', 'description_short', 'link_rewrite']) {
      expect(langs(read.text, field), field).to.deep.equal(langs(get.response.body, field));
    }
    expect(shop.store.get('products', Number(id))?.name).to.deep.equal({ 1: 'Tournevis plat ML bis', 2: '' });
  });

  it('keeps every language of a multi-language field the PATCH does not send', async () => {
    const id = createdId(await call(shop, 'POST', 'products', xmlOf('product', `<price>1</price><state>1</state><name>${lang('Pince', 'Pliers')}</name>`)));
    const patched = await call(shop, 'PATCH', `products/${id}`, xmlOf('product', `<id>${id}</id><price>2</price>`));
    expect(patched.status).to.equal(200);
    expect(shop.store.get('products', id)).to.deep.include({ name: { 1: 'Pince', 2: 'Pliers' }, price: '2.000000' });
  });

  it('writes a multi-language field sent as plain text (no <language>) into every language', async () => {
    const id = createdId(await call(shop, 'POST', 'products', xmlOf('product', `<price>1</price><name>${lang('Pince', 'Pliers')}</name>`)));
    await call(shop, 'PATCH', `products/${id}`, xmlOf('product', `<id>${id}</id><name>Tenaille</name>`));
    expect(shop.store.get('products', id)?.name).to.deep.equal({ 1: 'Tenaille', 2: 'Tenaille' });
  });

  it('fills a REQUIRED multi-language field left empty with the default language (category name), not with ""', async () => {
    const id = createdId(await call(shop, 'POST', 'categories', xmlOf('category', `<id_parent>2</id_parent><active>1</active><name>${lang('Visserie', 'Screws')}</name><link_rewrite>${lang('visserie', 'screws')}</link_rewrite>`)));
    await call(shop, 'PATCH', `categories/${id}`, xmlOf('category', `<id>${id}</id><name><language id="1">Boulonnerie</language></name>`));
    expect(shop.store.get('categories', id)?.name).to.deep.equal({ 1: 'Boulonnerie', 2: 'Boulonnerie' });
  });
});
