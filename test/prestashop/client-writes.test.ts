import { expect } from 'chai';
import { ConfigError, RecordRejected, RetriableError } from '../../src/errors.ts';
import { ShopClient } from '../../src/prestashop/client.ts';
import { ShopRejected, isShopError } from '../../src/prestashop/errors.ts';
import { parseRecord } from '../../src/prestashop/xml.ts';
import { KEY, connectReply, envelope, replay, startShop, transcript, xml, type FakeShop, type Handler, type Seen } from './support/fake-shop.ts';
import { failure } from '../support/failure.ts';
import { clientFor, closeShopAfterEach } from './support/client-for.ts';

const PRODUCT_30 = transcript('025').response.body;
const CATEGORY_13 = transcript('011').response.body;



const writesOf = (s: FakeShop): Seen[] => s.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
const withPrice = (body: string, price: string): string => body.replace('<price><![CDATA[15.990000]]>', `<price><![CDATA[${price}]]>`);

describe('ShopClient.update on PrestaShop 8 (PATCH)', () => {
  closeShopAfterEach();

  it('sends only id + the changes, every language of a multi-language change, without a prior GET', async () => {
    const { client, shop } = await clientFor((req) => connectReply(req) ?? replay('030'));
    await client.connect();
    await client.update('products', 30, { price: '14.5', name: client.lang({ fr: 'Vis', en: 'Screw' }) });
    const writes = writesOf(shop);
    expect(writes.map((w) => `${w.method} ${w.path}`)).to.deep.equal(['PATCH products/30']);
    expect(shop.requests.filter((r) => r.path === 'products/30' && r.method === 'GET')).to.have.length(0);
    expect(parseRecord(writes[0]?.body ?? '')).to.deep.equal({ id: '30', price: '14.5', name: { '1': 'Vis', '2': 'Screw' } });
    expect(writes[0]?.headers['content-type']).to.match(/xml/);
  });

  it('completes a multi-language change given for one language with the stored text of the others', async () => {
    const { client, shop } = await clientFor((req) => connectReply(req) ?? (req.method === 'GET' ? xml(PRODUCT_30) : replay('030')));
    await client.update('products', 30, { name: { '1': 'Vis à bois (200)' } });
    const patch = writesOf(shop)[0];
    expect(patch?.method).to.equal('PATCH');
    expect(parseRecord(patch?.body ?? '')['name']).to.deep.equal({ '1': 'Vis à bois (200)', '2': 'Wood screw 4x40 FX (box of 200)' });
  });

  it('passes sendemail=1 when asked (order_carriers tracking)', async () => {
    const { client, shop } = await clientFor((req) => connectReply(req) ?? replay('114'));
    await client.update('order_carriers', 12, { tracking_number: 'XY123' }, { sendEmail: true });
    expect(writesOf(shop)[0]?.query.get('sendemail')).to.equal('1');
  });
});

describe('ShopClient.apply (an update whose answer is not used)', () => {
  closeShopAfterEach();

  it('sends the same PATCH as update and resolves on a whole webservice answer', async () => {
    const { client, shop } = await clientFor((req) => connectReply(req) ?? replay('030'));
    expect(await client.apply('products', 30, { price: '14.5' })).to.equal(undefined);
    const writes = writesOf(shop);
    expect(writes.map((w) => `${w.method} ${w.path}`)).to.deep.equal(['PATCH products/30']);
    expect(parseRecord(writes[0]?.body ?? '')).to.deep.equal({ id: '30', price: '14.5' });
    expect(client.writes.count()).to.equal(1);
  });

  for (const [what, body] of [['a WAF page', '<html><body>Blocked by WAF</body></html>'], ['a body cut short', `${envelope('<product><id>30</id>')}`.replace(/<\/prestashop>\s*$/, '')]] as const) {
    it(`refuses a 2xx that is ${what}, as update does`, async () => {
      const { client } = await clientFor((req) => connectReply(req) ?? (req.method === 'GET' ? xml(PRODUCT_30) : { status: 200, body, headers: { 'Content-Type': 'text/xml' } }));
      const err = await failure(client.apply('products', 30, { price: '14.5' }));
      expect(err.message).to.contain('Réponse illisible de PrestaShop (HTTP 200)');
    });
  }
});

