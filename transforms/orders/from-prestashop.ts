// PrestaShop records (as the webservice client parses them: every scalar a string, multi-language fields as
// { '1': 'fr', '2': 'en' }) → the canonical ErpOrder. Pure. Sources: WEBSERVICE.md §7.1 and transcripts 097-099.
import { RecordRejected } from '../../src/errors.ts';
import type { OrdersConfig } from '../../src/erp/orders-config.ts';
import { applyPercent, parseMicros, type Micros } from './money.ts';
import type { ErpAddress, ErpOrder, ErpOrderDiscount, ErpOrderLine, LineDiscount } from './model.ts';
import { orderShopId } from '../prestashop/orders.ts';

export type PsText = string | Record<string, string>;

export interface PsOrderRow {
  id: string;
  product_id?: string;
  product_quantity: string;
  product_name: PsText;
  product_reference: string;
  unit_price_tax_excl: string;
  unit_price_tax_incl: string;
  [key: string]: unknown;
}

export interface PsOrder {
  id: string;
  reference: string;
  id_lang?: string;
  date_add: string;
  payment: string;
  total_products: string;
  total_discounts_tax_excl: string;
  total_shipping_tax_excl: string;
  total_wrapping_tax_excl?: string;
  total_paid_tax_excl: string;
  total_paid_tax_incl: string;
  carrier_tax_rate?: string;
  associations?: { order_rows?: PsOrderRow[] };
  [key: string]: unknown;
}

export interface PsOrderDetail {
  id: string;
  product_name: PsText;
  product_reference: string;
  product_quantity: string;
  unit_price_tax_excl: string;
  unit_price_tax_incl: string;
  total_price_tax_excl: string;
  original_product_price?: string;
  reduction_percent?: string;
  reduction_amount_tax_excl?: string;
  associations?: { taxes?: { id: string }[] };
  [key: string]: unknown;
}

export interface PsOrderCartRule {
  name: PsText;
  value: string;
  value_tax_excl: string;
  [key: string]: unknown;
}

export interface PsCustomer {
  id: string;
  email: string;
  firstname: string;
  lastname: string;
  company?: string;
  note?: string;
  [key: string]: unknown;
}

export interface PsAddress {
  firstname: string;
  lastname: string;
  company?: string;
  address1: string;
  address2?: string;
  postcode?: string;
  city: string;
  id_country: string;
  phone?: string;
  phone_mobile?: string;
  vat_number?: string;
  [key: string]: unknown;
}

export interface PrestaShopOrderSource {
  order: PsOrder;
  /** order_details?filter[id_order]=[N]&display=full: the only place with line discounts. */
  details: PsOrderDetail[];
  /** order_cart_rules?filter[id_order]=[N]. */
  cartRules: PsOrderCartRule[];
  customer: PsCustomer;
  invoiceAddress: PsAddress;
  deliveryAddress: PsAddress;
  carrier?: { name: PsText };
  countryIsoById: Record<string, string>;
  /** ISO code of order.id_currency; EUR when the engine does not say. */
  currencyIso?: string;
  /** Rate (percent) per PrestaShop tax id, for lines whose price is 0 (rate not derivable from the prices). */
  taxRateById?: Record<string, number>;
}

/** The ERP customer code kept in customer.note as `ERP:<code>` (WEBSERVICE.md §6.5: note is where it lives). */
export function erpCodeFromNote(note: string | undefined): string | undefined {
  const m = /(?:^|\s)ERP:\s*([^\s]+)/.exec(note ?? '');
  return m?.[1];
}

function text(value: PsText | undefined, idLang: string | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (idLang !== undefined && value[idLang] !== undefined) return value[idLang];
  return Object.values(value).find((v) => v !== '') ?? '';
}

