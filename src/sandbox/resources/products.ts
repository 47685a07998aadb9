// Products: what Product's webservice write computes (transcripts 023-048, 145-148).
import type { ShopState } from '../state.ts';
import { CATEGORY_LINKS, type LangValue, type Row, type Store } from '../store.ts';
import type { ResourceHooks, WriteCtx } from '../write.ts';
import { phpWarning } from '../ws-error.ts';
import { linkRewrite } from '../link-rewrite.ts';
import { createStockRow } from './stock.ts';
import { combinationsOf, refreshProductLinks } from './product-links.ts';

const LINK_REWRITE = /^[_a-zA-Z0-9-]+$/;

/**
 * modifierWsLinkRewrite, run on POST only (PUT does not regenerate it, transcript 038): for every language
 * the body gives a name in, an empty link_rewrite is made from the name (036) and an invalid one is
 * sanitised (WEBSERVICE.md §6.1: "bad rewrite é" stored as "bad-rewrite-e"). On PUT/PATCH an invalid
 * link_rewrite is refused by validation (84).
 */
export function fillLinkRewrite(ctx: WriteCtx): void {
  if (ctx.method !== 'POST') return;
  const sentName = ctx.entity.fields.get('name');
  if (!sentName || typeof sentName === 'string') return;
  const name = (ctx.row.name ?? {}) as LangValue;
  const lr = { ...((ctx.row.link_rewrite ?? {}) as LangValue) };
  for (const l of Object.keys(sentName)) {
    const current = lr[l] ?? '';
    if (current === '') lr[l] = linkRewrite(name[l] ?? '');
    else if (!LINK_REWRITE.test(current)) lr[l] = linkRewrite(current);
  }
  ctx.row.link_rewrite = lr;
}

/** A <name> missing, or sent as text without <language>, makes modifierWsLinkRewrite loop over a string:
 *  PHP warning, 500 (transcripts 009, 044). */
export const missingNameWarning = (file: string, line: number) => (ctx: WriteCtx) =>
  ctx.method === 'POST' && typeof ctx.entity.fields.get('name') !== 'object'
    ? [phpWarning('foreach() argument must be of type array|object, string given', file, line)] : [];

/** getWsPositionInCategory: the product's place in its default category, empty when it is not in it (032, 145). */
function positionInCategory(store: Store, row: Row, old: Row | undefined): string {
  const cat = String(row.id_category_default ?? '');
  const inCategory = (p: Row | undefined): boolean => p?.associations?.categories?.some((c) => c.id === cat) ?? false;
  if (cat === '' || cat === '0' || !inCategory(row)) return '';
  if (old && inCategory(old) && String(old.id_category_default) === cat && old.position_in_category) return String(old.position_in_category);
  return String(store.countIndexed('products', CATEGORY_LINKS, cat, row.id) + 1);
}

/** PHP's (string) of a float: 14 significant digits (the `precision` setting). */
const phpFloat = (n: number): string => String(Number(n.toPrecision(14)));

/** The product class computes unit_price_ratio = price / unit_price when it loads a product with a unit price
 *  ("0.25" on GET 025, not "0.250000"); without one the column's value shows (033: "0.000000"). */
export function unitPriceRatio(row: Row): string | undefined {
  const unit = Number(row.unit_price ?? 0);
  return unit > 0 ? phpFloat(Number(row.price ?? 0) / unit) : undefined;
}

/** Product::delete also removes its combinations, stock rows, specific prices and images. */
function deleteProduct(state: ShopState, id: number): boolean {
  const { store } = state;
  const key = String(id);
  for (const c of combinationsOf(store, key)) store.delete('combinations', Number(c.id));
  for (const s of store.lookup('stock_availables', 'id_product', [key]) ?? []) store.delete('stock_availables', Number(s.id));
  for (const sp of store.lookup('specific_prices', 'id_product', [key]) ?? []) store.delete('specific_prices', Number(sp.id));
  for (const img of store.lookup('images', 'id_product', [key]) ?? []) { store.delete('images', Number(img.id)); state.imageFiles.delete(Number(img.id)); }
  return store.delete('products', id);
}

export function productHooks(state: ShopState): ResourceHooks {
  return {
    // Values the class computes and the POST echo shows although they were not sent (023 vs 145). state and
    // product_type are NOT among them: left out, they are stored as 0 (a draft, hidden from the back office
    // lists) and '' (145/147, 033).
    computed: ['id_shop_default', 'position_in_category', 'unit_price_ratio', 'type', 'condition', 'visibility', 'link_rewrite', 'id_default_combination'],
    // stock_availables, combinations and product_option_values are read-only views of other rows.
    writableAssociations: ['categories', 'product_features', 'tags', 'attachments', 'accessories', 'product_bundle'],
    warnings(ctx) {
      const w = missingNameWarning('classes/Product.php', 8100)(ctx);
      if (ctx.entity.fields.has('position_in_category')) w.push(phpWarning('Trying to access array offset on value of type null', 'classes/Product.php', 7273));
      return w;
    },
    prepare(ctx) {
      fillLinkRewrite(ctx);
      const r = ctx.row;
      r.id_shop_default = '1';
      r.type = r.is_virtual === '1' ? 'virtual' : r.cache_is_pack === '1' ? 'pack' : 'simple';
      // Getters: what the body says is ignored (WEBSERVICE.md §5 "changing them has no effect").
      r.id_default_image = ctx.old?.id_default_image ?? '';
      r.id_default_combination = ctx.old?.id_default_combination ?? '0';
      // a POST without unit_price echoes it empty (145), an update stores 0 (032); see unitPriceRatio.
      r.unit_price_ratio = unitPriceRatio(r) ?? (ctx.method === 'POST' ? '' : '0');
      r.quantity = '0'; // the product's own quantity is not the stock (transcript 056)
      // A POST without associations/categories leaves the product in no category, whatever id_category_default
      // says (145/147): it then shows in no category page and has no position_in_category.
      r.position_in_category = positionInCategory(ctx.store, r, ctx.old);
    },
    afterSave(ctx) {
      if (ctx.method === 'POST') createStockRow(ctx.store, ctx.row.id, 0);
      else refreshProductLinks(ctx.store, ctx.row.id);
    },
    delete: (id) => deleteProduct(state, id),
  };
}