describe('ShopClient.update on PrestaShop 1.7 (GET-merge-PUT)', () => {
  closeShopAfterEach();

  const v17: Handler = (req) => {
    const c = connectReply(req, '1.7.8.10');
    if (c) return c;
    if (req.method === 'GET' && req.path === 'products/30') return xml(PRODUCT_30, 200, '1.7.8.10');
    if (req.method === 'GET' && req.path === 'categories/13') return xml(CATEGORY_13, 200, '1.7.8.10');
    if (req.method === 'PUT') return replay(req.path.startsWith('products') ? '029' : '017', '1.7.8.10');
    return xml('', 405, '1.7.8.10');
  };

  it('PUTs the whole stored product with the change, read-only fields stripped', async () => {
    const { client, shop } = await clientFor(v17);
    await client.update('products', 30, { price: '14.5' });
    const writes = writesOf(shop);
    expect(writes.map((w) => `${w.method} ${w.path}`)).to.deep.equal(['PUT products/30']);
    const sent = parseRecord(writes[0]?.body ?? '');
    expect(sent).not.to.have.any.keys('manufacturer_name', 'quantity', 'position_in_category');
    expect(sent).to.include({ id: '30', price: '14.5', reference: 'ERP-FX-0001', ean13: '3017620422003' });
    expect(sent['name']).to.deep.equal({ '1': 'Vis à bois 4x40 FX (boîte de 200)', '2': 'Wood screw 4x40 FX (box of 200)' });
    expect((sent['associations'] as Record<string, unknown>)['categories']).to.deep.equal([{ id: '2' }, { id: '13' }]);
  });

  it('strips level_depth and nb_products_recursive from a category', async () => {
    const { client, shop } = await clientFor(v17);
    await client.update('categories', 13, { active: '0' });
    const sent = parseRecord(writesOf(shop)[0]?.body ?? '');
    expect(sent).not.to.have.any.keys('level_depth', 'nb_products_recursive');
    expect(sent).to.include({ id: '13', active: '0', id_parent: '2' });
  });
});

