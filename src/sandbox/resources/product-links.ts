// What a product shows of the rows linked to it. The real shop reads these on every GET
// (getWsStockAvailables, getWsCombinations, getWsProductOptionValues, getWsDefaultCombination); the sandbox
// keeps them on the product row and refreshes them when a linked row changes.
import type { Row, Store } from '../store.ts';

const byId = (a: Row, b: Row): number => Number(a.id) - Number(b.id);

export function combinationsOf(store: Store, idProduct: string): Row[] {
  return (store.lookup('combinations', 'id_product', [idProduct]) ?? []).sort(byId);
}

/**
 * Product::getDefaultAttribute: the combination flagged default_on, else the first one, else 0.
 * `withDefaults` also runs Product::updateDefaultAttribute (cache_default_attribute), which Combination
 * add/update/delete call; a product PUT resets cache_default_attribute like any other field.
 */
export function refreshProductLinks(store: Store, idProduct: string, withDefaults = false): void {
  const product = store.get('products', Number(idProduct));
  if (!product) return;
  const assoc = (product.associations ??= {});
  assoc.stock_availables = (store.lookup('stock_availables', 'id_product', [idProduct]) ?? []).sort(byId)
    .map((s) => ({ id: s.id, id_product_attribute: String(s.id_product_attribute ?? '0') }));
  const combinations = combinationsOf(store, idProduct);
  assoc.combinations = combinations.map((c) => ({ id: c.id }));
  const values = new Set<number>();
  for (const c of combinations) for (const v of c.associations?.product_option_values ?? []) values.add(Number(v.id));
  assoc.product_option_values = [...values].sort((a, b) => a - b).map((id) => ({ id: String(id) }));
  const defaultCombination = combinations.find((c) => c.default_on === '1') ?? combinations[0];
  product.id_default_combination = defaultCombination?.id ?? '0';
  if (withDefaults) product.cache_default_attribute = defaultCombination?.id ?? '0';
  store.save('products', product);
}
