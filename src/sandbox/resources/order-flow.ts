// Orders as the shop stores them. PrestaShop creates an order with PaymentModule::validateOrder from a
// cart (price rules, carrier modules, hooks); that cannot be reproduced here. The sandbox builds the
// same rows (orders, order_details, order_carriers, order_cart_rules, order_histories, order_invoices)
// from already-priced lines, with the default shop's rounding: PS_PRICE_ROUND_MODE 2 (half up) and
// PS_ROUND_TYPE 2 (round each line total), amounts kept to 6 decimals like the database.
import type { ShopState } from '../state.ts';
import type { Row } from '../store.ts';
import { randomKey } from './customers.ts';

export interface PricedLine {
  productId: string;
  reference: string;
  name: string;
  ean13?: string;
  quantity: number;
  /** Catalogue unit price before any reduction, tax excluded. */
  originalUnitTaxExcl: number;
  /** Unit price actually charged, tax excluded. */
  unitTaxExcl: number;
  taxRate: number;
  taxId: string;
  idTaxRulesGroup: string;
  reductionPercent: number;
  reductionAmountTaxExcl: number;
  groupReduction: number;
  weight?: number;
  wholesalePrice?: number;
}

export interface OrderSpec {
  idCustomer: string;
  idAddressDelivery: string;
  idAddressInvoice: string;
  idCart: string;
  idCarrier: string;
  idLang: string;
  module: string;
  payment: string;
  lines: PricedLine[];
  cartRules: Array<{ id?: string; name: string; valueTaxExcl: number; valueTaxIncl: number }>;
  shippingTaxExcl: number;
  shippingTaxRate: number;
  /** When set, kept as total_paid_real (POST orders keeps the posted value). */
  totalPaidReal?: number;
  note?: string;
  dateAdd: string;
}

export const round2 = (n: number): number => Math.round((n + Number.EPSILON) * 100) / 100;
const f6 = (n: number): string => n.toFixed(6);

const REF_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
function orderReference(): string {
  let s = '';
  for (let i = 0; i < 9; i++) s += REF_LETTERS[Math.floor(Math.random() * 26)] ?? 'A';
  return s;
}

export interface OrderTotals {
  products: number; productsWt: number; discountsExcl: number; discountsIncl: number;
  shippingExcl: number; shippingIncl: number; paidExcl: number; paidIncl: number;
}

export function computeTotals(spec: Pick<OrderSpec, 'lines' | 'cartRules' | 'shippingTaxExcl' | 'shippingTaxRate'>): OrderTotals {
  let products = 0;
  let productsWt = 0;
  for (const l of spec.lines) {
    products += round2(l.unitTaxExcl * l.quantity);
    productsWt += round2(l.unitTaxExcl * (1 + l.taxRate / 100) * l.quantity);
  }
  const discountsExcl = spec.cartRules.reduce((s, r) => s + r.valueTaxExcl, 0);
  const discountsIncl = spec.cartRules.reduce((s, r) => s + r.valueTaxIncl, 0);
  const shippingExcl = round2(spec.shippingTaxExcl);
  const shippingIncl = round2(spec.shippingTaxExcl * (1 + spec.shippingTaxRate / 100));
  return {
    products: round2(products), productsWt: round2(productsWt), discountsExcl: round2(discountsExcl), discountsIncl: round2(discountsIncl),
    shippingExcl, shippingIncl,
    paidExcl: round2(products - discountsExcl + shippingExcl), paidIncl: round2(productsWt - discountsIncl + shippingIncl),
  };
}

