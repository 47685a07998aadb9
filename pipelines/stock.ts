// Stock — hourly. ERP stock export (one line per article and warehouse) → stock_availables.quantity.
//   source:    drop/stock/ or a file named per the ERP profile (Sage: AR_Ref;DE_No;AS_QteSto;AS_QteRes)
//   parse:     delimited text or xlsx, in the profile's encoding
//   transform: row → StockLine (reference, warehouse, real, reserved)      transforms/stock
//   combine:   sum of the configured warehouses per reference, available or real, minus the units of web
//              orders exported but not yet acknowledged by the ERP, negative → 0
//   identity:  reference → a product's stock row, else a combination's (50 references per look-up)
//   load:      one PATCH of the stock row, only when the value changed
//   multistore: with shop.shops, one row per shop keeping its own stock and one per group sharing it, each
//              listed and written in its shop's context                     pipelines/steps/stock-shops.ts
//   resources: products, combinations (read), stock_availables (read, write); shops, shop_groups with shop.shops
import { RecordRejected, ShopObjectGone } from '../src/errors.ts';
import { findByField, isFilterable, pickOne } from '../src/runner/find-by-field.ts';
import type { FileContext, FilePipeline, Found, IdentityResolver, Keyed, LoadOutcome, Transformed } from '../src/pipeline.ts';
import { ShopRejected } from '../src/prestashop/errors.ts';
import { Outbox } from '../src/state/outbox.ts';
import { stockFlow, readFlowBatches } from '../src/erp/read-flow.ts';
import type { Row } from '../src/parse/row.ts';
import { toStockLine, StockAccumulator, isStockLineReject, type StockLine, type StockRecord } from '../transforms/stock/lines.ts';
import { pickStockRow, productsStockRows, stockChange, type StockRowRef } from '../transforms/prestashop/stock.ts';
import { poolsKey, poolsOf, pushToPools, rememberedRows, spreadOverPools, type PoolRow } from './steps/stock-shops.ts';

/** The stock row a reference's quantity goes to; `quantity` only when just read from the shop. In multistore,
 *  `rows`: its row in each stock pool of shop.shops (`pools` names them). */
export interface StockTarget { id: string; product: string; combination?: string; quantity?: string; rows?: PoolRow[]; pools?: string }

/** `pools`: the stock pools of shop.shops, part of the desired state (a shop added makes every row due). */
type ShopsStockRecord = StockRecord & { pools?: string };

export const stock: FilePipeline<Row, StockLine, ShopsStockRecord, StockTarget> = {
  kind: 'file',
  name: 'stock',
  title: 'Stock',
  schedule: 'hourly',
  resources: ['products', 'combinations', 'stock_availables'],
  writes: ['stock_availables'],
  dependsOn: ['products'],

  parse: (file, ctx) => readFlowBatches(file, stockFlow(ctx.profile), ctx),

  transform(row, ctx): Transformed<StockLine> {
    const t = toStockLine(row, stockFlow(ctx.profile));
    if ('reject' in t) return { line: row.line, ...(t.key !== undefined ? { key: t.key } : {}), reject: t.reject };
    return { line: t.line, key: t.reference, record: t };
  },

  async *combine(batches, ctx) {
    const acc = new StockAccumulator(ctx.config.stock);
    for await (const batch of batches) for (const l of batch) acc.add(l.record);
    if (acc.ignoredLines > 0) ctx.warn(`${acc.ignoredLines} ligne(s) d'entrepôts non suivis ignorée(s) (stock.warehouses)`);
    if (acc.clampedToZero > 0) ctx.warn(`${acc.clampedToZero} article(s) en stock négatif : quantité ramenée à 0`);
    if (acc.repeatedLines.length > 0) ctx.warn(`${acc.repeatedLines.length} ligne(s) répétant à l'identique une ligne précédente (même référence, même entrepôt) : comptée(s) une fois`);
    const reserved = webOrdersNotYetInErp(ctx);
    const pools = await poolsOf(ctx);
    const inPools = pools ? { pools: poolsKey(pools) } : {};
    const out: Array<Transformed<ShopsStockRecord>> = [];
    for (const r of acc.results()) {
      if (isStockLineReject(r)) {
        out.push(r);
        continue;
      }
      // Units of web orders exported but not yet counted by the ERP's export would be sold twice (issue #3).
      const held = reserved.get(r.reference) ?? 0;
      out.push({ line: r.line, key: r.reference, record: { ...(held > 0 ? { ...r, quantity: Math.max(0, r.quantity - held) } : r), ...inPools } });
      if (out.length >= 2048) yield out.splice(0);
    }
    yield out;
  },

  entity: 'stock',
  desired: ({ record }) => (record.pools === undefined ? { quantity: record.quantity } : { quantity: record.quantity, pools: record.pools }),
  // the JSON of desired(): a whole number prints the same through a template as through JSON.stringify
  desiredJson: ({ record }) => (record.pools === undefined ? `{"quantity":${record.quantity}}` : `{"quantity":${record.quantity},"pools":${JSON.stringify(record.pools)}}`),
  // one record per reference (StockAccumulator), contradictions rejected there
  combineYieldsKeysOnce: true,
  identity: {
    find: async (keys, ctx) => {
      const found = await findStockRows(keys, ctx);
      const pools = await poolsOf(ctx);
      return pools ? spreadOverPools(found, pools, ctx) : found;
    },
    remembered: (id, data) => ({ id, product: String(data.product ?? ''), ...(data.combination !== undefined ? { combination: String(data.combination) } : {}), ...rememberedRows(data) }),
  } satisfies IdentityResolver<StockTarget>,

  load: async (rec, ctx, step) => {
    const pools = await poolsOf(ctx);
    if (pools) return pushToPools(rec.key, rec.record.quantity, step.target, pools, ctx, step.fresh, step.afterCrash);
    return pushQuantity(rec, ctx, step.target, step.fresh, step.afterCrash);
  },
};

