// shop.shops and orders.shops (issue 11, multistore): validated before anything runs, each problem with its path.
import { expect } from 'chai';
import { validateConfig } from '../../src/config/load.ts';
import { ConfigError } from '../../src/errors.ts';

const KEY = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const base = (shop: Record<string, unknown> = {}, orders: Record<string, unknown> = {}, profile = 'sage100') =>
  ({ erp: { profile }, shop: { url: 'http://127.0.0.1:8080', key: KEY, ...shop }, orders });

function problemsOf(raw: unknown): string[] {
  try {
    validateConfig(raw, {});
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  return expect.fail('expected a ConfigError');
}

describe('configuration: multistore', () => {
  it('takes a list of shop ids or « all », and nothing by default (the default shop, as before)', () => {
    expect(validateConfig(base(), {}).config.shop.shops).to.equal(undefined);
    expect(validateConfig(base({ shops: [1, 2] }), {}).config.shop.shops).to.deep.equal([1, 2]);
    expect(validateConfig(base({ shops: 'all' }), {}).config.shop.shops).to.equal('all');
    expect(validateConfig(base(), {}).config.orders.shops).to.deep.equal({});
  });

  it('refuses an empty list, a shop listed twice, a word other than « all »', () => {
    expect(problemsOf(base({ shops: [] }))).to.deep.equal(['shop.shops: au moins une boutique (id), ou « all »']);
    expect(problemsOf(base({ shops: [1, 2, 1] }))).to.deep.equal(['shop.shops: une boutique est listée deux fois']);
    expect(problemsOf(base({ shops: 'toutes' }))).to.deep.equal(['shop.shops: liste d’id de boutiques (ex. [1, 2]) ou « all » attendue']);
    expect(problemsOf(base({ shops: [0] }))[0]).to.match(/^shop\.shops\.0: /);
  });

  it('names each shop of orders.shops that shop.shops does not list, and a Sage affaire that does not fit', () => {
    expect(problemsOf(base({}, { shops: { 2: { label: 'BOUT-BE' } } }))).to.deep.equal(['orders.shops.2: shop.shops absent : sans multiboutique, seul orders.documentPrefix s’applique']);
    expect(problemsOf(base({ shops: [1, 2] }, { shops: { 3: { documentPrefix: 'WEBCH' }, 2: { label: 'boutique belgique' } } }))).to.deep.equal([
      'orders.shops.2.label: affaire Sage (compte analytique) : 1 à 13 caractères A-Z 0-9 _ -',
      'orders.shops.3: la boutique 3 n’est pas dans shop.shops (1, 2)',
    ]);
    // EBP and Divalto have no 13-character affaire: the label is theirs to carry (checked as a key when written)
    expect(validateConfig(base({ shops: 'all' }, { shops: { 2: { label: 'Boutique Belgique' } } }, 'ebp'), {}).config.orders.shops).to.deep.equal({ 2: { label: 'Boutique Belgique' } });
    expect(problemsOf(base({ shops: [1] }, { shops: { 1: { documentPrefix: 'web-fr' } } }))).to.deep.equal(['orders.shops.1.documentPrefix: préfixe de 0 à 6 caractères A-Z 0-9']);
    expect(problemsOf(base({ shops: [1] }, { shops: { 1: { prefix: 'WEB' } } }))[0]).to.match(/^orders\.shops\.1: /);
  });
});
