// Products, categories and stock: what the PrestaShop classes compute on write.
import type { ResourceHooks, WriteCtx } from '../write.ts';
import type { LangValue, Row, Store } from '../store.ts';
import { phpWarning } from '../ws-error.ts';

/** Tools::link_rewrite: lower case, accents stripped, non-alphanumerics to '-'. */
export function linkRewrite(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

function fillLinkRewrite(ctx: WriteCtx): void {
  // modifierWsLinkRewrite runs on POST only: PUT does not regenerate it (transcript 038).
  if (ctx.method !== 'POST') return;
  const name = (ctx.row.name ?? {}) as LangValue;
  const lr = { ...((ctx.row.link_rewrite ?? {}) as LangValue) };
  for (const [l, n] of Object.entries(name)) {
    if (n !== '' && (lr[l] ?? '') === '') lr[l] = linkRewrite(n);
  }
  ctx.row.link_rewrite = lr;
}

/** A <name> element missing entirely makes the class loop over a string: PHP warning, 500 (009, 044). */
const missingNameWarning = (file: string, line: number) => (ctx: WriteCtx) =>
  ctx.method === 'POST' && !ctx.entity.fields.has('name') ? [phpWarning('foreach() argument must be of type array|object, string given', file, line)] : [];

export function createStockRow(store: Store, idProduct: string, quantity: number, idProductAttribute = '0'): Row {
  const stock = store.insert('stock_availables', {
    id_product: idProduct, id_product_attribute: idProductAttribute, id_shop: '1', id_shop_group: '0',
    quantity: String(quantity), depends_on_stock: '0', out_of_stock: '2', location: '',
  });
  const product = store.get('products', Number(idProduct));
  if (product) {
    const assoc = (product.associations ??= {});
    assoc.stock_availables = [...(idProductAttribute === '0' ? [] : assoc.stock_availables ?? []), { id: stock.id, id_product_attribute: idProductAttribute }];
    if (idProductAttribute !== '0') assoc.combinations = [...(assoc.combinations ?? []), { id: idProductAttribute }];
  }
  return stock;
}

/** Combination::add() creates the combination's own stock row (id_product_attribute = its id). */
export const combinationHooks: ResourceHooks = {
  afterSave(ctx) {
    if (ctx.method === 'POST') createStockRow(ctx.store, String(ctx.row.id_product ?? '0'), 0, String(ctx.row.id));
  },
};

/** StockAvailable::postSave(): a combination's quantity changed, so the product's own row becomes the sum
 *  of its combinations' rows (no advanced stock management). */
export const stockHooks: ResourceHooks = {
  afterSave(ctx) {
    if (String(ctx.row.id_product_attribute ?? '0') === '0') return;
    const rows = ctx.store.lookup('stock_availables', 'id_product', [String(ctx.row.id_product)]) ?? [];
    const total = rows.filter((r) => String(r.id_product_attribute) !== '0').reduce((sum, r) => sum + Number(r.quantity ?? 0), 0);
    const own = rows.find((r) => String(r.id_product_attribute) === '0');
    if (own) ctx.store.save('stock_availables', { ...own, quantity: String(total) });
  },
};

export const productHooks: ResourceHooks = {
  computed: ['id_shop_default', 'position_in_category', 'unit_price_ratio', 'type', 'condition', 'visibility', 'link_rewrite', 'product_type', 'state'],
  warnings(ctx) {
    const w = missingNameWarning('classes/Product.php', 8100)(ctx);
    if (ctx.entity.fields.has('position_in_category')) w.push(phpWarning('Trying to access array offset on value of type null', 'classes/Product.php', 7273));
    return w;
  },
  prepare(ctx) {
    fillLinkRewrite(ctx);
    const r = ctx.row;
    r.id_shop_default = '1';
    r.type = 'simple';
    if (!r.condition) r.condition = 'new';
    if (!r.visibility) r.visibility = 'both';
    if (!r.product_type) r.product_type = ctx.method === 'POST' ? 'standard' : '';
    if (!r.state || r.state === '0') r.state = '1';
    r.position_in_category = '1';
    const price = Number(r.price ?? 0);
    const unit = Number(r.unit_price ?? 0);
    r.unit_price_ratio = unit > 0 ? String(Math.round((price / unit) * 1e6) / 1e6) : '0';
    r.quantity = '0'; // the product's own quantity is not the stock (transcript 056)
    const assoc = (r.associations ??= {});
    if (ctx.method === 'POST' && !assoc.categories && typeof r.id_category_default === 'string' && r.id_category_default !== '') {
      assoc.categories = [{ id: r.id_category_default }];
    }
  },
  afterSave(ctx) {
    if (ctx.method === 'POST') createStockRow(ctx.store, ctx.row.id, 0);
  },
};

export const categoryHooks: ResourceHooks = {
  computed: ['id_shop_default', 'level_depth', 'nb_products_recursive', 'link_rewrite'],
  warnings: missingNameWarning('classes/Category.php', 2068),
  prepare(ctx) {
    fillLinkRewrite(ctx);
    const r = ctx.row;
    const parent = ctx.store.get('categories', Number(r.id_parent ?? 0));
    r.level_depth = parent ? String(Number(parent.level_depth ?? 0) + 1) : '0';
    r.nb_products_recursive = '-1';
    r.id_shop_default = '1';
    if (ctx.method === 'POST') {
      const siblings = ctx.store.all('categories').filter((c) => c.id_parent === r.id_parent).length;
      r.position = String(siblings);
    }
  },
};
