// The canonical order every ERP writer reads. Built from PrestaShop records by from-prestashop.ts; amounts are
// integer micro-units (money.ts) so a total is never off by a float.
import type { Micros } from './money.ts';

export interface ErpAddress {
  firstname: string;
  lastname: string;
  company?: string;
  address1: string;
  address2?: string;
  postcode: string;
  city: string;
  /** ISO 3166-1 alpha-2 ("FR"). */
  countryIso: string;
  phone?: string;
}

export interface ErpCustomer {
  /** ERP customer code when the ERP created this customer (kept in customer.note as `ERP:<code>`). */
  erpCode?: string;
  idCustomer: number;
  email: string;
  firstname: string;
  lastname: string;
  company?: string;
  phone?: string;
  vatNumber?: string;
}

/** A line discount as PrestaShop expresses it: a percentage, or an amount per unit tax excluded. */
export type LineDiscount = { percent: number } | { amountTaxExcl: Micros };

export interface ErpOrderLine {
  reference: string;
  designation: string;
  quantity: number;
  /** Unit price tax excluded BEFORE the line discount. */
  unitPriceTaxExcl: Micros;
  /** Unit price tax excluded actually paid (after the line discount), as PrestaShop computed it. */
  netUnitPriceTaxExcl: Micros;
  /** Line total tax excluded as PrestaShop computed it (total_price_tax_excl). */
  totalTaxExcl: Micros;
  /** VAT rate in percent (20, 5.5). */
  vatRate: number;
  discount?: LineDiscount;
}

export interface ErpOrderDiscount {
  name: string;
  amountTaxExcl: Micros;
  vatRate?: number;
}

export interface ErpOrderTotals {
  productsTaxExcl: Micros;
  discountsTaxExcl: Micros;
  shippingTaxExcl: Micros;
  wrappingTaxExcl: Micros;
  paidTaxExcl: Micros;
  paidTaxIncl: Micros;
}

export interface ErpOrder {
  /** PrestaShop id_order: THE key (references are not unique, LESSONS.md A1/A2). Ids are global to a
   *  multistore install (one `orders` table, auto-increment), so the key stays unique across shops. */
  idOrder: number;
  /** The order's shop (orders.id_shop): names the shop in the ERP document (orders.shops). */
  shopId?: number;
  reference: string;
  /** Order date in the shop's time zone, as PrestaShop gives it ("2026-11-28 13:30:06"). */
  date: string;
  /** ISO 4217 ("EUR"). */
  currency: string;
  customer: ErpCustomer;
  billingAddress: ErpAddress;
  deliveryAddress: ErpAddress;
  carrierName: string;
  paymentLabel: string;
  lines: ErpOrderLine[];
  shippingTaxExcl: Micros;
  shippingVatRate: number;
  orderDiscounts: ErpOrderDiscount[];
  totals: ErpOrderTotals;
}
