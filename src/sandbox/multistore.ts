// Several shops in the sandbox (issue 11): shops, shop groups, and the shop context of a request, as PrestaShop
// 8.x scopes it (classes/webservice/WebserviceRequest.php groupShopExists / shopExists / shopHasRight;
// ObjectModel::getWebserviceObjectList; Order::getWebserviceObjectList; StockAvailable, Shop::$asso_tables).
//
// Followed: `id_group_shop=G` (or `id_shop_group=G`) = every shop of G; `id_shop=N` = shop N; `id_shop=all` =
// every active shop; none = the default shop (here shop 1). An id_shop the key is not associated with answers
// 403 code 132 (the sandbox key is associated with every shop that exists). Lists of `orders` keep the
// context's orders (Shop::addSqlRestriction(SHARE_ORDER): the whole group when it shares orders); lists of
// `stock_availables` keep the rows of the context's shops, or the group's row when the group shares stock
// (id_shop 0, id_shop_group G). A single object read by id is not scoped (setObjects loads it by id alone).
//
// Not followed (the real shop does, the sandbox does not): the `*_shop` association tables — every product,
// carrier, country, currency and category is in every shop; product prices and names are the same in every
// shop (product_shop / product_lang per shop are not kept); a product created through the webservice gets a
// stock row in every stock pool (the real Product::add makes rows for the shops of its context only).
import type { ExtraResource } from './extra-resources.ts';
import type { ShopState } from './state.ts';
import type { Row, Store } from './store.ts';
import { WsError } from './ws-error.ts';

// ShopGroup (classes/shop/ShopGroup.php, 8.x): fields in class definition order.
export const SHOP_GROUPS_RESOURCE: ExtraResource = {
  node: 'shop_group', className: 'ShopGroup',
  fields: [
    ['name', 'string', { required: true, size: 64, validate: 'isGenericName' }], ['color', 'string', { validate: 'isColor' }],
    ['share_customer', 'bool', { validate: 'isBool' }], ['share_order', 'bool', { validate: 'isBool' }],
    ['share_stock', 'bool', { validate: 'isBool' }], ['active', 'bool', { validate: 'isBool' }], ['deleted', 'bool', { validate: 'isBool' }],
  ],
};

export interface SandboxShopSeed { id: number; name: string; group?: number; active?: boolean }
export interface SandboxShopGroupSeed { id: number; name: string; shareStock?: boolean; shareOrder?: boolean; shareCustomer?: boolean }

const DEFAULT_SHOP = '1';

/** Group 1 « Default » (share nothing, as a fresh install) and any shops and groups the seed adds. Call before
 *  products are seeded: their stock rows are made per stock pool. */
export function seedShops(state: ShopState, groups: SandboxShopGroupSeed[] = [], shops: SandboxShopSeed[] = []): void {
  const { store } = state;
  const group = (g: SandboxShopGroupSeed): Row => ({
    id: String(g.id), name: g.name, color: '', share_customer: g.shareCustomer ? '1' : '0', share_order: g.shareOrder ? '1' : '0',
    share_stock: g.shareStock ? '1' : '0', active: '1', deleted: '0', associations: {},
  });
  if (!groups.some((g) => g.id === 1)) store.insert('shop_groups', group({ id: 1, name: 'Default' }));
  for (const g of groups) store.insert('shop_groups', group(g));
  for (const s of shops) {
    if (String(s.id) === DEFAULT_SHOP) throw new Error('sandbox: shop 1 is the default shop, seeded already');
    store.insert('shops', {
      id: String(s.id), id_shop_group: String(s.group ?? 1), id_category: '2', active: s.active === false ? '0' : '1', deleted: '0',
      name: s.name, color: '', theme_name: 'classic', associations: {},
    });
  }
}

function groupOf(store: Store, idShop: string): Row | undefined {
  const shop = store.get('shops', Number(idShop));
  return shop ? store.get('shop_groups', Number(shop.id_shop_group)) : undefined;
}

