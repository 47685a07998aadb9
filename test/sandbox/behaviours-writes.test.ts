// The write semantics of the real PrestaShop 8.2 that hurt a connector, one test each; the comment on each
// says where the behaviour comes from (transcript, WEBSERVICE.md section, or PrestaShop's source).
import { expect } from 'chai';
import { startSandbox, type SandboxShop } from '../../src/sandbox/index.ts';
import { associationIds, call, codes, createdId, lang, langs, value, values, xmlOf } from './support/ws.ts';

const product = (inner: string): string => xmlOf('product', inner);

describe('sandbox behaviours: writes', () => {
  let shop: SandboxShop;
  beforeEach(async () => { shop = await startSandbox(); });
  afterEach(() => shop.close());

  const newProduct = async (extra = ''): Promise<number> => createdId(await call(shop, 'POST', 'products', product(
    `<reference>REF-1</reference><price>10</price><state>1</state><active>1</active><id_category_default>2</id_category_default><name>${lang('Vis', 'Screw')}</name>`
    + `<associations><categories><category><id>2</id></category></categories></associations>${extra}`)));

  it('PUT resets every field it does not carry, languages included, and date_add; associations it does not carry stay (032/033)', async () => {
    const id = await newProduct();
    const before = shop.store.get('products', id);
    const put = await call(shop, 'PUT', `products/${id}`, product(`<id>${id}</id><price>12</price>`));
    expect(put.status).to.equal(200);
    const after = shop.store.get('products', id);
    expect(after).to.deep.include({ reference: '', state: '0', active: '0', id_category_default: '0', product_type: '', price: '12.000000' });
    expect(after?.name).to.deep.equal({ 1: '', 2: '' });
    expect((after?.associations as Record<string, unknown>).categories).to.deep.equal([{ id: '2' }]);
    expect(after?.date_add).to.not.equal(undefined);
    expect(value(put.text, 'position_in_category')).to.equal(''); // id_category_default 0: no place in a category
    expect(before?.position_in_category).to.equal('1');
  });

  it('PUT on a customer without secure_key wipes it; PATCH keeps it (LESSONS B3, PrestaShop #42206)', async () => {
    const id = createdId(await call(shop, 'POST', 'customers', xmlOf('customer', '<passwd>Secret-2024</passwd><lastname>Martin</lastname><firstname>Marie</firstname><email>marie@example.com</email>')));
    const key = String(shop.store.get('customers', id)?.secure_key);
    expect(key).to.match(/^[0-9a-f]{32}$/);
    await call(shop, 'PATCH', `customers/${id}`, xmlOf('customer', `<id>${id}</id><note>C001</note>`));
    expect(shop.store.get('customers', id)?.secure_key).to.equal(key);
    const hash = String(shop.store.get('customers', id)?.passwd);
    await call(shop, 'PUT', `customers/${id}`, xmlOf('customer', `<id>${id}</id><passwd>${hash}</passwd><lastname>Martin</lastname><firstname>Marie</firstname><email>marie@example.com</email>`));
    expect(shop.store.get('customers', id)).to.deep.include({ secure_key: '', passwd: hash, note: '' });
  });

  it('the id in the body wins over the id in the URL (037)', async () => {
    const a = await newProduct();
    const b = await newProduct();
    await call(shop, 'PATCH', `products/${a}`, product(`<id>${b}</id><reference>CHANGED</reference>`));
    expect([shop.store.get('products', a)?.reference, shop.store.get('products', b)?.reference]).to.deep.equal(['REF-1', 'CHANGED']);
  });

  it('a product POSTed without associations/categories is in no category, whatever id_category_default says (145/147)', async () => {
    const res = await call(shop, 'POST', 'products', product(`<price>5</price><id_category_default>2</id_category_default><name>${lang('Clou', 'Nail')}</name>`));
    const id = createdId(res);
    expect(associationIds(res.text, 'categories')).to.deep.equal([]);
    expect(shop.store.get('products', id)).to.deep.include({ id_category_default: '2', position_in_category: '', state: '0', product_type: '' });
    expect((await call(shop, 'GET', 'categories/2')).text).to.not.contain(`<id><![CDATA[${id}]]></id>`);
    // and it has its stock row anyway (023)
    expect(shop.store.list('stock_availables').filter((s) => s.id_product === String(id))).to.have.length(1);
  });

  it('link_rewrite: made from the name when absent, sanitised when invalid on POST, refused on PUT (§6.1, 036)', async () => {
    const made = await call(shop, 'POST', 'categories', xmlOf('category', `<id_parent>2</id_parent><active>1</active><name>${lang('Écrou M6 (sachet)', 'Nuts_M6, bag')}</name>`));
    expect(langs(made.text, 'link_rewrite')).to.deep.equal({ 1: 'ecrou-m6-sachet', 2: 'nutsm6-bag' });
    const bad = await call(shop, 'POST', 'categories', xmlOf('category', `<id_parent>2</id_parent><active>1</active><name>${lang('Bad', 'Bad')}</name><link_rewrite>${lang('bad rewrite é', 'ok-en')}</link_rewrite>`));
    expect([bad.status, langs(bad.text, 'link_rewrite')]).to.deep.equal([201, { 1: 'bad-rewrite-e', 2: 'ok-en' }]);
    const id = createdId(bad);
    const put = await call(shop, 'PATCH', `categories/${id}`, xmlOf('category', `<id>${id}</id><link_rewrite>${lang('pas bon', 'ok-en')}</link_rewrite>`));
    expect([put.status, codes(put.text)]).to.deep.equal([400, [84]]);
    expect(put.text).to.contain('Property Category-&gt;link_rewrite is not valid');
  });

  it('a stock quantity out of the int range is refused by the range check, 400/85 (validate.json objectmodel_calling_rules)', async () => {
    const id = await newProduct();
    const stock = shop.store.list('stock_availables').find((s) => s.id_product === String(id));
    const res = await call(shop, 'PATCH', `stock_availables/${String(stock?.id)}`, xmlOf('stock_available', `<id>${String(stock?.id)}</id><quantity>3000000000</quantity>`));
    expect([res.status, codes(res.text)]).to.deep.equal([400, [85]]);
    expect(res.text).to.contain('The range of property StockAvailable-&gt;quantity is currently 3000000000. It must be between -2147483648 and 2147483647.');
    expect(shop.store.get('stock_availables', Number(stock?.id))?.quantity).to.equal('0');
  });

  it('an int without a range check is clamped like non-strict MySQL; an unsigned one above 4294967295 is refused (isUnsignedInt)', async () => {
    const id = await newProduct('<low_stock_threshold>3000000000</low_stock_threshold><minimal_quantity>4000000000</minimal_quantity>');
    expect(shop.store.get('products', id)).to.deep.include({ low_stock_threshold: '2147483647', minimal_quantity: '4000000000' });
    const res = await call(shop, 'PATCH', `products/${id}`, product(`<id>${id}</id><minimal_quantity>4294967296</minimal_quantity>`));
    expect([res.status, codes(res.text)]).to.deep.equal([400, [85]]);
  });

  it('prices: "12,50" and "abc" refused with 85, six decimals stored (039/040, §6.2)', async () => {
    for (const bad of ['12,50', 'abc']) {
      const res = await call(shop, 'POST', 'products', product(`<price>${bad}</price><name>${lang('X', 'X')}</name>`));
      expect([res.status, codes(res.text)], bad).to.deep.equal([400, [85]]);
    }
    const id = createdId(await call(shop, 'POST', 'products', product(`<price>12.3456789</price><weight>0.250</weight><name>${lang('X', 'X')}</name>`)));
    expect(shop.store.get('products', id)).to.deep.include({ price: '12.345679', weight: '0.250000' });
  });

  it('ean13: up to 13 digits, no checksum; 14 digits are too long, letters are not valid (validate.json isEan13)', async () => {
    const ok = await call(shop, 'POST', 'products', product(`<price>1</price><ean13>1234567890123</ean13><name>${lang('X', 'X')}</name>`));
    expect(ok.status).to.equal(201);
    const long = await call(shop, 'POST', 'products', product(`<price>1</price><ean13>12345678901234</ean13><name>${lang('X', 'X')}</name>`));
    expect(long.text).to.contain('The length of property Product-&gt;ean13 is currently 14 chars. It must be between 0 and 13 chars.');
    const letters = await call(shop, 'POST', 'products', product(`<price>1</price><ean13>12345ABC</ean13><name>${lang('X', 'X')}</name>`));
    expect([letters.status, codes(letters.text)]).to.deep.equal([400, [85]]);
  });

  it('a value outside the class whitelist is refused, an empty one takes the default (ObjectModel values/default)', async () => {
    const bad = await call(shop, 'POST', 'products', product(`<price>1</price><condition>broken</condition><name>${lang('X', 'X')}</name>`));
    expect([bad.status, codes(bad.text)]).to.deep.equal([400, [85]]);
    expect(bad.text).to.contain('Property Product-&gt;condition has a bad value (allowed values are: new, used, refurbished).');
    const id = createdId(await call(shop, 'POST', 'products', product(`<price>1</price><name>${lang('X', 'X')}</name>`)));
    expect(shop.store.get('products', id)).to.deep.include({ condition: 'new', visibility: 'both' });
  });

  it('an unknown association is refused with 400/86 after the object was saved (WebserviceRequest::saveEntityFromXml)', async () => {
    const res = await call(shop, 'POST', 'products', product(`<reference>ASSOC-1</reference><price>1</price><name>${lang('X', 'X')}</name><associations><colours><colour><id>1</id></colour></colours></associations>`));
    expect([res.status, codes(res.text)]).to.deep.equal([400, [86]]);
    expect(shop.store.list('products').filter((p) => p.reference === 'ASSOC-1')).to.have.length(1);
  });

  it('DELETE ?id=[a,b] deletes several; a missing id is 404/87; the root category is refused with 500/88 (§4, Category::delete)', async () => {
    const a = await newProduct();
    const b = await newProduct();
    expect((await call(shop, 'DELETE', `products/?id=[${a},${b}]`)).status).to.equal(200);
    expect(shop.store.list('products')).to.have.length(0);
    const missing = await call(shop, 'DELETE', `products/${a}`);
    expect([missing.status, codes(missing.text)]).to.deep.equal([404, [87]]);
    const root = await call(shop, 'DELETE', 'categories/1');
    expect([root.status, codes(root.text)]).to.deep.equal([500, [88]]);
    expect(values(root.text, 'message')).to.deep.equal(["Id(s) wasn't deleted: 1"]);
  });

  it('a stock row that depends on physical stock cannot be updated: 500/133 (StockAvailable::updateWs)', async () => {
    const id = await newProduct();
    const stock = String(shop.store.list('stock_availables').find((s) => s.id_product === String(id))?.id);
    const res = await call(shop, 'PATCH', `stock_availables/${stock}`, xmlOf('stock_available', `<id>${stock}</id><depends_on_stock>1</depends_on_stock><quantity>5</quantity>`));
    expect([res.status, codes(res.text)]).to.deep.equal([500, [133]]);
    expect(shop.store.get('stock_availables', Number(stock))?.quantity).to.equal('0');
  });

  it('DELETE of a product takes its stock rows, combinations and specific prices; of a category, its subtree and product links', async () => {
    const id = await newProduct();
    await call(shop, 'POST', 'combinations', xmlOf('combination', `<id_product>${id}</id_product><minimal_quantity>1</minimal_quantity>`));
    expect(shop.store.list('stock_availables')).to.have.length(2);
    expect((await call(shop, 'DELETE', `products/${id}`)).status).to.equal(200);
    expect([shop.store.list('stock_availables'), shop.store.list('combinations')]).to.deep.equal([[], []]);
    const family = createdId(await call(shop, 'POST', 'categories', xmlOf('category', `<id_parent>2</id_parent><active>1</active><name>${lang('A', 'A')}</name>`)));
    const sub = createdId(await call(shop, 'POST', 'categories', xmlOf('category', `<id_parent>${family}</id_parent><active>1</active><name>${lang('B', 'B')}</name>`)));
    const inSub = await newProduct(`<associations><categories><category><id>${sub}</id></category></categories></associations>`);
    expect((await call(shop, 'DELETE', `categories/${family}`)).status).to.equal(200);
    expect(shop.store.get('categories', sub)).to.equal(undefined);
    expect((shop.store.get('products', inSub)?.associations as Record<string, unknown>).categories).to.deep.equal([]);
  });

  it('ps_method=PATCH on a POST is a PATCH (dispatcher.php)', async () => {
    const id = await newProduct();
    const res = await call(shop, 'POST', `products?ps_method=PATCH`, product(`<id>${id}</id><reference>VIA-POST</reference>`));
    expect(res.status).to.equal(200);
    expect(shop.store.get('products', id)?.reference).to.equal('VIA-POST');
  });
});
