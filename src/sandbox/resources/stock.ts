// stock_availables: rows are made by Product::add and Combination::add, never through the webservice
// (POST/DELETE answer 405/101, transcripts 053/054).
import type { Row, Store } from '../store.ts';
import type { ResourceHooks } from '../write.ts';
import { WsError } from '../ws-error.ts';
import { refreshProductLinks } from './product-links.ts';
import { samePool, stockPools } from '../multistore.ts';

/** The row StockAvailable::setProductOutOfStock inserts; out_of_stock 2 = the shop's default (049). One per
 *  stock pool in multistore (a shop, or a group sharing its stock: multistore.ts); returns the first. */
export function createStockRow(store: Store, idProduct: string, quantity: number, idProductAttribute = '0', outOfStock = '2'): Row {
  const rows = stockPools(store).map((pool) => store.insert('stock_availables', {
    id_product: idProduct, id_product_attribute: idProductAttribute, ...pool,
    quantity: String(quantity), depends_on_stock: '0', out_of_stock: outOfStock, location: '',
  }));
  refreshProductLinks(store, idProduct);
  return rows[0]!;
}

/** The product's own row (id_product_attribute 0). */
export function ownStockRow(store: Store, idProduct: string): Row | undefined {
  return (store.lookup('stock_availables', 'id_product', [idProduct]) ?? []).find((r) => String(r.id_product_attribute) === '0');
}

export const stockHooks: ResourceHooks = {
  beforeSave(ctx) {
    // StockAvailable::updateWs refuses a row that depends on physical stock (advanced stock management).
    if (ctx.method !== 'POST' && ctx.row.depends_on_stock === '1') {
      throw new WsError(500, [{ code: 133, message: 'You cannot update the available stock when it depends on stock.' }]);
    }
  },
  /** StockAvailable::postSave(): a combination's quantity changed, so the product's own row becomes the sum
   *  of its combinations' rows (no advanced stock management). */
  afterSave(ctx) {
    if (String(ctx.row.id_product_attribute ?? '0') === '0') return;
    const rows = (ctx.store.lookup('stock_availables', 'id_product', [String(ctx.row.id_product)]) ?? []).filter((r) => samePool(r, ctx.row));
    const total = rows.filter((r) => String(r.id_product_attribute) !== '0').reduce((sum, r) => sum + Number(r.quantity ?? 0), 0);
    const own = rows.find((r) => String(r.id_product_attribute) === '0');
    if (own) ctx.store.save('stock_availables', { ...own, quantity: String(total) });
  },
};
