import { expect } from 'chai';
import { ConfigError, RetriableError } from '../../src/errors.ts';
import { filterIn } from '../../src/prestashop/client.ts';
import { KEY, connectReply, envelope, replay, xml } from './support/fake-shop.ts';
import { failure } from '../support/failure.ts';
import { clientFor, closeShopAfterEach } from './support/client-for.ts';

const AUTH = `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`;



describe('ShopClient: connection, auth, languages', () => {
  closeShopAfterEach();

  it('sends the key as Basic auth with an empty password, never as ws_key', async () => {
    const { client, shop } = await clientFor((req) => connectReply(req) ?? xml('', 404));
    await client.connect();
    expect(shop.requests).to.have.length(2);
    for (const r of shop.requests) {
      expect(r.headers.authorization).to.equal(AUTH);
      expect(r.rawUrl).not.to.contain('ws_key');
    }
    expect(shop.requests[1]?.query.get('display')).to.equal('[id,iso_code,active]');
  });

  it('detects PATCH from PSWS-Version and lists the languages', async () => {
    const { client } = await clientFor((req) => connectReply(req, '8.2.0') ?? xml('', 404));
    expect(await client.connect()).to.deep.equal({
      version: '8.2.0',
      patch: true,
      languages: [{ id: '1', iso: 'fr', active: true }, { id: '2', iso: 'en', active: true }],
    });
    const { client: c17 } = await clientFor((req) => connectReply(req, '1.7.8.10') ?? xml('', 404));
    expect(await c17.connect()).to.include({ version: '1.7.8.10', patch: false });
  });

  it('fills every active language: same text, or by iso code with the default language as fallback', async () => {
    const { client } = await clientFor((req) => connectReply(req) ?? xml('', 404));
    expect(() => client.lang('x')).to.throw(/connect/);
    await client.connect();
    expect(client.lang('Vis')).to.deep.equal({ '1': 'Vis', '2': 'Vis' });
    expect(client.lang({ fr: 'Vis', en: 'Screw' })).to.deep.equal({ '1': 'Vis', '2': 'Screw' });
    expect(client.lang({ fr: 'Vis' })).to.deep.equal({ '1': 'Vis', '2': 'Vis' });
  });

  it('refuses a default language the shop does not have', async () => {
    const { client } = await clientFor((req) => connectReply(req) ?? xml('', 404), { language: 'de' });
    const err = await failure(client.connect());
    expect(err).to.be.instanceOf(ConfigError);
    expect(err.message).to.contain('« de »').and.to.contain('fr, en');
  });

  for (const [prefix, expected] of [['003', /inconnue ou inactive/], ['004', /32 caractères/], ['002', /HTTP 401/]] as const) {
    it(`stops with a ConfigError on a refused key (transcript ${prefix}), without retrying`, async () => {
      const { client, shop } = await clientFor(() => replay(prefix));
      const err = await failure(client.connect());
      expect(err).to.be.instanceOf(ConfigError);
      expect(err.message).to.match(expected);
      expect(shop.requests).to.have.length(1);
    });
  }

  it('stops on 503 code 22 (webservice disabled) without retrying', async () => {
    const disabled = envelope('<errors>\n<error>\n<code><![CDATA[22]]></code>\n<message><![CDATA[The PrestaShop webservice is disabled. Please activate it in the PrestaShop Back Office]]></message>\n</error>\n</errors>');
    const { client, shop } = await clientFor(() => xml(disabled, 503));
    const err = await failure(client.connect());
    expect(err).to.be.instanceOf(ConfigError);
    expect(err.message).to.contain('désactivé');
    expect(shop.requests).to.have.length(1);
  });
});