/** Inserts the order and its rows; the state is set afterwards with setOrderState. Returns the order row. */
export function insertOrder(state: ShopState, spec: OrderSpec): Row {
  const { store } = state;
  const t = computeTotals(spec);
  const customer = store.get('customers', Number(spec.idCustomer));
  const order = store.insert('orders', {
    id_address_delivery: spec.idAddressDelivery, id_address_invoice: spec.idAddressInvoice, id_cart: spec.idCart,
    id_currency: '1', id_lang: spec.idLang, id_customer: spec.idCustomer, id_carrier: spec.idCarrier, current_state: '0',
    module: spec.module, invoice_number: '0', invoice_date: '0000-00-00 00:00:00', delivery_number: '0',
    delivery_date: '0000-00-00 00:00:00', valid: '0', date_add: spec.dateAdd, date_upd: spec.dateAdd, shipping_number: '',
    note: spec.note ?? '', id_shop_group: '1', id_shop: '1', secure_key: String(customer?.secure_key ?? randomKey()),
    payment: spec.payment, recyclable: '0', gift: '0', gift_message: '', mobile_theme: '0',
    total_discounts: f6(t.discountsIncl), total_discounts_tax_incl: f6(t.discountsIncl), total_discounts_tax_excl: f6(t.discountsExcl),
    total_paid: f6(t.paidIncl), total_paid_tax_incl: f6(t.paidIncl), total_paid_tax_excl: f6(t.paidExcl),
    total_paid_real: f6(spec.totalPaidReal ?? t.paidIncl), total_products: f6(t.products), total_products_wt: f6(t.productsWt),
    total_shipping: f6(t.shippingIncl), total_shipping_tax_incl: f6(t.shippingIncl), total_shipping_tax_excl: f6(t.shippingExcl),
    carrier_tax_rate: spec.shippingTaxRate.toFixed(3), total_wrapping: f6(0), total_wrapping_tax_incl: f6(0), total_wrapping_tax_excl: f6(0),
    round_mode: '2', round_type: '2', conversion_rate: f6(1), reference: orderReference(), associations: { order_rows: [] },
  });
  const rows: Array<Record<string, string>> = [];
  for (const l of spec.lines) {
    const unitIncl = l.unitTaxExcl * (1 + l.taxRate / 100);
    const detail = store.insert('order_details', {
      id_order: order.id, product_id: l.productId, product_attribute_id: '0', product_quantity_reinjected: '0',
      group_reduction: l.groupReduction.toFixed(2), discount_quantity_applied: '0', download_hash: '', download_deadline: '0000-00-00 00:00:00',
      id_order_invoice: '0', id_warehouse: '0', id_shop: '1', id_customization: '0', product_name: l.name,
      product_quantity: String(l.quantity), product_quantity_in_stock: String(l.quantity), product_quantity_return: '0', product_quantity_refunded: '0',
      product_price: f6(l.unitTaxExcl), reduction_percent: l.reductionPercent.toFixed(2), reduction_amount: f6(l.reductionAmountTaxExcl * (1 + l.taxRate / 100)),
      reduction_amount_tax_incl: f6(l.reductionAmountTaxExcl * (1 + l.taxRate / 100)), reduction_amount_tax_excl: f6(l.reductionAmountTaxExcl),
      product_quantity_discount: f6(0), product_ean13: l.ean13 ?? '', product_isbn: '', product_upc: '', product_mpn: '',
      product_reference: l.reference, product_supplier_reference: '', product_weight: f6(l.weight ?? 0), tax_computation_method: '0',
      id_tax_rules_group: l.idTaxRulesGroup, ecotax: f6(0), ecotax_tax_rate: '0.000', download_nb: '0',
      unit_price_tax_incl: f6(unitIncl), unit_price_tax_excl: f6(l.unitTaxExcl),
      total_price_tax_incl: f6(round2(unitIncl * l.quantity)), total_price_tax_excl: f6(round2(l.unitTaxExcl * l.quantity)),
      total_shipping_price_tax_excl: f6(0), total_shipping_price_tax_incl: f6(0), purchase_supplier_price: f6(l.wholesalePrice ?? 0),
      original_product_price: f6(l.originalUnitTaxExcl), original_wholesale_price: f6(l.wholesalePrice ?? 0),
      total_refunded_tax_excl: f6(0), total_refunded_tax_incl: f6(0), associations: { taxes: l.taxId === '0' ? [] : [{ id: l.taxId }] },
    });
    rows.push({
      id: detail.id, product_id: l.productId, product_attribute_id: '0', product_quantity: String(l.quantity), product_name: l.name,
      product_reference: l.reference, product_ean13: l.ean13 ?? '', product_isbn: '', product_upc: '', product_price: f6(l.unitTaxExcl),
      id_customization: '0', unit_price_tax_incl: f6(unitIncl), unit_price_tax_excl: f6(l.unitTaxExcl),
    });
  }
  (order.associations ??= {}).order_rows = rows;
  for (const r of spec.cartRules) {
    store.insert('order_cart_rules', {
      id_order: order.id, id_cart_rule: r.id ?? '0', id_order_invoice: '0', name: r.name,
      value: f6(r.valueTaxIncl), value_tax_excl: f6(r.valueTaxExcl), free_shipping: '0',
    });
  }
  const weight = spec.lines.reduce((s, l) => s + (l.weight ?? 0) * l.quantity, 0);
  store.insert('order_carriers', {
    id_order: order.id, id_carrier: spec.idCarrier, id_order_invoice: '0', weight: f6(weight),
    shipping_cost_tax_excl: f6(t.shippingExcl), shipping_cost_tax_incl: f6(t.shippingIncl), tracking_number: '', date_add: spec.dateAdd,
  });
  return order;
}