/** A scalar as the client gives it; an absent or empty XML element reads as ''. */
function str(value: unknown): string {
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

function optional(value: string | undefined): string | undefined {
  const trimmed = str(value);
  return trimmed === '' ? undefined : trimmed;
}

function integer(value: string, what: string, idOrder: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new RecordRejected(`${what} illisible : « ${value} »`, idOrder);
  return n;
}

/** VAT rate from the tax-included / tax-excluded unit prices, to 0.1 %: PrestaShop rates are 20, 10, 5.5, 2.1… */
function impliedRate(incl: Micros, excl: Micros): number | undefined {
  if (excl === 0) return undefined;
  return Math.round(((incl - excl) / excl) * 1000) / 10;
}

function address(a: PsAddress, countryIsoById: Record<string, string>, idOrder: string): ErpAddress {
  const countryIso = countryIsoById[a.id_country];
  if (countryIso === undefined) throw new RecordRejected(`pays inconnu (id_country ${a.id_country})`, idOrder);
  return {
    firstname: str(a.firstname),
    lastname: str(a.lastname),
    company: optional(a.company),
    address1: str(a.address1),
    address2: optional(a.address2),
    postcode: str(a.postcode),
    city: str(a.city),
    countryIso,
    phone: optional(a.phone_mobile) ?? optional(a.phone),
  };
}

// Tolerance when checking that the catalogue price minus the percentage gives the price paid (PrestaShop keeps
// 6 decimals): 0.0001 per unit.
const PRICE_TOLERANCE: Micros = 100;

function lineDiscount(d: PsOrderDetail, net: Micros): { gross: Micros; discount?: LineDiscount } {
  const percent = Number(d.reduction_percent ?? '0');
  const amount = parseMicros(d.reduction_amount_tax_excl);
  if (percent > 0 && percent < 100) {
    const original = parseMicros(d.original_product_price);
    if (original > 0 && Math.abs(original - applyPercent(original, percent) - net) <= PRICE_TOLERANCE) {
      return { gross: original, discount: { percent } };
    }
    // Several reductions were combined (group + specific price): the price paid alone is the faithful figure.
    return { gross: net };
  }
  if (amount > 0) return { gross: net + amount, discount: { amountTaxExcl: amount } };
  return { gross: net };
}

function lineFromDetail(d: PsOrderDetail, idLang: string | undefined, taxRateById: Record<string, number> | undefined, idOrder: string): ErpOrderLine {
  const net = parseMicros(d.unit_price_tax_excl);
  const { gross, discount } = lineDiscount(d, net);
  const taxIds = d.associations?.taxes ?? [];
  const mapped = taxIds.length === 1 && taxIds[0] ? taxRateById?.[taxIds[0].id] : undefined;
  const rate = mapped ?? impliedRate(parseMicros(d.unit_price_tax_incl), net);
  return {
    reference: str(d.product_reference),
    designation: text(d.product_name, idLang).trim(),
    quantity: integer(d.product_quantity, 'quantité', idOrder),
    unitPriceTaxExcl: gross,
    netUnitPriceTaxExcl: net,
    totalTaxExcl: parseMicros(d.total_price_tax_excl),
    vatRate: rate ?? Number.NaN,
    ...(discount ? { discount } : {}),
  };
}

function lineFromRow(r: PsOrderRow, idLang: string | undefined, idOrder: string): ErpOrderLine {
  const net = parseMicros(r.unit_price_tax_excl);
  const quantity = integer(r.product_quantity, 'quantité', idOrder);
  return {
    reference: str(r.product_reference),
    designation: text(r.product_name, idLang).trim(),
    quantity,
    unitPriceTaxExcl: net,
    netUnitPriceTaxExcl: net,
    totalTaxExcl: net * quantity,
    vatRate: impliedRate(parseMicros(r.unit_price_tax_incl), net) ?? Number.NaN,
  };
}

export function toErpOrder(src: PrestaShopOrderSource, _cfg?: OrdersConfig): ErpOrder {
  const { order } = src;
  const idOrder = order.id;
  const idLang = order.id_lang;
  const detailsById = new Map(src.details.map((d) => [d.id, d]));
  const rows = order.associations?.order_rows ?? [];
  // order_rows gives the order of the lines; order_details the discounts. A row without its detail keeps its net price.
  const lines = rows.length > 0
    ? rows.map((r) => {
      const d = detailsById.get(r.id);
      return d ? lineFromDetail(d, idLang, src.taxRateById, idOrder) : lineFromRow(r, idLang, idOrder);
    })
    : src.details.map((d) => lineFromDetail(d, idLang, src.taxRateById, idOrder));
  if (lines.length === 0) throw new RecordRejected('commande sans ligne', idOrder);

  // A free line (price 0) has no derivable rate: it takes the most common rate of the order.
  const known = lines.map((l) => l.vatRate).filter((r) => !Number.isNaN(r));
  const fallbackRate = known.sort((a, b) => known.filter((x) => x === b).length - known.filter((x) => x === a).length)[0] ?? 0;
  for (const line of lines) if (Number.isNaN(line.vatRate)) line.vatRate = fallbackRate;

  const orderDiscounts: ErpOrderDiscount[] = src.cartRules.map((rule) => {
    const excl = parseMicros(rule.value_tax_excl);
    const rate = impliedRate(parseMicros(rule.value), excl);
    return { name: text(rule.name, idLang).trim(), amountTaxExcl: excl, ...(rate !== undefined ? { vatRate: rate } : {}) };
  });

  const c = src.customer;
  const billingAddress = address(src.invoiceAddress, src.countryIsoById, idOrder);
  const erpCode = erpCodeFromNote(c.note);
  return {
    idOrder: integer(idOrder, 'id_order', idOrder),
    ...orderShopId(order),
    reference: str(order.reference),
    date: order.date_add,
    currency: src.currencyIso ?? 'EUR',
    customer: {
      ...(erpCode !== undefined ? { erpCode } : {}),
      idCustomer: integer(c.id, 'id_customer', idOrder),
      email: str(c.email),
      firstname: str(c.firstname),
      lastname: str(c.lastname),
      company: optional(c.company) ?? billingAddress.company,
      phone: billingAddress.phone,
      vatNumber: optional(src.invoiceAddress.vat_number),
    },
    billingAddress,
    deliveryAddress: address(src.deliveryAddress, src.countryIsoById, idOrder),
    carrierName: text(src.carrier?.name, idLang).trim(),
    paymentLabel: str(order.payment),
    lines,
    shippingTaxExcl: parseMicros(order.total_shipping_tax_excl),
    shippingVatRate: Number(order.carrier_tax_rate ?? '0') || 0,
    orderDiscounts,
    totals: {
      productsTaxExcl: parseMicros(order.total_products),
      discountsTaxExcl: parseMicros(order.total_discounts_tax_excl),
      shippingTaxExcl: parseMicros(order.total_shipping_tax_excl),
      wrappingTaxExcl: parseMicros(order.total_wrapping_tax_excl),
      paidTaxExcl: parseMicros(order.total_paid_tax_excl),
      paidTaxIncl: parseMicros(order.total_paid_tax_incl),
    },
  };
}