function webOrdersNotYetInErp(ctx: FileContext): Map<string, number> {
  const outbox = new Outbox(ctx.state);
  const { ackDelayHours } = ctx.config.orders;
  if (!ctx.dryRun) {
    for (const r of outbox.expireAcknowledgements(ackDelayHours)) {
      ctx.warn(`commande ${r.reference} (id ${r.id_order}) tenue pour prise en compte par l’ERP après ${ackDelayHours} h sans accusé : ses quantités ne sont plus déduites`);
    }
  }
  return outbox.reservedByReference();
}

async function pushQuantity({ key, record }: Keyed<StockRecord>, ctx: FileContext, row: StockTarget | undefined, fresh: boolean, afterCrash: boolean): Promise<LoadOutcome> {
  if (!row) throw new RecordRejected(`référence inconnue dans la boutique : ${key}`, key);
  const quantity = record.quantity;
  let current = fresh ? row.quantity : undefined;
  // After a crash the write may already be in the shop: read before writing again.
  if (afterCrash && current === undefined) {
    const now = await ctx.shop.get('stock_availables', row.id);
    if (!now) throw new ShopObjectGone('stock_availables', row.id);
    current = String(now.quantity ?? '');
  }
  if (current !== undefined && current !== '' && Number(current) === quantity) return 'unchanged';
  try {
    await ctx.shop.apply('stock_availables', row.id, stockChange(quantity));
  } catch (err) {
    if (err instanceof ShopRejected && err.status === 404) throw new ShopObjectGone('stock_availables', row.id);
    throw err;
  }
  return 'updated';
}

/** References → stock rows: as a product's reference, else as a combination's; then the rows of those
 *  products, all in batched look-ups. */
async function findStockRows(keys: string[], ctx: FileContext): Promise<Map<string, Found<StockTarget>>> {
  const out = new Map<string, Found<StockTarget>>();
  const targets = new Map<string, { product: string; combination?: string }>();
  for (const k of keys) if (!isFilterable(k)) out.set(k, { reject: `référence impossible à rechercher dans PrestaShop (caractère | [ ou ]) : ${k}` });
  const products = await findByField(ctx.shop, 'products', 'reference', keys, ['reference']);
  const missing: string[] = [];
  for (const k of keys) {
    if (out.has(k)) continue;
    const p = pickOne(k, 'reference', products.get(k) ?? [], 'produits');
    if (p === undefined) missing.push(k);
    else if ('reject' in p) out.set(k, p);
    else targets.set(k, { product: String(p.record.id) });
  }
  if (missing.length > 0) {
    const combinations = await findByField(ctx.shop, 'combinations', 'reference', missing, ['id_product', 'reference']);
    for (const k of missing) {
      const c = pickOne(k, 'reference', combinations.get(k) ?? [], 'déclinaisons');
      if (c === undefined) out.set(k, { reject: `référence inconnue dans la boutique : ${k}` });
      else if ('reject' in c) out.set(k, c);
      else targets.set(k, { product: String(c.record.id_product), combination: String(c.record.id) });
    }
  }
  const productIds = [...new Set([...targets.values()].map((t) => t.product))];
  const rows = new Map<string, StockRowRef[]>();
  for (let i = 0; i < productIds.length; i += 50) {
    for (const r of await ctx.shop.list('stock_availables', productsStockRows(productIds.slice(i, i + 50)))) {
      const ref = { id: String(r.id), id_product_attribute: String(r.id_product_attribute ?? '0'), quantity: String(r.quantity ?? '') };
      rows.set(String(r.id_product), [...(rows.get(String(r.id_product)) ?? []), ref]);
    }
  }
  for (const [k, t] of targets) {
    const row = pickStockRow(k, rows.get(t.product) ?? [], t.combination);
    if ('reject' in row) out.set(k, row);
    else out.set(k, { target: { id: row.id, product: t.product, ...(t.combination ? { combination: t.combination } : {}), quantity: row.quantity }, shopId: row.id, data: { product: t.product, ...(t.combination ? { combination: t.combination } : {}) } });
  }
  return out;
}
