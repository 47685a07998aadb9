import { expect } from 'chai';
import { RecordRejected } from '../../../src/errors.ts';
import { parseOrdersConfig } from '../../../src/erp/orders-config.ts';
import { erpCodeFromNote, toErpOrder } from '../../../transforms/orders/from-prestashop.ts';
import { order42 } from '../../fixtures/orders/order-42.ts';

const cfg = parseOrdersConfig(undefined);

describe('orders: PrestaShop records → ErpOrder', () => {
  it('keeps the id, reference, date, payment, carrier and the totals to the micro-unit', () => {
    const o = toErpOrder(order42(), cfg);
    expect(o.idOrder).to.equal(42);
    expect(o.reference).to.equal('UUBOXOBGX');
    expect(o.date).to.equal('2026-11-28 13:30:06');
    expect(o.paymentLabel).to.equal('Virement bancaire');
    expect(o.carrierName).to.equal('Colissimo – Domicile');
    expect(o.currency).to.equal('EUR');
    expect(o.totals).to.deep.equal({
      productsTaxExcl: 61_250_000, discountsTaxExcl: 5_000_000, shippingTaxExcl: 7_000_000, wrappingTaxExcl: 0,
      paidTaxExcl: 63_250_000, paidTaxIncl: 74_450_000,
    });
    expect(o.shippingTaxExcl).to.equal(7_000_000);
    expect(o.shippingVatRate).to.equal(20);
  });

  it('reads a percentage discount with the catalogue price, and an amount discount per unit', () => {
    const [pct, amount, plain, book] = toErpOrder(order42(), cfg).lines;
    expect(pct).to.include({ reference: 'ERP-FX-0001', quantity: 2, unitPriceTaxExcl: 16_387_500, netUnitPriceTaxExcl: 14_748_750, vatRate: 20 });
    expect(pct?.discount).to.deep.equal({ percent: 10 });
    expect(amount).to.include({ unitPriceTaxExcl: 5_000_000, netUnitPriceTaxExcl: 4_500_000 });
    expect(amount?.discount).to.deep.equal({ amountTaxExcl: 500_000 });
    expect(plain?.discount).to.equal(undefined);
    expect(plain?.designation).to.equal('Équerre d’assemblage zinguée');
    expect(book?.vatRate).to.equal(5.5);
  });

  it('falls back to the price paid when the catalogue price and the percentage do not give it', () => {
    const src = order42();
    const d = src.details[0];
    if (!d) throw new Error('fixture');
    d.original_product_price = '17.000000'; // a group reduction was combined in
    const line = toErpOrder(src, cfg).lines[0];
    expect(line?.discount).to.equal(undefined);
    expect(line?.unitPriceTaxExcl).to.equal(14_748_750);
  });

  it('carries cart rules with their implied VAT rate, and both addresses with ISO countries', () => {
    const o = toErpOrder(order42(), cfg);
    expect(o.orderDiscounts).to.deep.equal([{ name: 'Code promo BIENVENUE', amountTaxExcl: 5_000_000, vatRate: 20 }]);
    expect(o.billingAddress).to.include({ address1: '12, rue de l’Église', address2: 'Bâtiment B', countryIso: 'FR', phone: '+33 6 12 34 56 78' });
    expect(o.deliveryAddress).to.include({ firstname: 'Françoise', lastname: 'Lefèvre', postcode: '69005', countryIso: 'FR' });
    expect(o.deliveryAddress.address2).to.equal(undefined);
  });

  it('picks the order language in a multi-language name', () => {
    const src = order42();
    const row = src.order.associations?.order_rows?.[0];
    const d = src.details[0];
    if (!row || !d) throw new Error('fixture');
    d.product_name = { '1': 'Vis à bois', '2': 'Wood screw' };
    src.order.id_lang = '2';
    expect(toErpOrder(src, cfg).lines[0]?.designation).to.equal('Wood screw');
  });

  it('keeps the ERP code of a customer the ERP created (customer.note `ERP:<code>`)', () => {
    expect(erpCodeFromNote('ERP:C00042')).to.equal('C00042');
    expect(erpCodeFromNote('Client fidèle\nERP:DURAND01 depuis 2019')).to.equal('DURAND01');
    expect(erpCodeFromNote('pas de code')).to.equal(undefined);
    expect(erpCodeFromNote(undefined)).to.equal(undefined);
    const src = order42();
    src.customer.note = 'ERP:C00042';
    expect(toErpOrder(src, cfg).customer.erpCode).to.equal('C00042');
    expect(toErpOrder(order42(), cfg).customer.erpCode).to.equal(undefined);
  });

  it('rejects an address whose country it cannot name', () => {
    const src = order42();
    src.deliveryAddress.id_country = '99';
    expect(() => toErpOrder(src, cfg)).to.throw(RecordRejected, /pays inconnu/);
  });
});
