// PrestaShop side of the stock flow, pure: how to find a product and its stock row, and what to send.
// WEBSERVICE.md §6.4: stock lives only in stock_availables (product.quantity is a dead column); rows are
// never created by us (POST is 405); the product's own row has id_product_attribute = 0 (LESSONS D4).
import type { ListQuery } from '../../src/prestashop/query.ts';
import { filterIn } from '../../src/prestashop/query.ts';

/** PrestaShop filters cannot express these characters: such a reference cannot be looked up. */
export function isFilterable(reference: string): boolean {
  return !/[|[\]]/.test(reference);
}

export function productsByReference(references: string[]): ListQuery {
  return { display: ['id', 'reference'], filter: { reference: filterIn(references) } };
}

/** The shop's filter is case-insensitive; the ERP key is exact. Prefer the exact match, accept a unique
 *  case-insensitive one, refuse ambiguity (references are not unique in PrestaShop: WEBSERVICE.md §6.2). */
export function pickProduct<C extends { id: string; reference: string }>(reference: string, candidates: C[]): C | { reject: string } {
  const exact = candidates.filter((c) => c.reference === reference);
  const loose = exact.length > 0 ? exact : candidates.filter((c) => c.reference.toLowerCase() === reference.toLowerCase());
  if (loose.length === 1) return loose[0]!;
  if (loose.length === 0) return { reject: `référence inconnue dans la boutique : ${reference}` };
  return { reject: `référence portée par ${loose.length} produits dans la boutique (id ${loose.map((c) => c.id).join(', ')}) : impossible de choisir` };
}

/** Every stock row of several products (their own row, id_product_attribute = 0, and one per combination). */
export function productsStockRows(productIds: string[]): ListQuery {
  return {
    display: ['id', 'id_product', 'id_product_attribute', 'quantity'],
    filter: { id_product: filterIn(productIds) },
  };
}

/** Combinations (variants) carry their own reference: a size or colour of a product (WEBSERVICE.md §6.2). */
export function combinationsByReference(references: string[]): ListQuery {
  return { display: ['id', 'id_product', 'reference'], filter: { reference: filterIn(references) } };
}

export interface StockRowRef { id: string; id_product_attribute: string; quantity: string }

/** Which stock row a reference's quantity goes to. A product with combinations has its stock per
 *  combination, and its own row is their sum, recomputed by PrestaShop (LESSONS D2, D4): writing it would be
 *  overwritten, so such a reference is refused with what to send instead. */
export function pickStockRow(reference: string, rows: StockRowRef[], combinationId?: string): StockRowRef | { reject: string } {
  if (combinationId !== undefined) {
    return rows.find((r) => r.id_product_attribute === combinationId)
      ?? { reject: `la déclinaison ${reference} n'a pas de ligne de stock dans la boutique` };
  }
  if (rows.some((r) => r.id_product_attribute !== '0')) {
    return { reject: `l'article ${reference} a des déclinaisons dans la boutique : son stock se met à jour déclinaison par déclinaison (référence de chaque déclinaison)` };
  }
  return rows.find((r) => r.id_product_attribute === '0') ?? { reject: `l'article ${reference} n'a pas de ligne de stock dans la boutique` };
}

/** Only the quantity: PATCH keeps every other field (out_of_stock, location…) as the shop has it. */
export function stockChange(quantity: number): { quantity: string } {
  return { quantity: String(quantity) };
}
