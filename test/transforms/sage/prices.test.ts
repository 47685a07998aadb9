// Sage tariffs (#CACL + #CATQ, SAGE_MASTER_DATA.md §8 / §3.1) → specific prices, and their PrestaShop body.
import { expect } from 'chai';
import { isRejected, type Keyed } from '../../../src/pipeline.ts';
import type { PriceSet } from '../../../transforms/prices/types.ts';
import { priceKey } from '../../../transforms/prices/types.ts';
import { holds, sameUniqueKey, specificPriceBody } from '../../../transforms/prestashop/specific-price.ts';
import type { SageTariffRow } from '../../../transforms/sage/rows.ts';
import { sageTariffToPrices } from '../../../transforms/sage/prices.ts';

function tariff(over: Partial<SageTariffRow> = {}): SageTariffRow {
  return {
    article: 'ART001', articleLine: 100, category: '1', price: '0,00', coefficient: '0,0000', discount: '0,0000', roundMode: '0',
    discountRange: '0', priceType: '0', currency: '0', client: '', newPriceDate: '', brackets: [], rangePrices: [], line: 200, ...over,
  };
}
const ok = (r: SageTariffRow): Keyed<PriceSet> => {
  const t = sageTariffToPrices(r);
  if (isRejected(t)) throw new Error(t.reject);
  return t;
};