describe('ShopClient writes: errors, retries and the "500 but done" re-read', () => {
  closeShopAfterEach();

  it('does not retry a 400 and rejects the record with a French reason (043)', async () => {
    const { client, shop } = await clientFor(() => replay('043'));
    const err = await failure(client.create('products', { reference: 'X'.repeat(65) }));
    expect(err).to.be.instanceOf(RecordRejected).and.instanceOf(ShopRejected);
    expect((err as ShopRejected).kind).to.equal('invalid');
    expect((err as ShopRejected).codes).to.deep.equal([85]);
    expect(err.message).to.match(/^PrestaShop a refusé l'enregistrement \(code 85\) : .*Product->reference is currently 65 chars/);
    expect(writesOf(shop)).to.have.length(1);
  });

  it('does not retry a 500 with business code 140 (duplicate e-mail, 070) nor re-read it', async () => {
    const { client, shop } = await clientFor(() => replay('070'));
    const err = await failure(client.create('customers', { email: 'a@b.fr' }, { lookup: { filter: { email: '[a@b.fr]' } } }));
    expect(err).to.be.instanceOf(RecordRejected);
    expect((err as ShopRejected).kind).to.equal('conflict');
    expect(err.message).to.equal(
      "PrestaShop a refusé l'enregistrement, en conflit avec les données de la boutique (codes 140, 46) : The email is already used, please choose another one ; Unable to save resource",
    );
    expect(shop.requests).to.have.length(1);
  });

  it('after a 500 on an update that was in fact applied, re-reads and does not write twice', async () => {
    let stored = PRODUCT_30;
    const { client, shop } = await clientFor((req) => {
      const c = connectReply(req);
      if (c) return c;
      if (req.method === 'PATCH') {
        stored = withPrice(stored, '14.500000');
        return { status: 500, body: '', headers: { 'Content-Type': 'text/html; charset=utf-8' } };
      }
      return xml(stored);
    });
    const rec = await client.update('products', 30, { price: '14.5' });
    expect(rec['price']).to.equal('14.500000');
    expect(writesOf(shop)).to.have.length(1);
    expect(client.writes.count()).to.equal(1);
  });

  it('after a timed-out update that was in fact applied, re-reads and does not write twice', async () => {
    let stored = PRODUCT_30;
    const { client, shop } = await clientFor((req) => {
      const c = connectReply(req);
      if (c) return c;
      if (req.method === 'PATCH') {
        stored = withPrice(stored, '14.500000');
        return 'hang';
      }
      return xml(stored);
    }, { timeoutMs: 150 });
    const rec = await client.update('products', 30, { price: '14.5' });
    expect(rec['price']).to.equal('14.500000');
    expect(writesOf(shop)).to.have.length(1);
  });

  it('rejects the record when a 2xx answer is not a webservice document', async () => {
    const { client } = await clientFor(() => ({ status: 200, body: '<html><body>Blocked by WAF</body></html>', headers: { 'Content-Type': 'text/html' } }));
    const err = await failure(client.get('products', 30));
    expect(err).to.be.instanceOf(RecordRejected);
    expect(err.message).to.contain('Réponse illisible de PrestaShop (HTTP 200)');
  });

  it('after a 500 on an update that was not applied, re-reads and rejects the record (no blind retry)', async () => {
    const { client, shop } = await clientFor((req) => connectReply(req) ?? (req.method === 'PATCH' ? replay('028') : xml(PRODUCT_30)));
    const err = await failure(client.update('products', 30, { price: '14.5' }));
    expect(err).to.be.instanceOf(ShopRejected);
    expect((err as ShopRejected).kind).to.equal('server');
    expect(err.message).to.contain('Erreur interne de PrestaShop (HTTP 500)');
    expect(writesOf(shop)).to.have.length(1);
    expect(shop.requests.filter((r) => r.method === 'GET' && r.path === 'products/30')).to.have.length(1);
  });

  it('after a 500 on a create that was in fact done, finds it through the lookup (one POST)', async () => {
    const { client, shop } = await clientFor((req) => {
      if (req.method === 'POST') return { status: 500, body: '', headers: { 'Content-Type': 'text/html; charset=utf-8' } };
      return replay('012');
    });
    const rec = await client.create('categories', { name: { '1': 'Visserie FX' } }, { lookup: { filter: { id: '[13]' } } });
    expect(rec['id']).to.equal('13');
    expect(writesOf(shop)).to.have.length(1);
    const lookup = shop.requests.find((r) => r.method === 'GET');
    expect(lookup?.query.get('filter[id]')).to.equal('[13]');
    expect(lookup?.query.get('display')).to.equal('full');
  });

  it('after a 503 on a create that was not done, looks it up, then retries the POST', async () => {
    const { client, shop } = await clientFor((req, seen) => {
      if (req.method === 'POST') return seen.filter((r) => r.method === 'POST').length === 1 ? { status: 503, body: '' } : replay('008');
      return xml(envelope('<categories>\n</categories>'));
    });
    const rec = await client.create('categories', { name: { '1': 'Visserie FX' } }, { lookup: { filter: { link_rewrite: '[visserie-fx]' } } });
    expect(rec['id']).to.equal('13');
    expect(shop.requests.map((r) => r.method)).to.deep.equal(['POST', 'GET', 'POST']);
  });

  it('rejects a DELETE of a missing id (404 code 87, 090) and sends sendemail=1 on order_histories', async () => {
    const { client, shop } = await clientFor((req) => (req.method === 'DELETE' ? replay('090') : replay('105')));
    const err = await failure(client.delete('specific_prices', 14));
    expect(err).to.be.instanceOf(RecordRejected);
    expect(err.message).to.contain('code 87');
    await client.create('order_histories', { id_order: '12', id_order_state: '4' }, { sendEmail: true });
    expect(shop.requests[1]?.query.get('sendemail')).to.equal('1');
    expect(shop.requests[1]?.body).to.contain('<order_history>');
  });

  it('logs the writes it made', async () => {
    const { client } = await clientFor((req) => connectReply(req) ?? (req.method === 'DELETE' ? xml('', 200) : replay(req.method === 'POST' ? '023' : '030')));
    await client.create('products', { reference: 'R', name: { '1': 'n', '2': 'n' } });
    await client.update('products', 30, { price: '1' });
    await client.delete('products', 30);
    expect(client.writes.entries).to.deep.equal([
      { method: 'POST', resource: 'products', id: '30', fields: ['reference', 'name'], dryRun: false },
      { method: 'PATCH', resource: 'products', id: '30', fields: ['price'], dryRun: false },
      { method: 'DELETE', resource: 'products', id: '30', fields: [], dryRun: false },
    ]);
  });
});

describe('ShopClient dry-run', () => {
  closeShopAfterEach();

  it('sends no write, records the would-be writes and echoes plausible objects', async () => {
    const { client, shop } = await clientFor((req) => connectReply(req) ?? xml(PRODUCT_30), { dryRun: true });
    expect(await client.get('products', 30)).to.include({ id: '30' }); // reads still go out
    const created = await client.create('products', { reference: 'R1' });
    expect(created).to.deep.equal({ reference: 'R1', id: 'dry-run-1' });
    expect(await client.update('products', 30, { price: '9' })).to.deep.equal({ id: '30', price: '9' });
    await client.delete('specific_prices', 14);
    expect(writesOf(shop)).to.have.length(0);
    expect(client.writes.count()).to.equal(3);
    expect(client.writes.entries.every((e) => e.dryRun)).to.equal(true);
    expect(client.writes.byResource()).to.deep.equal({ products: 2, specific_prices: 1 });
  });
});

describe('ShopClient errors never reveal the key', () => {
  closeShopAfterEach();

  it('keeps the key and the Authorization value out of every message and stack', async () => {
    const b64 = Buffer.from(`${KEY}:`).toString('base64');
    const echoKey = envelope(`<errors>\n<error>\n<code><![CDATA[127]]></code>\n<message><![CDATA[XML error : Original XML : ws_key=${KEY} ${b64}]]></message>\n</error>\n</errors>`);
    const cases: Array<[string, Handler, (c: ShopClient) => Promise<unknown>]> = [
      ['401', () => replay('003'), (c) => c.connect()],
      ['400', () => replay('043'), (c) => c.create('products', { reference: 'x' })],
      ['500/140', () => replay('070'), (c) => c.create('customers', { email: 'x' })],
      ['500 echoing the key', () => xml(echoKey, 500), (c) => c.create('products', { reference: 'x' })],
      ['503 exhausted', () => ({ status: 503, body: `down ${KEY}` }), (c) => c.get('products', 1)],
      ['timeout', () => 'hang', (c) => c.list('products')],
    ];
    const errors: Error[] = [];
    for (const [, handler, call] of cases) {
      const { client } = await clientFor(handler, { retries: 1, timeoutMs: 100 });
      errors.push(await failure(call(client)));
    }
    const closed = await startShop(() => xml(''));
    await closed.close();
    errors.push(await failure(new ShopClient({ url: closed.url, key: KEY, language: 'fr', retries: 0 }).get('products', 1)));
    expect(errors).to.have.length(7);
    for (const err of errors) {
      expect(isShopError(err) || err instanceof ConfigError || err instanceof RetriableError, err.message).to.equal(true);
      for (const text of [err.message, err.stack ?? '', isShopError(err) ? err.reason : '', isShopError(err) ? err.messages.join() : '']) {
        expect(text).not.to.contain(KEY);
        expect(text).not.to.contain(b64);
      }
    }
  });
});
