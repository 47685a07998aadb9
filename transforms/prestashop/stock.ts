// PrestaShop side of the stock flow, pure: how to find a product and its stock row, and what to send.
// WEBSERVICE.md §6.4: stock lives only in stock_availables (product.quantity is a dead column); rows are
// never created by us (POST is 405); the product's own row has id_product_attribute = 0 (LESSONS D4).
import type { ListQuery } from '../../src/prestashop/query.ts';
import { filterIn } from '../../src/prestashop/query.ts';

/** Every stock row of several products (their own row, id_product_attribute = 0, and one per combination). */
export function productsStockRows(productIds: string[]): ListQuery {
  return {
    display: ['id', 'id_product', 'id_product_attribute', 'quantity'],
    filter: { id_product: filterIn(productIds) },
  };
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
