import { expect } from 'chai';
import { ConfigError, RecordRejected, RetriableError } from '../../src/errors.ts';
import { classifyShopError, shopError, ShopConfigError, ShopRejected, ShopUnavailable } from '../../src/prestashop/errors.ts';
import { isApplied, mergeForPut } from '../../src/prestashop/merge.ts';
import { parseErrors } from '../../src/prestashop/xml.ts';
import { transcript } from './support/fake-shop.ts';

function kindOf(prefix: string): string {
  const t = transcript(prefix);
  return classifyShopError(t.response.status, parseErrors(t.response.body).map((e) => e.code));
}

describe('PrestaShop error classification on recorded answers', () => {
  const table: Array<[string, string]> = [
    ['002', 'config'], // 401 without credentials
    ['003', 'config'], // 401 codes 20 + 21
    ['004', 'config'], // 401 code 18
    ['010', 'invalid'], // 400 / 84
    ['026', 'invalid'], // 400 / 3 + 93
    ['043', 'invalid'], // 400 / 85
    ['053', 'invalid'], // 405 / 101
    ['070', 'conflict'], // 500 / 140 + 46
    ['090', 'invalid'], // 404 / 87 on DELETE
    ['028', 'server'], // 500 / code 3 only
    ['085', 'server'], // 500, empty body
    ['094', 'server'], // 500, plain-text body
    ['047', 'invalid'], // 500 / 32 + 4x3: our query is wrong
    ['143', 'invalid'], // 500 / 38
  ];
  for (const [prefix, kind] of table) {
    it(`transcript ${prefix} → ${kind}`, () => expect(kindOf(prefix)).to.equal(kind));
  }

  it('502/503/504 and transport failures are retriable, 503 code 22 and 405 code 25 are config', () => {
    expect(classifyShopError(502, [])).to.equal('retriable');
    expect(classifyShopError(503, [])).to.equal('retriable');
    expect(classifyShopError(504, [])).to.equal('retriable');
    expect(classifyShopError(undefined, [])).to.equal('retriable');
    expect(classifyShopError(503, [22])).to.equal('config');
    expect(classifyShopError(405, [25])).to.equal('config');
    expect(classifyShopError(401, [26])).to.equal('config');
  });
});

describe('PrestaShop errors map onto the engine taxonomy', () => {
  const base = { method: 'POST', target: 'products' };

  it('invalid / conflict / server are RecordRejected with a French reason', () => {
    const err = shopError({ ...base, status: 400, errors: parseErrors(transcript('026').response.body) });
    expect(err).to.be.instanceOf(RecordRejected).and.instanceOf(ShopRejected);
    // the PHP warning next to the real error is left out of the reason, kept in messages
    expect((err as ShopRejected).reason).to.equal(
      'PrestaShop a refusé l\'enregistrement (code 93) : parameter "manufacturer_name" not writable. Please remove this attribute of this XML',
    );
    expect((err as ShopRejected).messages).to.have.length(2);
    expect(shopError({ ...base, status: 500, errors: [] }).message).to.contain('sans explication');
  });

  it('config errors are ConfigError, retriable ones RetriableError carrying the status', () => {
    const cfg = shopError({ ...base, method: 'GET', target: 'orders', status: 401, errors: [{ code: 26, message: 'Resource of type "orders" is not allowed' }] });
    expect(cfg).to.be.instanceOf(ConfigError).and.instanceOf(ShopConfigError);
    expect(cfg.message).to.contain('« orders »');
    const ret = shopError({ ...base, status: 504, errors: [] });
    expect(ret).to.be.instanceOf(RetriableError).and.instanceOf(ShopUnavailable);
    expect((ret as ShopUnavailable).status).to.equal(504);
  });
});

describe('update helpers', () => {
  it('sees a change as applied despite the shop normalising numbers, languages and associations', () => {
    const stored = { price: '14.500000', name: { '1': 'Vis', '2': 'Screw' }, associations: { categories: [{ id: '13' }, { id: '2' }] } };
    expect(isApplied(stored, { price: '14.5', name: { '1': 'Vis' }, associations: { categories: [{ id: '2' }, { id: '13' }] } })).to.equal(true);
    expect(isApplied(stored, { price: '14.51' })).to.equal(false);
    expect(isApplied(stored, { name: { '2': 'Bolt' } })).to.equal(false);
    expect(isApplied(stored, { associations: { categories: [{ id: '2' }] } })).to.equal(false);
  });

  it('merges a partial language change into the stored languages for a PUT', () => {
    const merged = mergeForPut({ id: '1', name: { '1': 'a', '2': 'b' }, quantity: '0' }, { name: { '1': 'A' } }, new Set(['quantity']));
    expect(merged).to.deep.equal({ id: '1', name: { '1': 'A', '2': 'b' } });
  });
});
