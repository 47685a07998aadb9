// The canonical price records every ERP's transforms produce and the prices pipeline loads: one shape
// whatever the ERP (Sage #CACL / #CATQ, EBP, Divalto, a generic price file).

/** Who a specific price is for: an identity-map key of the customers flow (issue 9 contract). */
export type PriceFor =
  /** `group` entity: `tarif:<n>` (Sage price category), `famille:<CODE>` (EBP), `tarif:<CODE>` (Divalto) */
  | { group: string }
  /** `customer` entity: the ERP account code, trimmed, NFC, upper case */
  | { customer: string };

/** One specific price: an article, for a group or a customer, from a quantity on. */
export interface PriceLine {
  /** The article reference, as the products flow keys it (normalizeKey). */
  reference: string;
  for: PriceFor;
  /** 1 unless the ERP gives quantity breaks. */
  fromQuantity: number;
  /** Fixed price tax excluded, 6 decimals; null: the product's own price (PrestaShop -1). */
  price: string | null;
  /** 'percentage': a fraction (0.150000 = 15 %); 'amount': per unit, tax excluded. '0.000000' = none. */
  reduction: string;
  reductionType: 'percentage' | 'amount';
  /** 'YYYY-MM-DD HH:MM:SS'; null: no bound. */
  from: string | null;
  to: string | null;
}

/** Everything one ERP tariff says about an article for one group or customer: its specific prices (one per
 *  quantity break; none = the base price applies), remarks for the report. */
export interface PriceSet {
  reference: string;
  for: PriceFor;
  /** French, for reasons: « catégorie tarifaire 3 », « client CARAT ». */
  label: string;
  prices: PriceLine[];
  remarks: string[];
  /** Why the tariff cannot be applied (French, with its line): the set is rejected and the shop keeps what it
   *  holds for it — even a full export deletes nothing of a set it could not read. */
  problem?: string;
}

/** A base price of an article (hourly price file): the product's `price` only. */
export interface BasePriceLine {
  reference: string;
  /** Tax excluded, 6 decimals. */
  priceTaxExcl: string;
}

export function forKey(f: PriceFor): string {
  return 'group' in f ? f.group : `client:${f.customer}`;
}

/** The set of one article for one group / customer: `REF|tarif:3`, `REF|client:CARAT`. */
export function setKey(reference: string, f: PriceFor): string {
  return `${reference}|${forKey(f)}`;
}

/** One specific price: `REF|tarif:3|10`. */
export function priceKey(l: Pick<PriceLine, 'reference' | 'for' | 'fromQuantity'>): string {
  return `${setKey(l.reference, l.for)}|${l.fromQuantity}`;
}

/** The set a specific price key belongs to (everything before its last `|`). */
export function setOfPriceKey(key: string): string {
  return key.slice(0, key.lastIndexOf('|'));
}

// The keys of the groups and customers the customers flow owns (the prices flow finds them in the identity map).
export { customerKeyOf, groupKeyOfPriceCategory } from '../customers/keys.ts';

/** 6 decimals, as PrestaShop stores prices and reductions; -0 never printed. */
export function sixDecimals(n: number): string {
  const s = (Math.round(n * 1e6) / 1e6).toFixed(6);
  return s === '-0.000000' ? '0.000000' : s;
}
