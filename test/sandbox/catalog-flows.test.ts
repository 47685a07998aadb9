// What the next flows (families, articles, images, taxes, variants) will do against the sandbox, checked
// against the recorded behaviour or PrestaShop's source (the comments say which).
import { expect } from 'chai';
import { startSandbox, type SandboxShop } from '../../src/sandbox/index.ts';
import { IMAGES, associationIds, call, codes, createdId, lang, langs, multipart, value, values, xmlOf } from './support/ws.ts';

describe('sandbox: catalogue flows', () => {
  let shop: SandboxShop;
  beforeEach(async () => { shop = await startSandbox(); });
  afterEach(() => shop.close());

  const category = async (parent: number | string, fr: string, en: string, extra = ''): Promise<number> => createdId(await call(shop, 'POST', 'categories',
    xmlOf('category', `<id_parent>${parent}</id_parent><active>1</active><name>${lang(fr, en)}</name>${extra}`)));
  const product = async (extra: string): Promise<number> => createdId(await call(shop, 'POST', 'products', xmlOf('product',
    `<reference>ART-1</reference><price>15.99</price><id_tax_rules_group>1</id_tax_rules_group><id_category_default>2</id_category_default><state>1</state><active>1</active><name>${lang('Vis', 'Screw')}</name>${extra}`)));
  const upload = (idProduct: number, data: Buffer, name = 'photo.jpg', type = 'image/jpeg', query = ''): Promise<{ status: number; text: string; type: string }> => {
    const m = multipart([{ name: 'image', filename: name, type, data }]);
    return call(shop, 'POST', `images/products/${idProduct}${query}`, m.body, m.contentType);
  };

  it('categories: level_depth from the parent; moving a family moves its subtree; an unknown parent is a bare 500 (Category::add/update)', async () => {
    const family = await category(2, 'Visserie', 'Screws');
    const sub = await category(family, 'Vis à bois', 'Wood screws');
    const other = await category(2, 'Outillage', 'Tools');
    expect([shop.store.get('categories', family)?.level_depth, shop.store.get('categories', sub)?.level_depth]).to.deep.equal(['2', '3']);
    const moved = await call(shop, 'PATCH', `categories/${family}`, xmlOf('category', `<id>${family}</id><id_parent>${other}</id_parent><active>0</active>`));
    expect(moved.status).to.equal(200);
    expect([shop.store.get('categories', family)?.level_depth, shop.store.get('categories', sub)?.level_depth, shop.store.get('categories', family)?.active]).to.deep.equal(['3', '4', '0']);
    expect(associationIds((await call(shop, 'GET', `categories/${other}`)).text, 'categories')).to.deep.equal([String(family)]);
    const orphan = await call(shop, 'POST', 'categories', xmlOf('category', `<id_parent>999</id_parent><active>1</active><name>${lang('X', 'X')}</name>`));
    expect([orphan.status, orphan.text]).to.deep.equal([500, '']);
    const self = await call(shop, 'PATCH', `categories/${family}`, xmlOf('category', `<id>${family}</id><id_parent>${family}</id_parent>`));
    expect([self.status, self.text]).to.deep.equal([500, '']);
    const noActive = await call(shop, 'POST', 'categories', xmlOf('category', `<id_parent>2</id_parent><name>${lang('X', 'X')}</name>`));
    expect([noActive.status, codes(noActive.text)]).to.deep.equal([400, [41]]);
  });

  it('products: POST with categories, tax group, unity/unit_price, weight; the stock row is created; tax rate found through tax_rules (023, §6.2)', async () => {
    const family = await category(2, 'Visserie', 'Screws');
    const id = await product(`<weight>0.250</weight><ean13>3017620422003</ean13><unity>kg</unity><unit_price>63.96</unit_price><id_category_default>${family}</id_category_default>`
      + `<associations><categories><category><id>2</id></category><category><id>${family}</id></category></categories></associations>`);
    const read = await call(shop, 'GET', `products/${id}`);
    expect(associationIds(read.text, 'categories')).to.deep.equal(['2', String(family)]);
    expect([value(read.text, 'unit_price_ratio'), value(read.text, 'position_in_category'), value(read.text, 'weight')]).to.deep.equal(['0.25', '1', '0.250000']);
    expect(associationIds(read.text, 'stock_availables')).to.have.length(1);
    expect(associationIds((await call(shop, 'GET', `categories/${family}`)).text, 'products')).to.deep.equal([String(id)]);
    // id_tax_rules_group -> tax_rules (France, id 8) -> taxes.rate
    const rules = await call(shop, 'GET', 'tax_rules?filter[id_tax_rules_group]=[1]&filter[id_country]=[8]&display=[id_tax]');
    const rate = await call(shop, 'GET', `taxes/${values(rules.text, 'id_tax')[0] ?? ''}`);
    expect(value(rate.text, 'rate')).to.equal('20.000');
    const byRate = await call(shop, 'GET', 'taxes?filter[rate]=[5.500]&display=[id,rate]');
    expect(values(byRate.text, 'id')).to.deep.equal(['3']);
  });

  it('images: the first upload becomes the cover and id_default_image; ps_method=PUT replaces; deleting the cover leaves none (057-067, Image::delete)', async () => {
    const id = await product('');
    const first = await upload(id, IMAGES.jpeg);
    expect([first.status, value(first.text, 'cover'), value(first.text, 'position')]).to.deep.equal([200, '1', '1']);
    const idImage = Number(value(first.text, 'id'));
    const second = Number(value((await upload(id, IMAGES.png, 'photo.png', 'image/png')).text, 'id'));
    expect(shop.store.get('products', id)?.id_default_image).to.equal(String(idImage));
    expect(associationIds((await call(shop, 'GET', `products/${id}`)).text, 'images')).to.deep.equal([String(idImage), String(second)]);
    const put = await upload(id, IMAGES.png, 'new.png', 'image/png', `/${idImage}?ps_method=PUT`);
    expect([put.status, put.type]).to.deep.equal([200, 'image/jpeg']);
    expect(Buffer.from(await (await fetch(`${shop.url}/api/images/products/${id}/${idImage}`, { headers: { Authorization: `Basic ${Buffer.from(`${shop.key}:`).toString('base64')}` } })).arrayBuffer())).to.deep.equal(IMAGES.png);
    const putText = await upload(id, IMAGES.text, 'x.jpg', 'image/jpeg', `/${idImage}?ps_method=PUT`);
    expect([putText.status, codes(putText.text)]).to.deep.equal([400, [73]]);
    expect((await call(shop, 'DELETE', `images/products/${id}/${idImage}`)).status).to.equal(200);
    expect(shop.store.get('products', id)?.id_default_image).to.equal('');
    expect(shop.store.get('images', second)).to.deep.include({ position: '1', cover: '' });
    const third = await upload(id, IMAGES.jpeg);
    expect(value(third.text, 'cover')).to.equal('1'); // the product had no cover any more
  });

  it('images: only image types and extensions pass the upload check; image bytes are checked after the row exists (060-064)', async () => {
    const id = await product('');
    const txt = await upload(id, IMAGES.text, 'notes.txt', 'text/plain');
    expect([txt.status, codes(txt.text)]).to.deep.equal([400, [76]]);
    const ext = await upload(id, IMAGES.jpeg, 'photo.bmp', 'image/jpeg');
    expect(values(ext.text, 'message')).to.deep.equal(['Image upload error : Image format not recognized, allowed formats are: gif, jpg, jpeg, jpe, png, webp']);
    const fake = await upload(id, IMAGES.text, 'fake.jpg', 'image/jpeg');
    expect(values(fake.text, 'message')).to.deep.equal(['An error occurred while copying image']);
    const orphan = shop.store.list('images').find((i) => i.id_product === String(id));
    expect(orphan?.cover).to.equal('1'); // first row of the product: the orphan is now its cover
    const binary = await call(shop, 'GET', `images/products/${id}/${String(orphan?.id)}`);
    expect([binary.status, codes(binary.text)]).to.deep.equal([500, [61]]);
    const big = await upload(id, Buffer.concat([IMAGES.jpeg, Buffer.alloc(8_000_001)]));
    expect([big.status, codes(big.text)]).to.deep.equal([400, [72]]);
  });

  it('variants: options, values, combinations with their stock rows, the default combination, and deletes that cascade (Combination, AttributeGroup)', async () => {
    const id = await product('');
    const option = await call(shop, 'POST', 'product_options', xmlOf('product_option', `<group_type>color</group_type><name>${lang('Couleur', 'Colour')}</name><public_name>${lang('Couleur', 'Colour')}</public_name>`));
    const idOption = createdId(option);
    expect([value(option.text, 'is_color_group'), value(option.text, 'position')]).to.deep.equal(['1', '0']);
    const valueId = async (fr: string): Promise<number> => createdId(await call(shop, 'POST', 'product_option_values', xmlOf('product_option_value', `<id_attribute_group>${idOption}</id_attribute_group><color>#FF0000</color><name>${lang(fr, fr)}</name>`)));
    const red = await valueId('Rouge');
    const blue = await valueId('Bleu');
    expect(associationIds((await call(shop, 'GET', `product_options/${idOption}`)).text, 'product_option_values')).to.deep.equal([String(red), String(blue)]);
    const combination = async (v: number, extra = ''): Promise<number> => createdId(await call(shop, 'POST', 'combinations', xmlOf('combination',
      `<id_product>${id}</id_product><reference>ART-1-${v}</reference><minimal_quantity>1</minimal_quantity>${extra}<associations><product_option_values><product_option_value><id>${v}</id></product_option_value></product_option_values></associations>`)));
    const c1 = await combination(red);
    const c2 = await combination(blue, '<default_on>1</default_on>');
    const read = await call(shop, 'GET', `products/${id}`);
    expect([associationIds(read.text, 'combinations'), associationIds(read.text, 'product_option_values'), value(read.text, 'id_default_combination')])
      .to.deep.equal([[String(c1), String(c2)], [String(red), String(blue)], String(c2)]);
    expect(shop.store.list('stock_availables').filter((s) => s.id_product === String(id)).map((s) => s.id_product_attribute)).to.deep.equal(['0', String(c1), String(c2)]);
    expect(associationIds((await call(shop, 'GET', `combinations/${c1}`)).text, 'product_option_values')).to.deep.equal([String(red)]);
    const noMin = await call(shop, 'POST', 'combinations', xmlOf('combination', `<id_product>${id}</id_product>`));
    expect([noMin.status, codes(noMin.text)]).to.deep.equal([400, [41]]);
    // Deleting the value "Bleu" deletes the combination using it; the default falls back to the first one.
    expect((await call(shop, 'DELETE', `product_option_values/${blue}`)).status).to.equal(200);
    expect([shop.store.get('combinations', c2), shop.store.get('products', id)?.id_default_combination]).to.deep.equal([undefined, String(c1)]);
    // Deleting the option deletes its values, then every combination left without any value.
    expect((await call(shop, 'DELETE', `product_options/${idOption}`)).status).to.equal(200);
    expect([shop.store.list('product_option_values'), shop.store.list('combinations')]).to.deep.equal([[], []]);
    expect(shop.store.list('stock_availables').filter((s) => s.id_product === String(id)).map((s) => s.id_product_attribute)).to.deep.equal(['0']);
    expect(langs(option.text, 'name')).to.deep.equal({ 1: 'Couleur', 2: 'Colour' });
  });
});
