// Customers, groups, addresses, specific prices and messages as the real shop handles them (transcripts
// 068-090, 115-121; Customer/Address/Group at 8.1.2).
import { expect } from 'chai';
import { startSandbox, type SandboxShop } from '../../src/sandbox/index.ts';
import { associationIds, call, codes, createdId, lang, value, values, xmlOf } from './support/ws.ts';

const customer = (email: string, extra = ''): string =>
  xmlOf('customer', `<passwd>Erp-Client-2024!</passwd><lastname>Martin</lastname><firstname>Marie</firstname><email>${email}</email>${extra}`);

const specificPrice = (over: Record<string, string> = {}): string => {
  const f: Record<string, string> = {
    id_shop: '1', id_cart: '0', id_product: '1', id_product_attribute: '0', id_currency: '0', id_country: '0', id_group: '0', id_customer: '0',
    price: '-1', from_quantity: '1', reduction: '0.1', reduction_tax: '1', reduction_type: 'percentage', from: '0000-00-00 00:00:00', to: '0000-00-00 00:00:00', ...over,
  };
  return xmlOf('specific_price', Object.entries(f).map(([k, v]) => `<${k}>${v}</${k}>`).join(''));
};

describe('sandbox behaviours: customers, addresses, prices, messages', () => {
  let shop: SandboxShop;
  beforeEach(async () => { shop = await startSandbox({ seed: { products: [{ reference: 'VIS-1', name: 'Vis', price: '10' }] } }); });
  afterEach(() => shop.close());

  it('a duplicate e-mail is a 500 with 140 + 46 on POST, 141 + 46 on PUT/PATCH, even against a deleted customer (070, Customer::addWs/updateWs)', async () => {
    const first = createdId(await call(shop, 'POST', 'customers', customer('marie@example.com')));
    const dup = await call(shop, 'POST', 'customers', customer('MARIE@example.com'));
    expect([dup.status, codes(dup.text)]).to.deep.equal([500, [140, 46]]);
    const other = createdId(await call(shop, 'POST', 'customers', customer('other@example.com')));
    const clash = await call(shop, 'PATCH', `customers/${other}`, xmlOf('customer', `<id>${other}</id><email>marie@example.com</email>`));
    expect([clash.status, codes(clash.text)]).to.deep.equal([500, [141, 46]]);
    await call(shop, 'PATCH', `customers/${first}`, xmlOf('customer', `<id>${first}</id><deleted>1</deleted>`));
    expect((await call(shop, 'POST', 'customers', customer('marie@example.com'))).status).to.equal(500);
  });

  it('passwd: plain text is stored as a bcrypt-like hash; the hash sent back is kept, another value re-hashed (§5)', async () => {
    const res = await call(shop, 'POST', 'customers', customer('a@example.com', '<secure_key>00000000000000000000000000000000</secure_key>'));
    const id = createdId(res);
    const hash = String(shop.store.get('customers', id)?.passwd);
    expect(hash).to.match(/^\$2y\$10\$.{53}$/);
    expect(value(res.text, 'passwd')).to.equal(hash);
    expect(shop.store.get('customers', id)?.secure_key).to.not.equal('00000000000000000000000000000000'); // add() draws its own
    await call(shop, 'PATCH', `customers/${id}`, xmlOf('customer', `<id>${id}</id><passwd>${hash}</passwd>`));
    expect(shop.store.get('customers', id)?.passwd).to.equal(hash);
    await call(shop, 'PATCH', `customers/${id}`, xmlOf('customer', `<id>${id}</id><passwd>New-Secret-1</passwd>`));
    expect(shop.store.get('customers', id)?.passwd).to.not.equal(hash);
    const noPasswd = await call(shop, 'POST', 'customers', xmlOf('customer', '<lastname>A</lastname><firstname>B</firstname><email>b@example.com</email>'));
    expect([noPasswd.status, codes(noPasswd.text)]).to.deep.equal([400, [41]]);
  });

  it('groups: a customer without associations/groups joins its default group, group 0 when id_default_group is left out (§6.5)', async () => {
    const group = await call(shop, 'POST', 'groups', xmlOf('group', `<reduction>5.00</reduction><price_display_method>1</price_display_method><show_prices>1</show_prices><name>${lang('Revendeurs', 'Resellers')}</name>`));
    const idGroup = createdId(group);
    const withGroup = await call(shop, 'POST', 'customers', customer('c@example.com', `<id_default_group>${idGroup}</id_default_group><note>ERP C001</note>`));
    expect(associationIds(withGroup.text, 'groups')).to.deep.equal([String(idGroup)]);
    const explicit = await call(shop, 'POST', 'customers', customer('d@example.com', `<id_default_group>${idGroup}</id_default_group><associations><groups><group><id>3</id></group><group><id>${idGroup}</id></group></groups></associations>`));
    expect(associationIds(explicit.text, 'groups')).to.deep.equal(['3', String(idGroup)]);
    const none = createdId(await call(shop, 'POST', 'customers', customer('e@example.com')));
    expect(shop.store.get('customers', none)).to.deep.include({ id_default_group: '0' });
    expect((shop.store.get('customers', none)?.associations as Record<string, unknown>).groups).to.deep.equal([{ id: '0' }]);
    const bad = await call(shop, 'POST', 'groups', xmlOf('group', `<price_display_method>2</price_display_method><name>${lang('X', 'X')}</name>`));
    expect([bad.status, codes(bad.text)]).to.deep.equal([400, [85]]);
    const refused = await call(shop, 'DELETE', 'groups/3');
    expect([refused.status, codes(refused.text)]).to.deep.equal([500, [88]]);
  });

  it('addresses: dni/vat/company stored; the zip format is not checked; DELETE of an address an order uses only flags it deleted (077/078, Address::delete)', async () => {
    const idCustomer = createdId(await call(shop, 'POST', 'customers', customer('f@example.com')));
    const address = (extra: string): string => xmlOf('address', `<id_customer>${idCustomer}</id_customer><id_country>8</id_country><alias>Facturation</alias><lastname>Martin</lastname><firstname>Marie</firstname><address1>5 avenue de la Gare</address1><city>Bordeaux</city>${extra}`);
    const free = createdId(await call(shop, 'POST', 'addresses', address('<postcode>ABC</postcode><company>Martin SARL</company><vat_number>FR12345678901</vat_number><dni>X1234567</dni>')));
    expect(shop.store.get('addresses', free)).to.deep.include({ postcode: 'ABC', company: 'Martin SARL', vat_number: 'FR12345678901', dni: 'X1234567' });
    expect((await call(shop, 'DELETE', `addresses/${free}`)).status).to.equal(200);
    expect(shop.store.get('addresses', free)).to.equal(undefined);
    const idOrder = shop.store.placeOrder({
      customer: { email: 'g@example.com', firstname: 'G', lastname: 'H' }, invoiceAddress: { address1: 'x', postcode: '33000', city: 'Bordeaux' },
      lines: [{ reference: 'VIS-1', name: 'Vis', quantity: 1, unitPriceTaxExcl: 10, taxRate: 20 }],
    });
    const used = String(shop.store.get('orders', idOrder)?.id_address_invoice);
    expect((await call(shop, 'DELETE', `addresses/${used}`)).status).to.equal(200);
    expect(shop.store.get('addresses', Number(used))?.deleted).to.equal('1');
    const listed = await call(shop, 'GET', `addresses?filter[id]=[${used}]&display=[id,deleted]`);
    expect(values(listed.text, 'deleted')).to.deep.equal(['1']);
  });

  it('specific_prices: a duplicate of the unique key is a bare 500 that consumes an id, on POST and on an update (085/086, LESSONS F5)', async () => {
    const first = createdId(await call(shop, 'POST', 'specific_prices', specificPrice()));
    const dup = await call(shop, 'POST', 'specific_prices', specificPrice({ reduction: '0.2' }));
    expect([dup.status, dup.text, dup.type]).to.deep.equal([500, '', 'text/html; charset=utf-8']);
    const second = createdId(await call(shop, 'POST', 'specific_prices', specificPrice({ from_quantity: '10' })));
    expect(second).to.equal(first + 2);
    const onto = await call(shop, 'PATCH', `specific_prices/${second}`, xmlOf('specific_price', `<id>${second}</id><from_quantity>1</from_quantity>`));
    expect([onto.status, onto.text]).to.deep.equal([500, '']);
    expect(shop.store.get('specific_prices', second)?.from_quantity).to.equal('10');
    expect((await call(shop, 'PATCH', `specific_prices/${second}`, xmlOf('specific_price', `<id>${second}</id><reduction>0.15</reduction>`))).status).to.equal(200);
    expect((await call(shop, 'DELETE', `specific_prices/${first}`)).status).to.equal(200);
    const again = await call(shop, 'DELETE', `specific_prices/${first}`);
    expect([again.status, codes(again.text)]).to.deep.equal([404, [87]]);
  });

  it('customer_threads need a token (117), cut to the 12 characters of its column; a message without private is visible (private 0)', async () => {
    const thread = (token: string): string => xmlOf('customer_thread', `<id_lang>1</id_lang><id_contact>0</id_contact><id_order>0</id_order><email>a@example.com</email>${token}<status>open</status>`);
    const missing = await call(shop, 'POST', 'customer_threads', thread(''));
    expect([missing.status, codes(missing.text)]).to.deep.equal([400, [41]]);
    const res = await call(shop, 'POST', 'customer_threads', thread('<token>erp-0123456789abc</token>'));
    const id = createdId(res);
    expect(value(res.text, 'token')).to.equal('erp-0123456789abc');
    expect(shop.store.get('customer_threads', id)?.token).to.equal('erp-01234567');
    const msg = createdId(await call(shop, 'POST', 'customer_messages', xmlOf('customer_message', `<id_customer_thread>${id}</id_customer_thread><id_employee>1</id_employee><message>Votre commande est partie.</message>`)));
    expect(shop.store.get('customer_messages', msg)?.private).to.equal('0');
    expect(associationIds((await call(shop, 'GET', `customer_threads/${id}`)).text, 'customer_messages')).to.deep.equal([String(msg)]);
    const script = await call(shop, 'POST', 'customer_messages', xmlOf('customer_message', `<id_customer_thread>${id}</id_customer_thread><message>&lt;script&gt;x&lt;/script&gt;</message>`));
    expect([script.status, codes(script.text)]).to.deep.equal([400, [85]]);
    expect(shop.mails).to.deep.equal([]);
  });
});
