// A web order as the sandbox shop's checkout would record it: accents, a line discount, shipping.
import type { PlaceOrderInput } from '../../src/sandbox/index.ts';

export function webOrder(i: number, over: Partial<PlaceOrderInput> = {}): PlaceOrderInput {
  return {
    customer: { email: `client${i}@exemple.fr`, firstname: 'Hélène', lastname: `Dupré${'abcdefghij'[i % 10]}` },
    invoiceAddress: { address1: `${i} rue de la Forêt`, postcode: '69003', city: 'Lyon', country: 'FR' },
    lines: [
      { reference: 'VIS-4X40', name: 'Vis à bois 4×40', quantity: 3, unitPriceTaxExcl: 8.25, taxRate: 20, reductionPercent: 10 },
      { reference: 'CHEVILLE-6', name: 'Cheville nylon Ø6', quantity: 2, unitPriceTaxExcl: 4.9, taxRate: 20 },
    ],
    shippingTaxExcl: 6.5,
    ...over,
  };
}
