// The products flow's PrestaShop side, pure: owned fields, what differs, the bodies sent, and a VAT rate →
// the shop's tax rule group.
import { expect } from 'chai';
import { changedFields, newProduct, ownedPart, productChange, productFieldsOf, unitPriceFor } from '../../../transforms/prestashop/product.ts';
import { groupsByRate, overrideFor, pickTaxGroup, type TaxTables } from '../../../transforms/prestashop/tax-groups.ts';

describe('products: owned fields and bodies (transforms/prestashop/product)', () => {
  const shop = productFieldsOf({
    id: '7', price: '12.500000', weight: '0.250000', ean13: '', unity: '', active: '1', id_tax_rules_group: '1', id_category_default: '5',
    name: { 1: 'Vis', 2: 'Screw' }, description: { 1: '<p>x</p>' }, product_type: 'combinations',
    associations: { categories: [{ id: '2' }, { id: '5' }], combinations: [{ id: '1' }] },
  });

  it('only the owned fields that differ, numbers compared as numbers, categories as a set with the default', () => {
    const want = { name: { 1: 'Vis', 2: 'Screw' }, price: '12.5', weight: '0.25', active: '0', id_tax_rules_group: '1', categories: ['5', '2'], id_category_default: '5' };
    expect(changedFields(want, shop, ['name', 'price', 'weight', 'active', 'id_tax_rules_group', 'categories'])).to.deep.equal({ active: '0' });
    expect(changedFields({ ...want, categories: ['5'] }, shop, ['categories'])).to.deep.equal({ id_category_default: '5', categories: ['5'] });
    expect(changedFields({ ...want, active: '0' }, shop, ['price']), 'not owned: never sent').to.deep.equal({});
  });

  it('the sales unit and its unit price go together: a changed unit price sends both, the same unit price numerically is no change', () => {
    const priced = productFieldsOf({ id: '8', price: '12.000000', unity: 'kg', unit_price: '48.000000' });
    expect(changedFields({ unity: 'kg', unit_price: '48' }, priced, ['unity'])).to.deep.equal({});
    expect(changedFields({ price: '13.000000', unity: 'kg', unit_price: '52.000000' }, priced, ['price', 'unity'])).to.deep.equal({ price: '13.000000', unity: 'kg', unit_price: '52.000000' });
    expect(changedFields({ unity: 'kg', unit_price: '48.000000' }, shop, ['unity']), 'the shop had no unit price').to.deep.equal({ unity: 'kg', unit_price: '48.000000' });
  });

  it('a name is sent in every language when one of them differs; a field the ERP does not give is kept', () => {
    expect(changedFields({ name: { 1: 'Vis', 2: 'Wood screw' } }, shop, ['name', 'ean13'])).to.deep.equal({ name: { 1: 'Vis', 2: 'Wood screw' } });
  });

  it('a PATCH carries the changes only: never product_type, descriptions or combinations', () => {
    const body = productChange({ price: '13.000000', categories: ['5'], id_category_default: '5' });
    expect(body).to.deep.equal({ price: '13.000000', id_category_default: '5', associations: { categories: [{ id: '5' }] } });
    expect(ownedPart({ ...shop, price: '13' }, ['price'])).to.deep.equal({ price: '13' });
  });

  it('a POST is no draft: state 1, product_type standard, link_rewrite per language', () => {
    const body = newProduct('ART1', { name: { 1: 'Café filtre', 2: 'Filter coffee' }, price: '3.000000', categories: ['4', '12'], id_category_default: '12', active: '1' });
    expect(body).to.include({ reference: 'ART1', state: '1', product_type: 'standard', price: '3.000000', id_category_default: '12', active: '1' });
    expect(body.link_rewrite).to.deep.equal({ 1: 'cafe-filtre', 2: 'filter-coffee' });
    expect(body.associations).to.deep.equal({ categories: [{ id: '4' }, { id: '12' }] });
    expect(body).to.not.have.property('weight');
  });
});

describe('products: the unit price beside a new base price (transforms/prestashop/product)', () => {
  it('follows the price at the ratio last written, and is absent for a product without a unit price of ours', () => {
    expect(unitPriceFor('4.100000', { price: '3.000000', unit_price: '3.000000' })).to.equal('4.100000');
    expect(unitPriceFor('4.000000', { price: '12.000000', unit_price: '1.000000' })).to.equal('0.333333');
    expect(unitPriceFor('4.000000', { price: '12.000000' })).to.equal(undefined);
    expect(unitPriceFor('4.000000', undefined)).to.equal(undefined);
  });
});

describe('products: VAT rate → tax rule group (transforms/prestashop/tax-groups)', () => {
  // A default French install: one group per French rate, and « EU VAT For Virtual Products » (6) whose
  // French rule is also 20 % but whose German rule is 19 %.
  const tables: TaxTables = {
    countryId: '8',
    taxes: [{ id: '1', rate: '20.000' }, { id: '2', rate: '10.000' }, { id: '3', rate: '5.500' }, { id: '9', rate: '19.000' }, { id: '10', rate: '7.000', active: '0' }],
    groups: [{ id: '1' }, { id: '2' }, { id: '3' }, { id: '6' }, { id: '7', deleted: '1' }, { id: '8' }],
    rules: [
      { id_tax_rules_group: '1', id_country: '8', id_state: '0', id_tax: '1' },
      { id_tax_rules_group: '2', id_country: '8', id_state: '0', id_tax: '2' },
      { id_tax_rules_group: '3', id_country: '8', id_state: '0', id_tax: '3' },
      { id_tax_rules_group: '6', id_country: '8', id_state: '0', id_tax: '1' },
      { id_tax_rules_group: '6', id_country: '1', id_state: '0', id_tax: '9' },
      { id_tax_rules_group: '7', id_country: '8', id_state: '0', id_tax: '2' },
      { id_tax_rules_group: '8', id_country: '8', id_state: '0', id_tax: '10' },
    ],
  };
  const byRate = groupsByRate(tables);

  it('a group of one rate wins over a group of several; deleted groups and inactive taxes do not count', () => {
    expect(pickTaxGroup('20.000', byRate, 'FR')).to.deep.equal({ id: '1' });
    expect(pickTaxGroup('10', byRate, 'FR')).to.deep.equal({ id: '2' });
    expect(pickTaxGroup('5.5', byRate, 'FR')).to.deep.equal({ id: '3' });
  });

  it('an unknown rate is a reject naming it and the config key; two equal candidates too, with their ids', () => {
    const unknown = pickTaxGroup('7.000', byRate, 'FR');
    expect(unknown).to.have.property('reject').that.matches(/taux de TVA 7 % inconnu/).and.matches(/catalog\.taxRuleGroups/);
    const twice = groupsByRate({ ...tables, rules: [...tables.rules, { id_tax_rules_group: '8', id_country: '8', id_state: '0', id_tax: '3' }], taxes: tables.taxes });
    expect(pickTaxGroup('5.5', twice, 'FR')).to.deep.equal({ reject: 'taux de TVA 5,5 % : 2 groupes de règles de taxes de la boutique l\'appliquent en FR (id 3, 8) ; indiquez lequel dans catalog.taxRuleGroups' });
  });

  it('config overrides are matched by rate whatever their spelling', () => {
    expect(overrideFor('5.500', { '5.5': 3 })).to.equal(3);
    expect(overrideFor('20.000', { 20: 0 })).to.equal(0);
    expect(overrideFor('10.000', { 20: 1 })).to.equal(undefined);
  });
});
