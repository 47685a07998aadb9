// PrestaShop side of the stock flow, pure: how to find a product and its stock row, and what to send.
// WEBSERVICE.md §6.4: stock lives only in stock_availables (product.quantity is a dead column); rows are
// never created by us (POST is 405); the product's own row has id_product_attribute = 0 (LESSONS D4).
import type { ListQuery } from '../../src/prestashop/query.ts';
import { filterEq, filterIn } from '../../src/prestashop/query.ts';

/** PrestaShop filters cannot express these characters: such a reference cannot be looked up. */
export function isFilterable(reference: string): boolean {
  return !/[|[\]]/.test(reference);
}

export function productsByReference(references: string[]): ListQuery {
  return { display: ['id', 'reference'], filter: { reference: filterIn(references) } };
}

/** The shop's filter is case-insensitive; the ERP key is exact. Prefer the exact match, accept a unique
 *  case-insensitive one, refuse ambiguity (references are not unique in PrestaShop: WEBSERVICE.md §6.2). */
export function pickProduct(reference: string, candidates: Array<{ id: string; reference: string }>): { id: string } | { reject: string } {
  const exact = candidates.filter((c) => c.reference === reference);
  const loose = exact.length > 0 ? exact : candidates.filter((c) => c.reference.toLowerCase() === reference.toLowerCase());
  if (loose.length === 1) return { id: loose[0]!.id };
  if (loose.length === 0) return { reject: `référence inconnue dans la boutique : ${reference}` };
  return { reject: `référence portée par ${loose.length} produits dans la boutique (id ${loose.map((c) => c.id).join(', ')}) : impossible de choisir` };
}

/** The products' own stock rows (id_product_attribute = 0), for several products in one call. */
export function productsStockRows(productIds: string[]): ListQuery {
  return {
    display: ['id', 'id_product', 'id_product_attribute', 'quantity'],
    filter: { id_product: filterIn(productIds), id_product_attribute: filterEq(0) },
  };
}

/** Only the quantity: PATCH keeps every other field (out_of_stock, location…) as the shop has it. */
export function stockChange(quantity: number): { quantity: string } {
  return { quantity: String(quantity) };
}
