// Variants: product_options (AttributeGroup), product_option_values (ProductAttribute) and combinations
// (Combination), from their 8.1.2 classes (commit 601f1327); nothing of this was recorded on the real shop.
import type { Row, Store } from '../store.ts';
import type { ResourceHooks } from '../write.ts';
import { createStockRow, ownStockRow } from './stock.ts';
import { refreshProductLinks } from './product-links.ts';

function optionValuesOf(store: Store, idGroup: string): Row[] {
  return store.all('product_option_values').filter((v) => String(v.id_attribute_group) === idGroup).sort((a, b) => Number(a.id) - Number(b.id));
}

/** Combination::delete: its stock row and specific prices go, then Product::updateDefaultAttribute. The
 *  product's own stock row is NOT recomputed (LESSONS D3: the total drifts from the sum). */
export function deleteCombination(store: Store, id: number): boolean {
  const c = store.get('combinations', id);
  if (!c) return false;
  const idProduct = String(c.id_product ?? '0');
  for (const s of store.lookup('stock_availables', 'id_product', [idProduct]) ?? []) {
    if (String(s.id_product_attribute) === String(id)) store.delete('stock_availables', Number(s.id));
  }
  for (const sp of store.lookup('specific_prices', 'id_product', [idProduct]) ?? []) {
    if (String(sp.id_product_attribute) === String(id)) store.delete('specific_prices', Number(sp.id));
  }
  store.delete('combinations', id);
  refreshProductLinks(store, idProduct, true);
  return true;
}

/** Removes option values from every combination; combinations left without any value are deleted
 *  (AttributeGroup::cleanDeadCombinations / ProductAttribute::delete deleting the combinations using it). */
function dropValuesFromCombinations(store: Store, valueIds: Set<string>): void {
  for (const c of store.all('combinations')) {
    const values = c.associations?.product_option_values ?? [];
    if (!values.some((v) => valueIds.has(v.id ?? ''))) continue;
    const left = values.filter((v) => !valueIds.has(v.id ?? ''));
    if (left.length === 0) { deleteCombination(store, Number(c.id)); continue; }
    (c.associations ??= {}).product_option_values = left;
    store.save('combinations', c);
    refreshProductLinks(store, String(c.id_product), true);
  }
}

/** getHigherPosition() + 1 when position <= 0 (-1 when there is none, so the first one gets 0). */
function nextPosition(rows: Row[]): string {
  return String(rows.reduce((m, r) => Math.max(m, Number(r.position ?? -1)), -1) + 1);
}

export const combinationHooks: ResourceHooks = {
  writableAssociations: ['product_option_values', 'images'],
  afterSave(ctx) {
    const idProduct = String(ctx.row.id_product ?? '0');
    // Combination::add creates the combination's stock row with the product's out_of_stock setting.
    if (ctx.method === 'POST') createStockRow(ctx.store, idProduct, 0, String(ctx.row.id), String(ownStockRow(ctx.store, idProduct)?.out_of_stock ?? '2'));
    if (ctx.old && String(ctx.old.id_product) !== idProduct) refreshProductLinks(ctx.store, String(ctx.old.id_product), true);
    refreshProductLinks(ctx.store, idProduct, true);
  },
};

export const combinationDelete = (store: Store) => (id: number): boolean => deleteCombination(store, id);

export const productOptionHooks = (store: Store): ResourceHooks => ({
  computed: ['is_color_group', 'position'],
  prepare(ctx) {
    ctx.row.is_color_group = ctx.row.group_type === 'color' ? '1' : '0';
    if (ctx.method === 'POST' && Number(ctx.row.position ?? 0) <= 0) ctx.row.position = nextPosition(ctx.store.all('product_options'));
  },
  afterSave(ctx) {
    // setWsProductOptionValues: the values listed move into this group, the group's other values are deleted.
    const sent = ctx.entity.associations.get('product_option_values');
    if (!sent || sent.length === 0) return;
    const ids = new Set(sent.map((v) => v.id ?? ''));
    const dropped = optionValuesOf(ctx.store, ctx.row.id).filter((v) => !ids.has(v.id));
    for (const v of dropped) ctx.store.delete('product_option_values', Number(v.id));
    for (const id of ids) {
      const v = ctx.store.get('product_option_values', Number(id));
      if (v) { v.id_attribute_group = ctx.row.id; ctx.store.save('product_option_values', v); }
    }
  },
  delete(id) {
    const values = optionValuesOf(store, String(id));
    for (const v of values) store.delete('product_option_values', Number(v.id));
    dropValuesFromCombinations(store, new Set(values.map((v) => v.id)));
    return store.delete('product_options', id);
  },
});

export const productOptionValueHooks = (store: Store): ResourceHooks => ({
  computed: ['position'],
  prepare(ctx) {
    if (ctx.method === 'POST' && Number(ctx.row.position ?? 0) <= 0) ctx.row.position = nextPosition(optionValuesOf(ctx.store, String(ctx.row.id_attribute_group ?? '')));
  },
  // ProductAttribute::delete deletes every combination that uses the value.
  delete(id) {
    for (const c of store.all('combinations')) {
      if (c.associations?.product_option_values?.some((v) => v.id === String(id))) deleteCombination(store, Number(c.id));
    }
    return store.delete('product_option_values', id);
  },
});

/** GET: a product option lists its values (getWsProductOptionValues). */
export function decorateProductOption(store: Store, row: Row): Row {
  return { ...row, associations: { ...row.associations, product_option_values: optionValuesOf(store, row.id).map((v) => ({ id: v.id })) } };
}
