// The stock flow in multistore (issue 11): with shop.shops, a reference's quantity goes to its stock row in
// every selected shop that keeps its own stock, and once for each shop group that shares its stock (one row
// for the whole group: id_shop 0, id_shop_group G). Each pool's rows are listed and written in the context of
// one of its shops (id_shop=N), as PrestaShop scopes stock_availables by shop (transforms/prestashop/shops.ts).
// The ERP has one stock: every pool gets the same quantity (minus the units of web orders of any shop not yet
// in the ERP). Without shop.shops nothing here runs and the flow is what it was.
import { RecordRejected, ShopObjectGone } from '../../src/errors.ts';
import type { FileContext, Found, LoadOutcome } from '../../src/pipeline.ts';
import { ShopRejected } from '../../src/prestashop/errors.ts';
import { configuredShops } from '../../src/prestashop/shops.ts';
import { pickStockRow, productsStockRows, stockChange, type StockRowRef } from '../../transforms/prestashop/stock.ts';
import { stockPools, type StockPool } from '../../transforms/prestashop/shops.ts';

/** One pool's stock row of a reference: written in the context of shop `shop`. */
export interface PoolRow { id: string; shop: number; quantity?: string }

/** What the stock target needs for multistore: its product (and combination), and its rows per pool. */
export interface MultiShopTarget { id: string; product: string; combination?: string; quantity?: string; rows?: PoolRow[]; pools?: string }

/** The stock pools of shop.shops, or undefined when multistore is off. */
export async function poolsOf(ctx: FileContext): Promise<StockPool[] | undefined> {
  const shops = await configuredShops(ctx.config, ctx.shop);
  return shops ? stockPools(shops) : undefined;
}

/** A stable name of the pools, in the desired state: a shop added to shop.shops makes every reference due. */
export function poolsKey(pools: StockPool[]): string {
  return pools.map((p) => (p.sharedGroup !== undefined ? `g${p.sharedGroup}` : `s${p.contextShop}`)).join(',');
}

/** Replaces each found target by its rows in every pool. A pool where the product has no stock row (it is not
 *  sold in that shop) is left out; a reference with a row in no pool is rejected. */
export async function spreadOverPools<T extends MultiShopTarget>(found: Map<string, Found<T>>, pools: StockPool[], ctx: FileContext): Promise<Map<string, Found<T>>> {
  const targets = [...found].filter((e): e is [string, { target: T; shopId: string }] => 'target' in e[1]);
  const productIds = [...new Set(targets.map(([, f]) => f.target.product))];
  const rowsByPool = new Map<number, Map<string, StockRowRef[]>>();
  for (const pool of pools) {
    const shop = ctx.shop.withShop(pool.contextShop);
    const rows = new Map<string, StockRowRef[]>();
    for (let i = 0; i < productIds.length; i += 50) {
      for (const r of await shop.list('stock_availables', productsStockRows(productIds.slice(i, i + 50)))) {
        const ref = { id: String(r.id), id_product_attribute: String(r.id_product_attribute ?? '0'), quantity: String(r.quantity ?? '') };
        rows.set(String(r.id_product), [...(rows.get(String(r.id_product)) ?? []), ref]);
      }
    }
    rowsByPool.set(pool.contextShop, rows);
  }
  const out = new Map(found);
  const key = poolsKey(pools);
  for (const [k, f] of targets) {
    const t = f.target;
    const rows: PoolRow[] = [];
    let reject: string | undefined;
    for (const pool of pools) {
      const mine = rowsByPool.get(pool.contextShop)?.get(t.product) ?? [];
      if (mine.length === 0) continue;
      const row = pickStockRow(k, mine, t.combination);
      if ('reject' in row) reject ??= row.reject;
      else rows.push({ id: row.id, shop: pool.contextShop, quantity: row.quantity });
    }
    if (reject !== undefined) out.set(k, { reject });
    else if (rows.length === 0) out.set(k, { reject: `l'article ${k} n'a de ligne de stock dans aucune des boutiques de shop.shops` });
    else {
      const data = { product: t.product, ...(t.combination !== undefined ? { combination: t.combination } : {}), rows: rows.map(({ id, shop }) => ({ id, shop })), pools: key };
      out.set(k, { target: { ...t, id: rows[0]!.id, rows, pools: key }, shopId: rows[0]!.id, data });
    }
  }
  return out;
}

/** The rows the identity map remembered (data.rows), if it has them. */
export function rememberedRows(data: Record<string, unknown>): { rows?: PoolRow[]; pools?: string } {
  if (!Array.isArray(data.rows)) return {};
  const rows = (data.rows as Array<{ id?: unknown; shop?: unknown }>).map((r) => ({ id: String(r.id), shop: Number(r.shop) }));
  return { rows, ...(typeof data.pools === 'string' ? { pools: data.pools } : {}) };
}

/** Writes the quantity to each pool's row, in its shop's context, only where it differs. A target remembered
 *  for other pools (shop.shops changed) is found again first. */
export async function pushToPools(key: string, quantity: number, target: MultiShopTarget | undefined, pools: StockPool[], ctx: FileContext, fresh: boolean, afterCrash: boolean): Promise<LoadOutcome> {
  if (!target) throw new RecordRejected(`référence inconnue dans la boutique : ${key}`, key);
  if (!target.rows || target.pools !== poolsKey(pools)) throw new ShopObjectGone('stock_availables', target.id);
  let written = false;
  for (const row of target.rows) {
    const shop = ctx.shop.withShop(row.shop);
    let current = fresh ? row.quantity : undefined;
    if (afterCrash && current === undefined) {
      const now = await shop.get('stock_availables', row.id);
      if (!now) throw new ShopObjectGone('stock_availables', row.id);
      current = String(now.quantity ?? '');
    }
    if (current !== undefined && current !== '' && Number(current) === quantity) continue;
    try {
      await shop.update('stock_availables', row.id, stockChange(quantity));
    } catch (err) {
      if (err instanceof ShopRejected && err.status === 404) throw new ShopObjectGone('stock_availables', row.id);
      throw err;
    }
    written = true;
  }
  return written ? 'updated' : 'unchanged';
}
