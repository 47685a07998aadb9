// PrestaShop side of multistore, pure: the shops and shop groups as the webservice lists them, which shops a
// configuration selects, and where stock lives. A shop group that shares its stock keeps ONE stock row per
// product for all its shops (id_shop 0, id_shop_group G: StockAvailable::addSqlShopParams); otherwise each
// shop has its own row (id_shop N) — the rows the webservice lists in that shop's context
// (ObjectModel::getWebserviceObjectList, stock_available is an `fk_shop` table).
import type { ListQuery } from '../../src/prestashop/query.ts';

export interface ShopInfo {
  id: number;
  name: string;
  group: number;
  groupName: string;
  active: boolean;
  /** Its group shares stock between its shops. */
  shareStock: boolean;
  /** Its group shares orders (a list in one shop's context then shows the whole group's orders). */
  shareOrder: boolean;
}

export const SHOPS_QUERY: ListQuery = { display: ['id', 'id_shop_group', 'name', 'active', 'deleted'] };
export const SHOP_GROUPS_QUERY: ListQuery = { display: ['id', 'name', 'share_order', 'share_stock', 'deleted'] };

type Rec = Record<string, unknown>;

/** The shops that are not deleted, with their group's sharing, by id. */
export function toShops(shops: Rec[], groups: Rec[]): ShopInfo[] {
  const byId = new Map(groups.map((g) => [String(g.id), g]));
  return shops.filter((s) => String(s.deleted ?? '0') !== '1').map((s) => {
    const g = byId.get(String(s.id_shop_group));
    return {
      id: Number(s.id), name: String(s.name ?? ''), group: Number(s.id_shop_group ?? 0), groupName: String(g?.name ?? ''), active: String(s.active ?? '1') === '1',
      shareStock: String(g?.share_stock ?? '0') === '1', shareOrder: String(g?.share_order ?? '0') === '1',
    };
  }).sort((a, b) => a.id - b.id);
}

/** The shops shop.shops names: `all` = the active ones; a list = those, each of which must exist. */
export function selectShops(all: ShopInfo[], setting: 'all' | number[]): { shops: ShopInfo[] } | { problem: string } {
  if (setting === 'all') {
    const active = all.filter((s) => s.active);
    return active.length > 0 ? { shops: active } : { problem: 'shop.shops: « all », mais la boutique ne liste aucune boutique active (ressource shops)' };
  }
  const missing = setting.filter((id) => !all.some((s) => s.id === id));
  if (missing.length > 0) {
    const known = all.map((s) => `${s.id} « ${s.name} »`).join(', ') || 'aucune';
    return { problem: `shop.shops: boutique(s) ${missing.join(', ')} inconnue(s) de PrestaShop (boutiques : ${known})` };
  }
  return { shops: setting.map((id) => all.find((s) => s.id === id)!) };
}

/** Where the stock of the selected shops is written: one pool per shop, or one per group sharing its stock
 *  (written once, in the context of its first selected shop). */
export interface StockPool { contextShop: number; shops: number[]; sharedGroup?: number }

export function stockPools(shops: ShopInfo[]): StockPool[] {
  const pools: StockPool[] = [];
  const byGroup = new Map<number, StockPool>();
  for (const s of shops) {
    if (!s.shareStock) {
      pools.push({ contextShop: s.id, shops: [s.id] });
      continue;
    }
    const pool = byGroup.get(s.group);
    if (pool) pool.shops.push(s.id);
    else {
      const p: StockPool = { contextShop: s.id, shops: [s.id], sharedGroup: s.group };
      byGroup.set(s.group, p);
      pools.push(p);
    }
  }
  return pools;
}

/** « boutiques 1, 2 (stock partagé, groupe 1) », for reports and `check`. */
export function describePool(p: StockPool, shops: ShopInfo[]): string {
  const names = p.shops.map((id) => `${id} « ${shops.find((s) => s.id === id)?.name ?? ''} »`).join(', ');
  return p.sharedGroup !== undefined ? `${names} (stock partagé du groupe ${p.sharedGroup})` : `${names} (stock propre)`;
}

/** `prestasync check`: every shop with its group and whether it shares stock, then what shop.shops makes of them. */
export function describeShops(all: ShopInfo[], selected: ShopInfo[] | undefined): string {
  const shops = all.map((s) => `${s.id} « ${s.name} »${s.active ? '' : ' (inactive)'} — groupe ${s.group} « ${s.groupName} », ${s.shareStock ? 'stock partagé' : 'stock propre'}${s.shareOrder ? ', commandes partagées' : ''}`);
  const list = shops.join(' ; ');
  if (!selected) {
    return all.length > 1
      ? `${list}. shop.shops absent : seules les commandes et le stock de la boutique par défaut sont traités (PrestaShop ne liste que ses commandes)`
      : list;
  }
  const pools = stockPools(selected).map((p) => describePool(p, all)).join(' ; ');
  return `${list}. shop.shops : ${selected.map((s) => s.id).join(', ')} — commandes lues boutique par boutique ; stock écrit pour : ${pools}`;
}