describe('ShopClient: reads', () => {
  closeShopAfterEach();

  it('returns undefined for a missing object (404 with an empty body, 046)', async () => {
    const { client } = await clientFor(() => replay('046'));
    expect(await client.get('products', 999999)).to.equal(undefined);
  });

  it('URL-encodes filter keys and values ([ ] | % space >) and sends them unchanged', async () => {
    const { client, shop } = await clientFor(() => replay('139'));
    const refs = filterIn(['ERP 1', 'ERP-2']);
    await client.list('products', {
      display: ['id', 'reference'],
      filter: { reference: refs, id: '>[17]', name: '%[Vis]%', date_upd: '[2026-11-28 13:29:06,2026-11-28 13:31:06]' },
      sort: ['date_upd_ASC'],
      limit: [0, 50],
      date: true,
    });
    const r = shop.requests[0];
    expect(r?.rawUrl).to.contain('filter%5Breference%5D=%5BERP%201%7CERP-2%5D');
    expect(r?.rawUrl).to.contain('filter%5Bid%5D=%3E%5B17%5D');
    expect(r?.rawUrl).to.contain('filter%5Bname%5D=%25%5BVis%5D%25');
    expect(r?.rawUrl).not.to.match(/[[\]| >]/);
    expect(r?.query.get('filter[date_upd]')).to.equal('[2026-11-28 13:29:06,2026-11-28 13:31:06]');
    expect(r?.query.get('display')).to.equal('[id,reference]');
    expect(r?.query.get('sort')).to.equal('[date_upd_ASC]');
    expect(r?.query.get('limit')).to.equal('0,50');
    expect(r?.query.get('date')).to.equal('1');
  });

  it('rejects filter values that PrestaShop cannot express', () => {
    expect(filterIn(['A', 'B'])).to.equal('[A|B]');
    expect(() => filterIn(['A|B'])).to.throw(RangeError);
    expect(() => filterIn(['[x]'])).to.throw(RangeError);
    expect(() => filterIn([])).to.throw(RangeError);
  });

  it('paginates with limit=offset,N until a short page, sorted by id by default', async () => {
    const all = Array.from({ length: 250 }, (_, i) => i + 1);
    const { client, shop } = await clientFor((req) => {
      const [offset = 0, count = 0] = (req.query.get('limit') ?? '').split(',').map(Number);
      const items = all.slice(offset, offset + count).map((id) => `<product id="${id}"/>`).join('\n');
      return xml(envelope(`<products>\n${items}\n</products>`));
    });
    const ids: string[] = [];
    for await (const p of client.listAll('products', { pageSize: 100 })) ids.push(String(p['id']));
    expect(ids).to.have.length(250);
    expect(ids[249]).to.equal('250');
    expect(shop.requests.map((r) => r.query.get('limit'))).to.deep.equal(['0,100', '100,100', '200,100']);
    expect(shop.requests.every((r) => r.query.get('sort') === '[id_ASC]')).to.equal(true);
  });

  it('retries a 503 then succeeds', async () => {
    const { client, shop } = await clientFor((_req, seen) => (seen.length <= 2 ? { status: 503, body: 'Service Unavailable' } : replay('025')));
    const p = await client.get('products', 30);
    expect(p?.['reference']).to.equal('ERP-FX-0001');
    expect(shop.requests).to.have.length(3);
  });

  it('gives up with a RetriableError after the configured retries', async () => {
    const { client, shop } = await clientFor(() => ({ status: 502, body: '' }), { retries: 2 });
    const err = await failure(client.get('products', 30));
    expect(err).to.be.instanceOf(RetriableError);
    expect(err.message).to.contain('HTTP 502').and.to.contain('3 tentative');
    expect(shop.requests).to.have.length(3);
  });

  it('times out a request that never answers and retries it', async () => {
    const { client, shop } = await clientFor(() => 'hang', { timeoutMs: 150, retries: 1 });
    const err = await failure(client.get('products', 30));
    expect(err).to.be.instanceOf(RetriableError);
    expect(err.message).to.contain('délai');
    expect(shop.requests).to.have.length(2);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const { client, shop } = await clientFor(async () => {
      await new Promise((r) => setTimeout(r, 15));
      return replay('025');
    }, { concurrency: 2 });
    await Promise.all(Array.from({ length: 6 }, () => client.get('products', 30)));
    expect(shop.requests).to.have.length(6);
    expect(shop.maxInFlight).to.equal(2);
  });

  it('adds id_shop when a shop id is configured', async () => {
    const { client, shop } = await clientFor(() => replay('025'), { shopId: 2 });
    await client.get('products', 30);
    expect(shop.requests[0]?.query.get('id_shop')).to.equal('2');
  });
});