/** Where a product's stock lives: one row per shop, or one per group that shares its stock. */
export function stockPools(store: Store): Array<{ id_shop: string; id_shop_group: string }> {
  const pools: Array<{ id_shop: string; id_shop_group: string }> = [];
  const sharing = new Set<string>();
  for (const shop of store.all('shops').sort((a, b) => Number(a.id) - Number(b.id))) {
    const g = groupOf(store, shop.id);
    if (g?.share_stock === '1') {
      if (!sharing.has(g.id)) pools.push({ id_shop: '0', id_shop_group: g.id });
      sharing.add(g.id);
    } else pools.push({ id_shop: shop.id, id_shop_group: '0' });
  }
  return pools.length > 0 ? pools : [{ id_shop: DEFAULT_SHOP, id_shop_group: '0' }];
}

/** Whether two stock rows are in the same pool (StockAvailable::addSqlShopRestriction). */
export function samePool(a: Row, b: Row): boolean {
  return String(a.id_shop ?? '') === String(b.id_shop ?? '') && String(a.id_shop_group ?? '') === String(b.id_shop_group ?? '');
}

interface Context { kind: 'shop' | 'group' | 'all'; shops: string[]; group?: string }

/** The shop context of a request; WsError as the shop answers a shop the key may not use. */
export function requestContext(store: Store, query: Record<string, string>): Context {
  const groupParam = query.id_shop_group ?? query.id_group_shop;
  if (groupParam !== undefined && /^\d+$/.test(groupParam)) {
    const shops = store.all('shops').filter((s) => s.id_shop_group === groupParam && s.active === '1').map((s) => s.id);
    if (shops.length === 0) throw new WsError(500, [{ code: 999, message: 'This shop group doesn\'t have shops' }]);
    return { kind: 'group', shops, group: groupParam };
  }
  const idShop = query.id_shop;
  if (idShop === 'all') return { kind: 'all', shops: store.all('shops').filter((s) => s.active === '1').map((s) => s.id) };
  if (idShop !== undefined && /^\d+$/.test(idShop)) {
    if (!store.get('shops', Number(idShop))) throw new WsError(403, [{ code: 132, message: 'No permission for this key on this shop' }]);
    return { kind: 'shop', shops: [String(Number(idShop))] };
  }
  if (idShop !== undefined) throw new WsError(404, [{ code: 999, message: 'This shop id does not exist' }]);
  return { kind: 'shop', shops: [DEFAULT_SHOP] };
}

/** The rows a list shows in the request's shop context; undefined = the resource is not scoped here. */
export function shopScope(store: Store, resource: string, query: Record<string, string>): ((row: Row) => boolean) | undefined {
  const ctx = requestContext(store, query);
  if (resource === 'orders') {
    if (ctx.kind === 'all') return undefined;
    const shop = ctx.shops[0] ?? DEFAULT_SHOP;
    const group = ctx.group ?? (groupOf(store, shop)?.share_order === '1' ? String(store.get('shops', Number(shop))?.id_shop_group) : undefined);
    if (group !== undefined) return (row) => String(row.id_shop_group) === group;
    return (row) => String(row.id_shop) === shop;
  }
  if (resource === 'stock_availables') {
    const groups = new Set(ctx.shops.map((s) => String(store.get('shops', Number(s))?.id_shop_group ?? '')));
    const shops = new Set(ctx.shops);
    return (row) => shops.has(String(row.id_shop)) || (String(row.id_shop) === '0' && groups.has(String(row.id_shop_group)));
  }
  return undefined;
}

/** An order placed in another shop than the default one: the order, its cart and its details say so. */
export function moveOrderToShop(state: ShopState, idOrder: number, idShop: number): void {
  const { store } = state;
  const shop = store.get('shops', idShop);
  if (!shop) throw new Error(`sandbox: unknown shop ${idShop}`);
  const order = store.get('orders', idOrder);
  if (!order) throw new Error(`sandbox: unknown order ${idOrder}`);
  const where = { id_shop: shop.id, id_shop_group: String(shop.id_shop_group) };
  store.save('orders', { ...order, ...where });
  const cart = store.get('carts', Number(order.id_cart));
  if (cart) store.save('carts', { ...cart, ...where });
  for (const d of store.lookup('order_details', 'id_order', [String(idOrder)]) ?? []) store.save('order_details', { ...d, id_shop: shop.id });
}
