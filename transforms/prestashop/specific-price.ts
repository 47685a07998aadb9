// PrestaShop side of the prices flow, pure: the body of a specific price, and how to compare one the shop
// holds. WEBSERVICE.md §6.6, resources.json and transcripts 084–090: every field of the 8.2 schema is
// required; `price` -1 keeps the product's base price; a percentage is a fraction (0.1 = 10 %); from / to
// `0000-00-00 00:00:00` = no bound; a second row on the same unique key (product, attribute, customer, cart,
// dates, shop, shop group, currency, country, group, quantity, rule) is a bare HTTP 500 that creates nothing
// (085), so a creation is always checked against the product's list first (LESSONS F5).
import type { PsRecord } from '../../src/prestashop/xml.ts';
import type { PriceLine } from '../prices/types.ts';

export const NO_DATE = '0000-00-00 00:00:00';

/** Shop ids a price line resolves to; `group` / `customer` '0' = every group / every customer. */
export interface SpecificPriceIds { product: string; group: string; customer: string; shop: string }

/** The whole object: the connector owns every field of a specific price it created, so an update sends
 *  them all (a PATCH on 8.x, the client's GET-merge-PUT on 1.7 — the same full object either way). */
export function specificPriceBody(l: PriceLine, ids: SpecificPriceIds): PsRecord {
  return {
    id_shop: ids.shop, id_cart: '0', id_product: ids.product, id_product_attribute: '0',
    id_currency: '0', id_country: '0', id_group: ids.group, id_customer: ids.customer,
    price: l.price ?? '-1.000000', from_quantity: String(l.fromQuantity),
    reduction: l.reduction, reduction_tax: '0', reduction_type: l.reductionType,
    from: l.from ?? NO_DATE, to: l.to ?? NO_DATE,
  };
}

/** The fields of the table's unique key (install/data/db_structure.sql, id_product_2). */
const UNIQUE_KEY = ['id_product', 'id_product_attribute', 'id_customer', 'id_cart', 'from', 'to', 'id_shop', 'id_shop_group', 'id_currency', 'id_country', 'id_group', 'from_quantity', 'id_specific_price_rule'];
const VALUES = ['price', 'reduction', 'reduction_tax', 'reduction_type'];

/** As MySQL compares the stored row: '' and '0' are one int, 0.1 and 0.100000 one decimal. */
function same(a: unknown, b: unknown): boolean {
  const x = String(a ?? '');
  const y = String(b ?? '');
  if (x === y) return true;
  const nx = Number(x === '' ? 0 : x);
  const ny = Number(y === '' ? 0 : y);
  return !Number.isNaN(nx) && !Number.isNaN(ny) && Math.abs(nx - ny) < 5e-7;
}

/** A shop row that the body would collide with: a POST of the body would be refused (500). */
export function sameUniqueKey(row: PsRecord, body: PsRecord): boolean {
  return UNIQUE_KEY.every((k) => same(row[k], body[k]));
}

/** A shop row that already holds what the body says (nothing to write). */
export function holds(row: PsRecord, body: PsRecord): boolean {
  return sameUniqueKey(row, body) && VALUES.every((k) => same(row[k], body[k]));
}
