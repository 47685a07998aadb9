// store.placeOrder: creates an order the way a checkout would leave it in the database. The real
// checkout (PaymentModule::validateOrder on a cart, with price rules, carrier modules and hooks) cannot
// be reproduced: the caller gives already-decided prices, and totals are computed with the default
// shop's rules (round each line, half up — see order-flow.ts).
import type { ShopState } from '../state.ts';
import type { Row } from '../store.ts';
import { hashPassword, randomKey } from './customers.ts';
import { changeOrderState, insertOrder, type PricedLine } from './order-flow.ts';
import { moveOrderToShop } from '../multistore.ts';

export interface PlaceOrderAddress {
  alias?: string;
  company?: string;
  firstname?: string;
  lastname?: string;
  address1: string;
  address2?: string;
  postcode: string;
  city: string;
  /** ISO code, default 'FR'. */
  country?: string;
  phone?: string;
  vatNumber?: string;
}

export interface PlaceOrderLine {
  reference: string;
  name: string;
  quantity: number;
  /** Catalogue unit price, tax excluded, before the line reduction. */
  unitPriceTaxExcl: number;
  /** e.g. 20 */
  taxRate: number;
  reductionPercent?: number;
  /** Per unit, tax excluded. */
  reductionAmountTaxExcl?: number;
}

export interface PlaceOrderInput {
  customer: { email: string; firstname: string; lastname: string; company?: string; note?: string };
  invoiceAddress: PlaceOrderAddress;
  /** Default: the invoice address. */
  deliveryAddress?: PlaceOrderAddress;
  lines: PlaceOrderLine[];
  cartRules?: Array<{ name: string; valueTaxExcl: number; valueTaxIncl: number }>;
  shippingTaxExcl?: number;
  /** Default 20. */
  shippingTaxRate?: number;
  /** Default 2 ("My carrier"). */
  carrierId?: number;
  /** Default 'Virement bancaire'. */
  payment?: string;
  /** Default 'ps_wirepayment'. */
  module?: string;
  /** Order state to enter after creation, default 2 (PS_OS_PAYMENT, creates the invoice). */
  state?: number;
  /** Currency: EUR (id 1) only. */
  currency?: 'EUR';
  /** Shop-local 'YYYY-MM-DD HH:MM:SS', default now. */
  dateAdd?: string;
  /** Multistore: the shop it is placed in (default 1, the default shop). */
  shop?: number;
  note?: string;
}

function findOrCreateCustomer(state: ShopState, c: PlaceOrderInput['customer'], now: string): Row {
  const existing = (state.store.lookup('customers', 'email', [c.email]) ?? [])[0];
  if (existing) return existing;
  return state.store.insert('customers', {
    id_default_group: '3', id_lang: '1', newsletter_date_add: '0000-00-00 00:00:00', ip_registration_newsletter: '', last_passwd_gen: now,
    secure_key: randomKey(), deleted: '0', passwd: hashPassword(randomKey()), lastname: c.lastname, firstname: c.firstname, email: c.email,
    id_gender: '0', birthday: '0000-00-00', newsletter: '0', optin: '0', website: '', company: c.company ?? '', siret: '', ape: '',
    outstanding_allow_amount: '0.000000', show_public_prices: '0', id_risk: '0', max_payment_days: '0', active: '1', note: c.note ?? '',
    is_guest: '0', id_shop: '1', id_shop_group: '1', date_add: now, date_upd: now, reset_password_token: '', reset_password_validity: '0000-00-00 00:00:00',
    associations: { groups: [{ id: '3' }] },
  });
}

function createAddress(state: ShopState, a: PlaceOrderAddress, customer: Row, now: string): Row {
  const country = (state.store.lookup('countries', 'iso_code', [a.country ?? 'FR']) ?? [])[0];
  return state.store.insert('addresses', {
    id_customer: customer.id, id_manufacturer: '0', id_supplier: '0', id_warehouse: '0', id_country: country?.id ?? '8', id_state: '0',
    alias: a.alias ?? 'Mon adresse', company: a.company ?? '', lastname: a.lastname ?? String(customer.lastname), firstname: a.firstname ?? String(customer.firstname),
    vat_number: a.vatNumber ?? '', address1: a.address1, address2: a.address2 ?? '', postcode: a.postcode, city: a.city, other: '',
    phone: a.phone ?? '', phone_mobile: '', dni: '', deleted: '0', date_add: now, date_upd: now, associations: {},
  });
}

export function placeOrder(state: ShopState, o: PlaceOrderInput): number {
  const now = o.dateAdd ?? state.clock.now();
  const customer = findOrCreateCustomer(state, o.customer, now);
  const invoice = createAddress(state, o.invoiceAddress, customer, now);
  const delivery = o.deliveryAddress ? createAddress(state, o.deliveryAddress, customer, now) : invoice;
  const cart = state.store.insert('carts', {
    id_address_delivery: delivery.id, id_address_invoice: invoice.id, id_currency: '1', id_customer: customer.id, id_guest: '0', id_lang: '1',
    id_shop_group: '1', id_shop: '1', id_carrier: String(o.carrierId ?? 2), recyclable: '0', gift: '0', gift_message: '', mobile_theme: '0',
    delivery_option: JSON.stringify({ [delivery.id]: `${o.carrierId ?? 2},` }), secure_key: String(customer.secure_key), allow_seperated_package: '0',
    date_add: now, date_upd: now, associations: { cart_rows: [] },
  });
  const lines: PricedLine[] = o.lines.map((l) => {
    const product = (state.store.lookup('products', 'reference', [l.reference]) ?? [])[0];
    const pct = l.reductionPercent ?? 0;
    const amount = l.reductionAmountTaxExcl ?? 0;
    const tax = state.store.all('taxes').find((t) => Number(t.rate) === l.taxRate);
    return {
      productId: product?.id ?? '0', reference: l.reference, name: l.name, quantity: l.quantity,
      originalUnitTaxExcl: l.unitPriceTaxExcl, unitTaxExcl: l.unitPriceTaxExcl * (1 - pct / 100) - amount,
      taxRate: l.taxRate, taxId: tax?.id ?? '0', idTaxRulesGroup: String(product?.id_tax_rules_group ?? tax?.id ?? '0'),
      reductionPercent: pct, reductionAmountTaxExcl: amount, groupReduction: 0,
      weight: Number(product?.weight ?? 0), wholesalePrice: Number(product?.wholesale_price ?? 0),
    };
  });
  (cart.associations ??= {}).cart_rows = lines.map((l) => ({ id_product: l.productId, id_product_attribute: '0', id_address_delivery: delivery.id, id_customization: '0', quantity: String(l.quantity) }));
  const order = insertOrder(state, {
    idCustomer: customer.id, idAddressDelivery: delivery.id, idAddressInvoice: invoice.id, idCart: cart.id, idCarrier: String(o.carrierId ?? 2),
    idLang: '1', module: o.module ?? 'ps_wirepayment', payment: o.payment ?? 'Virement bancaire', lines, cartRules: o.cartRules ?? [],
    shippingTaxExcl: o.shippingTaxExcl ?? 0, shippingTaxRate: o.shippingTaxRate ?? 20, dateAdd: now, ...(o.note !== undefined ? { note: o.note } : {}),
  });
  if (o.shop !== undefined && o.shop !== 1) moveOrderToShop(state, Number(order.id), o.shop);
  if (!changeOrderState(state, Number(order.id), o.state ?? 2, now)) throw new Error(`sandbox: unknown order state ${o.state ?? 2}`);
  return Number(order.id);
}
