// Categories (ERP families): Category::add/update/delete at 8.1.2 (commit 601f1327) and transcripts 008-019.
import type { Row, Store } from '../store.ts';
import type { ResourceHooks } from '../write.ts';
import { phpFatal } from '../ws-error.ts';
import { fillLinkRewrite, missingNameWarning } from './products.ts';

const PS_ROOT_CATEGORY = '1';

/** Category::calcLevelDepth: parent's depth + 1, 0 without a parent; a parent that does not exist throws
 *  "Parent category N does not exist", which the webservice does not catch: bare 500, nothing saved. */
function levelDepth(store: Store, idParent: string): string {
  if (idParent === '' || idParent === '0') return '0';
  const parent = store.get('categories', Number(idParent));
  if (!parent) throw phpFatal();
  return String(Number(parent.level_depth ?? 0) + 1);
}

/** Category::recalculateLevelDepth after a move: every descendant follows. */
function recalculateChildren(store: Store, parent: Row): void {
  for (const child of store.all('categories').filter((c) => c.id_parent === parent.id)) {
    child.level_depth = String(Number(parent.level_depth ?? 0) + 1);
    store.save('categories', child);
    recalculateChildren(store, child);
  }
}

/** Category::delete: refused for the root (500/88), else the category and all its descendants go, and
 *  products lose the link (cleanAssoProducts) but keep an id_category_default pointing at nothing. */
function deleteCategory(store: Store, id: number): boolean {
  if (id === 0 || String(id) === PS_ROOT_CATEGORY) return false;
  const doomed = new Set<string>([String(id)]);
  for (let grew = true; grew;) {
    grew = false;
    for (const c of store.all('categories')) if (!doomed.has(c.id) && doomed.has(String(c.id_parent))) { doomed.add(c.id); grew = true; }
  }
  for (const idCat of doomed) store.delete('categories', Number(idCat));
  for (const p of store.all('products')) {
    const cats = p.associations?.categories;
    if (cats?.some((c) => doomed.has(c.id ?? ''))) (p.associations ??= {}).categories = cats.filter((c) => !doomed.has(c.id ?? ''));
  }
  return true;
}

export const categoryHooks = (store: Store): ResourceHooks => ({
  computed: ['id_shop_default', 'level_depth', 'nb_products_recursive', 'link_rewrite'],
  // getChildrenWs / getProductsWs are computed from the other rows; a category cannot set them.
  writableAssociations: [],
  warnings: missingNameWarning('classes/Category.php', 2068),
  prepare(ctx) {
    fillLinkRewrite(ctx);
    const r = ctx.row;
    r.nb_products_recursive = '-1';
    r.id_shop_default = '1';
    if (ctx.method === 'POST') {
      if (r.is_root_category === '1') r.id_parent = PS_ROOT_CATEGORY;
      r.level_depth = levelDepth(ctx.store, String(r.id_parent ?? ''));
      r.position = String(ctx.store.all('categories').filter((c) => c.id_parent === r.id_parent).length);
      return;
    }
    if (String(r.id_parent) === r.id) throw phpFatal(); // "a category cannot be its own parent"
    if (r.is_root_category === '1' && String(r.id_parent) !== PS_ROOT_CATEGORY) r.is_root_category = '0';
    r.level_depth = levelDepth(ctx.store, String(r.id_parent ?? ''));
  },
  afterSave(ctx) {
    if (ctx.method !== 'POST' && ctx.old && ctx.old.level_depth !== ctx.row.level_depth) recalculateChildren(ctx.store, ctx.row);
  },
  delete: (id) => deleteCategory(store, id),
});
