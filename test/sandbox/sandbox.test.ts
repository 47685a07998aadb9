// Behaviours the sync engine relies on, checked through HTTP like the engine uses them.
import { expect } from 'chai';
import { startSandbox, type SandboxShop } from '../../src/sandbox/index.ts';

const xmlStock = (id: string, fields: string): string => `<prestashop><stock_available><id>${id}</id>${fields}</stock_available></prestashop>`;

describe('sandbox shop', () => {
  let shop: SandboxShop;
  const call = async (method: string, path: string, body?: string): Promise<{ status: number; text: string; type: string }> => {
    const res = await fetch(`${shop.url}/api/${path}`, {
      method, ...(body ? { body } : {}),
      headers: { Authorization: `Basic ${Buffer.from(`${shop.key}:`).toString('base64')}` },
    });
    return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
  };
  const cdata = (text: string, field: string): string[] => [...text.matchAll(new RegExp(`<${field}(?: [^>]*)?><!\\[CDATA\\[(.*?)\\]\\]>`, 'g'))].map((m) => m[1] ?? '');

  beforeEach(async () => {
    shop = await startSandbox({ seed: { products: [{ reference: 'VIS-001', name: 'Vis à bois', price: '12.5', quantity: 7 }, { reference: 'BOU-002', name: 'Boulon', price: '3', quantity: 1, idTaxRulesGroup: 2 }] } });
  });
  afterEach(() => shop.close());

  it('finds a product by reference, case-insensitively, and nothing for an unknown one', async () => {
    const hit = await call('GET', 'products?filter[reference]=[vis-001]&display=[id,reference]');
    expect(cdata(hit.text, 'reference')).to.deep.equal(['VIS-001']);
    const miss = await call('GET', 'products?filter[reference]=[NOPE]&display=[id,reference]');
    expect(miss.text).to.contain('<products>\n</products>');
  });

  it('PATCHes a stock quantity and keeps the other fields', async () => {
    const stock = shop.store.list('stock_availables').find((s) => s.id_product === '1');
    expect(stock?.quantity).to.equal('7');
    const res = await call('PATCH', `stock_availables/${String(stock?.id)}`, xmlStock(String(stock?.id), '<quantity>42</quantity>'));
    expect(res.status).to.equal(200);
    expect(shop.store.get('stock_availables', Number(stock?.id))).to.include({ quantity: '42', id_product: '1', out_of_stock: '2' });
  });

  it('PUT on a stock needs the full record (41 without id_product) and works with it', async () => {
    const partial = await call('PUT', 'stock_availables/1', xmlStock('1', '<quantity>5</quantity>'));
    expect(partial.status).to.equal(400);
    expect(cdata(partial.text, 'code')).to.deep.equal(['41']);
    const full = await call('PUT', 'stock_availables/1', xmlStock('1', '<id_product>1</id_product><id_product_attribute>0</id_product_attribute><quantity>5</quantity><depends_on_stock>0</depends_on_stock><out_of_stock>2</out_of_stock>'));
    expect(full.status).to.equal(200);
    expect(shop.store.get('stock_availables', 1)?.quantity).to.equal('5');
  });

  it('refuses POST and DELETE on stock_availables with 405 code 101', async () => {
    const post = await call('POST', 'stock_availables', xmlStock('', ''));
    expect(post.status).to.equal(405);
    expect(cdata(post.text, 'code')).to.deep.equal(['101']);
    expect((await call('DELETE', 'stock_availables/1')).status).to.equal(405);
  });

  it('counts only successful writes', async () => {
    await call('GET', 'products');
    await call('PATCH', 'stock_availables/1', xmlStock('1', '<quantity>1</quantity>'));
    await call('PATCH', 'stock_availables/999', xmlStock('999', '<quantity>1</quantity>'));
    expect(shop.writeCount()).to.equal(1);
    expect(shop.requests.map((r) => r.status)).to.deep.equal([200, 200, 404]);
  });

  it('injects faults on the next matching requests only', async () => {
    shop.injectFaults({ status: 503, count: 2, methods: ['PATCH'] });
    expect((await call('GET', 'products')).status).to.equal(200);
    expect((await call('PATCH', 'stock_availables/1', xmlStock('1', '<quantity>1</quantity>'))).status).to.equal(503);
    expect((await call('PATCH', 'stock_availables/1', xmlStock('1', '<quantity>1</quantity>'))).status).to.equal(503);
    expect((await call('PATCH', 'stock_availables/1', xmlStock('1', '<quantity>1</quantity>'))).status).to.equal(200);
    shop.injectFaults({ status: 500, count: 1 });
    const empty = await call('GET', 'products');
    expect([empty.status, empty.text]).to.deep.equal([500, '']);
    expect(shop.writeCount()).to.equal(1);
  });

  it('answers PATCH with 405 code 23 when it plays a 1.7 shop', async () => {
    const old = await startSandbox({ version: '1.7.8.11' });
    try {
      const res = await fetch(`${old.url}/api/stock_availables/1`, { method: 'PATCH', body: xmlStock('1', '<quantity>1</quantity>'), headers: { Authorization: `Basic ${Buffer.from(`${old.key}:`).toString('base64')}` } });
      expect(res.status).to.equal(405);
      expect(await res.text()).to.contain('Method PATCH is not valid');
      expect(old.writeCount()).to.equal(0);
    } finally {
      await old.close();
    }
  });

  it('places an order with consistent totals, readable with its rows and details', async () => {
    const id = shop.store.placeOrder({
      customer: { email: 'jeanne@example.com', firstname: 'Jeanne', lastname: 'Durand', company: 'Durand SARL' },
      invoiceAddress: { address1: '1 rue de la Paix', postcode: '75002', city: 'Paris' },
      lines: [
        { reference: 'VIS-001', name: 'Vis à bois', quantity: 3, unitPriceTaxExcl: 12.5, taxRate: 20, reductionPercent: 10 },
        { reference: 'BOU-002', name: 'Boulon', quantity: 2, unitPriceTaxExcl: 3, taxRate: 10 },
      ],
      cartRules: [{ name: 'Bienvenue', valueTaxExcl: 5, valueTaxIncl: 6 }],
      shippingTaxExcl: 7,
    });
    // 3 x 11.25 = 33.75 (incl. 40.50) + 2 x 3 = 6 (incl. 6.60); - 5/6 discount; + 7/8.40 shipping
    const order = await call('GET', `orders?display=full&filter[id]=[${id}]`);
    expect(cdata(order.text, 'total_products')).to.deep.equal(['39.750000']);
    expect(cdata(order.text, 'total_products_wt')).to.deep.equal(['47.100000']);
    expect(cdata(order.text, 'total_paid_tax_excl')).to.deep.equal(['41.750000']);
    expect(cdata(order.text, 'total_paid_tax_incl')).to.deep.equal(['49.500000']);
    expect(cdata(order.text, 'current_state')).to.deep.equal(['2']);
    expect(cdata(order.text, 'product_reference')).to.deep.equal(['VIS-001', 'BOU-002']);
    const details = await call('GET', `order_details?filter[id_order]=[${id}]&display=full`);
    expect(cdata(details.text, 'reduction_percent')).to.deep.equal(['10.00', '0.00']);
    expect(cdata(details.text, 'total_price_tax_incl')).to.deep.equal(['40.500000', '6.600000']);
    const invoices = await call('GET', `order_invoices?filter[id_order]=[${id}]&display=[id,number]`);
    expect(cdata(invoices.text, 'number')).to.have.length(1);
  });

  it('changes an order state through order_histories and refuses an unknown state', async () => {
    const id = shop.store.placeOrder({
      customer: { email: 'a@example.com', firstname: 'Al', lastname: 'Bo' }, invoiceAddress: { address1: 'x', postcode: '33000', city: 'Bordeaux' },
      lines: [{ reference: 'VIS-001', name: 'Vis', quantity: 1, unitPriceTaxExcl: 10, taxRate: 20 }], state: 10,
    });
    const before = shop.store.get('orders', id);
    const ok = await call('POST', 'order_histories?sendemail=1', `<prestashop><order_history><id_order>${id}</id_order><id_order_state>4</id_order_state></order_history></prestashop>`);
    expect(ok.status).to.equal(201);
    const after = shop.store.get('orders', id);
    expect(after).to.include({ current_state: '4', valid: '1' });
    expect(after?.delivery_number).to.not.equal('0');
    expect(before?.current_state).to.equal('10');
    const bad = await call('POST', 'order_histories', `<prestashop><order_history><id_order>${id}</id_order><id_order_state>999</id_order_state></order_history></prestashop>`);
    expect([bad.status, bad.text]).to.deep.equal([500, '']);
    expect(shop.store.get('orders', id)?.current_state).to.equal('4');
    const rows = await call('GET', `order_histories?filter[id_order]=[${id}]&display=[id,id_order_state]&sort=[id_ASC]`);
    expect(cdata(rows.text, 'id_order_state')).to.deep.equal(['10', '4']);
  });
});