/**
 * Moves an order to a state like OrderHistory::changeIdOrderState + add(): a history row (even for
 * the same state again, transcript 107), current_state, valid, date_upd; an invoice when the state
 * has invoice=1 and the order has none (122); a delivery number when the state is "shipped" (106).
 * Returns false for an unknown state (the caller answers 500).
 */
export function changeOrderState(state: ShopState, idOrder: number, idState: number, date = state.clock.now()): Row | undefined {
  const order = state.store.get('orders', idOrder);
  const os = state.store.get('order_states', idState);
  if (!order || !os) return undefined;
  const history = state.store.insert('order_histories', { id_employee: '0', id_order_state: String(idState), id_order: order.id, date_add: date });
  applyOrderState(state, order, os, date);
  return history;
}

/** The order-side effects of entering a state (the history row already exists). */
export function applyOrderState(state: ShopState, order: Row, os: Row, date: string): void {
  const { store } = state;
  const idState = Number(os.id);
  order.current_state = String(idState);
  order.valid = os.logable === '1' ? '1' : '0';
  order.date_upd = date;
  const invoices = store.lookup('order_invoices', 'id_order', [order.id]) ?? [];
  if (os.invoice === '1' && invoices.length === 0) {
    const number = store.all('order_invoices').reduce((m, i) => Math.max(m, Number(i.number ?? 0)), 0) + 1;
    const invoice = store.insert('order_invoices', {
      id_order: order.id, number: String(number), delivery_number: '0', delivery_date: '0000-00-00 00:00:00',
      total_discount_tax_excl: order.total_discounts_tax_excl, total_discount_tax_incl: order.total_discounts_tax_incl,
      total_paid_tax_excl: order.total_paid_tax_excl, total_paid_tax_incl: order.total_paid_tax_incl,
      total_products: order.total_products, total_products_wt: order.total_products_wt,
      total_shipping_tax_excl: order.total_shipping_tax_excl, total_shipping_tax_incl: order.total_shipping_tax_incl,
      shipping_tax_computation_method: '0', total_wrapping_tax_excl: f6(0), total_wrapping_tax_incl: f6(0),
      shop_address: 'PrestaSync Sandbox', note: '', date_add: date,
    });
    order.invoice_number = String(number);
    order.invoice_date = date;
    for (const d of store.lookup('order_details', 'id_order', [order.id]) ?? []) d.id_order_invoice = invoice.id;
    for (const c of store.lookup('order_carriers', 'id_order', [order.id]) ?? []) c.id_order_invoice = invoice.id;
  }
  if ((os.shipped === '1' || os.delivery === '1') && order.delivery_number === '0' && os.paid === '1' && os.shipped === '1') {
    const number = store.all('orders').reduce((m, o) => Math.max(m, Number(o.delivery_number ?? 0)), 0) + 1;
    order.delivery_number = String(number);
    order.delivery_date = date;
    for (const i of store.lookup('order_invoices', 'id_order', [order.id]) ?? []) { i.delivery_number = String(number); i.delivery_date = date; }
  }
  store.save('orders', order);
}