describe('Sage tariffs → specific prices', () => {
  it('a category discount: group tarif:n, price -1 (base price), a percentage as a fraction, no dates', () => {
    const t = ok(tariff({ category: '3', discount: '15,0000' }));
    expect(t.key).to.equal('ART001|tarif:3');
    expect(t.record.problem).to.equal(undefined);
    expect(t.record.prices).to.deep.equal([{ reference: 'ART001', for: { group: 'tarif:3' }, fromQuantity: 1, price: null, reduction: '0.150000', reductionType: 'percentage', from: null, to: null }]);
    const body = specificPriceBody(t.record.prices[0]!, { product: '12', group: '7', customer: '0', shop: '0' });
    expect(body).to.deep.equal({
      id_shop: '0', id_cart: '0', id_product: '12', id_product_attribute: '0', id_currency: '0', id_country: '0', id_group: '7', id_customer: '0',
      price: '-1.000000', from_quantity: '1', reduction: '0.150000', reduction_tax: '0', reduction_type: 'percentage', from: '0000-00-00 00:00:00', to: '0000-00-00 00:00:00',
    });
  });

  it('a customer tariff (category 0): the customer of line 9, upper case, a fixed price tax excluded', () => {
    const t = ok(tariff({ category: '0', client: ' carat ', price: '483,60' }));
    expect(t.key).to.equal('ART001|client:CARAT');
    expect(t.record.prices).to.have.length(1);
    expect(t.record.prices[0]).to.include({ price: '483.600000', reduction: '0.000000', fromQuantity: 1 });
    expect(priceKey(t.record.prices[0]!)).to.equal('ART001|client:CARAT|1');
  });

  it('quantity breaks (#CATQ): one specific price per bracket from the previous upper bound + 1, a bracket without discount left to the base price', () => {
    const t = ok(tariff({ category: '2', discountRange: '1', brackets: [
      { type: '0', upper: '9,00', discount: '0,0000%', netPrice: '0,00' },
      { type: '0', upper: '49,00', discount: '5,0000%', netPrice: '0,00' },
      { type: '0', upper: '99999999,00', discount: '10,0000%', netPrice: '0,00' },
    ] }));
    expect(t.record.prices.map((p) => [p.fromQuantity, p.price, p.reduction, p.reductionType])).to.deep.equal([[10, null, '0.050000', 'percentage'], [50, null, '0.100000', 'percentage']]);
  });

  it('net-price brackets and a per-unit amount', () => {
    const t = ok(tariff({ discountRange: '2', brackets: [
      { type: '2', upper: '10,00', discount: '', netPrice: '8,50' },
      { type: '0', upper: '100,00', discount: '1,50U', netPrice: '0,00' },
    ] }));
    expect(t.record.prices.map((p) => [p.fromQuantity, p.price, p.reduction, p.reductionType])).to.deep.equal([[1, '8.500000', '0.000000', 'percentage'], [11, null, '1.500000', 'amount']]);
  });

  it('a tariff with neither price nor discount: an empty set (the base price applies)', () => {
    expect(ok(tariff()).record.prices).to.deep.equal([]);
  });

  it('what cannot be applied for sure is a problem of the set, naming its line (so its prices are left as they are)', () => {
    const problem = (r: Partial<SageTariffRow>): string => ok(tariff(r)).record.problem ?? '';
    expect(problem({ price: '12,00', priceType: '1' })).to.match(/prix TTC \(ligne 207 = 1\)/);
    expect(problem({ coefficient: '1,6000' })).to.match(/coefficient \(1,6000, ligne 203\)/);
    expect(problem({ currency: '2' })).to.match(/devise n° 2 \(ligne 208\)/);
    expect(problem({ discount: '12.5' })).to.match(/remise \(ligne 204\)/);
    expect(problem({ discount: '150,0000' })).to.match(/plus de 100 %/);
    expect(problem({ discountRange: '3' })).to.match(/sans paliers #CATQ/);
    expect(problem({ discountRange: '3', brackets: [{ type: '1', upper: '100,00', discount: '5%', netPrice: '0' }] })).to.match(/montant de commande/);
    expect(problem({ discountRange: '3', brackets: [{ type: '0', upper: '10,00', discount: '5%+2%', netPrice: '0' }] })).to.match(/cascade/);
    expect(problem({ discountRange: '3', brackets: [{ type: '0', upper: '10,00', discount: '5,00F', netPrice: '0' }] })).to.match(/forfaitaire/);
    expect(problem({ discountRange: '3', brackets: [{ type: '0', upper: '10,00', discount: '5', netPrice: '0' }, { type: '0', upper: '5,00', discount: '5%', netPrice: '0' }] })).to.match(/sans unité|non croissants/);
    expect(ok(tariff({ price: '12,00', priceType: '1' })).key, 'the set is known: protected from deletion').to.equal('ART001|tarif:1');
  });

  it('a tariff whose group or customer cannot be told is rejected with its line', () => {
    const a = sageTariffToPrices(tariff({ category: '33' }));
    expect(isRejected(a) && a.reject).to.match(/catégorie tarifaire « 33 » \(ligne 201\)/);
    const b = sageTariffToPrices(tariff({ category: '0', client: '' }));
    expect(isRejected(b) && b.reject).to.match(/sans n° de client \(ligne 209\)/);
  });

  it('remarks for what is not taken: a future price, per-range-value prices', () => {
    const t = ok(tariff({ discount: '5,0000', newPriceDate: '010127', rangePrices: [{ value1: 'Rubis', value2: '', price: '10,00' }] }));
    expect(t.record.remarks.join('\n')).to.match(/nouveau prix au 010127/).and.match(/#CATG/);
  });

  it('compares a shop row as MySQL does: the unique key, then the values', () => {
    const body = specificPriceBody({ reference: 'A', for: { group: 'tarif:1' }, fromQuantity: 10, price: null, reduction: '0.100000', reductionType: 'percentage', from: null, to: null }, { product: '3', group: '4', customer: '0', shop: '0' });
    const row = { ...body, id: '9', id_shop_group: '0', id_specific_price_rule: '0', price: '-1.000000', reduction: '0.1' };
    expect(sameUniqueKey(row, body)).to.equal(true);
    expect(holds(row, body)).to.equal(true);
    expect(holds({ ...row, reduction: '0.15' }, body)).to.equal(false);
    expect(sameUniqueKey({ ...row, from_quantity: '1' }, body)).to.equal(false);
  });
});
