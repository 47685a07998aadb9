// Stock — hourly. ERP stock export (one line per article and warehouse) → stock_availables.quantity.
//   source:    drop/stock/ or a file named per the ERP profile (Sage: AR_Ref;DE_No;AS_QteSto;AS_QteRes)
//   parse:     delimited text or xlsx, in the profile's encoding
//   transform: row → StockLine (reference, warehouse, real, reserved)      transforms/stock
//   combine:   sum of the configured warehouses per reference, available or real, minus the units of web
//              orders exported but not yet acknowledged by the ERP, negative → 0
//   load:      one PATCH of the product's stock row, only when the value changed
//   resources: products, combinations (read), stock_availables (read, write)
import { applyOnce } from '../src/runner/apply-once.ts';
import { createBatcher, type Batcher } from '../src/runner/batcher.ts';
import type { FileContext, FilePipeline, Keyed, LoadOutcome, Transformed } from '../src/pipeline.ts';
import type { ShopClient } from '../src/prestashop/client.ts';
import type { ListQuery } from '../src/prestashop/query.ts';
import { RecordRejected } from '../src/errors.ts';
import { ShopRejected } from '../src/prestashop/errors.ts';
import { Outbox } from '../src/state/outbox.ts';
import { stockFlow, readFlowRows } from '../src/erp/read-flow.ts';
import type { Row } from '../src/parse/row.ts';
import { toStockLine, StockAccumulator, type StockLine, type StockRecord } from '../transforms/stock/lines.ts';
import { combinationsByReference, isFilterable, pickProduct, pickStockRow, productsByReference, productsStockRows, stockChange, type StockRowRef } from '../transforms/prestashop/stock.ts';

const ENTITY = 'stock';

export const stock: FilePipeline<Row, StockLine, StockRecord> = {
  kind: 'file',
  name: 'stock',
  title: 'Stock',
  schedule: 'hourly',
  resources: ['products', 'combinations', 'stock_availables'],
  writes: ['stock_availables'],
  dependsOn: ['products'],

  parse: (file, ctx) => readFlowRows(file, stockFlow(ctx.profile), ctx),

  transform(row, ctx): Transformed<StockLine> {
    const t = toStockLine(row, stockFlow(ctx.profile));
    if ('reject' in t) return { line: row.line, ...(t.key !== undefined ? { key: t.key } : {}), reject: t.reject };
    return { line: t.line, key: t.reference, record: t };
  },

  async *combine(lines, ctx) {
    const acc = new StockAccumulator(ctx.config.stock);
    for await (const l of lines) acc.add(l.record);
    if (acc.ignoredLines > 0) ctx.warn(`${acc.ignoredLines} ligne(s) d'entrepôts non suivis ignorée(s) (stock.warehouses)`);
    if (acc.clampedToZero > 0) ctx.warn(`${acc.clampedToZero} article(s) en stock négatif : quantité ramenée à 0`);
    const reserved = webOrdersNotYetInErp(ctx);
    for (const rec of acc.records()) {
      // Units of web orders exported but not yet counted by the ERP's export would be sold twice (issue #3).
      const held = reserved.get(rec.reference) ?? 0;
      yield { line: rec.line, key: rec.reference, record: held > 0 ? { ...rec, quantity: Math.max(0, rec.quantity - held) } : rec };
    }
  },

  load: (rec, ctx) => pushQuantity(rec, ctx),
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

async function pushQuantity({ key, record }: Keyed<StockRecord>, ctx: FileContext): Promise<LoadOutcome> {
  const quantity = record.quantity;
  return applyOnce(ctx, {
    entity: ENTITY,
    key,
    desired: { quantity },
    async write(afterCrash) {
      const row = await stockRow(key, ctx);
      // After a crash the write may already be in the shop: read before writing again.
      if (afterCrash && !row.fresh) row.quantity = String((await ctx.shop.get('stock_availables', row.id))?.quantity ?? '');
      // First sight of the reference (its quantity was read with the look-up) or after a crash: skip an equal write.
      if (row.quantity !== undefined && row.quantity !== '' && Number(row.quantity) === quantity) return 'unchanged';
      try {
        await ctx.shop.update('stock_availables', row.id, stockChange(quantity));
      } catch (err) {
        if (row.fresh || !(err instanceof ShopRejected) || err.status !== 404) throw err;
        // The remembered row was deleted in the back office: look the reference up again, once.
        ctx.state.forget(ENTITY, key);
        const again = await stockRow(key, ctx);
        if (Number(again.quantity) === quantity) return 'unchanged';
        await ctx.shop.update('stock_availables', again.id, stockChange(quantity));
      }
      return 'updated';
    },
  });
}

interface StockRow { id: string; quantity?: string; fresh: boolean }

/** The stock row id, from the identity map or, the first time, looked up by reference in the shop: a
 *  product's reference, else a combination's. */
async function stockRow(reference: string, ctx: FileContext): Promise<StockRow> {
  const known = ctx.state.lookup(ENTITY, reference);
  if (known) return { id: known.shopId, fresh: false };
  if (!isFilterable(reference)) throw new RecordRejected(`référence impossible à rechercher dans PrestaShop (caractère | [ ou ]) : ${reference}`, reference);
  const l = lookupsFor(ctx.shop);
  let target: { product: string; combination?: string };
  const products = (await l.products.get(reference)) ?? [];
  const product = pickProduct(reference, products);
  if ('id' in product) target = { product: product.id };
  else if (products.length > 0) throw new RecordRejected(product.reject, reference);
  else {
    const combination = pickProduct(reference, (await l.combinations.get(reference)) ?? []);
    if (!('id' in combination)) throw new RecordRejected(product.reject, reference);
    target = { product: combination.product!, combination: combination.id };
  }
  const row = pickStockRow(reference, (await l.stockRows.get(target.product)) ?? [], target.combination);
  if ('reject' in row) throw new RecordRejected(row.reject, reference);
  if (!ctx.dryRun) ctx.state.remember(ENTITY, reference, row.id, target);
  return { id: row.id, quantity: row.quantity, fresh: true };
}

type Candidates = Array<{ id: string; reference: string; product?: string }>;
interface Lookups { products: Batcher<string, Candidates>; combinations: Batcher<string, Candidates>; stockRows: Batcher<string, StockRowRef[]> }
const lookups = new WeakMap<ShopClient, Lookups>();

/** References looked up 50 at a time; the shop matches case-insensitively, so a candidate is given to
 *  every reference it may stand for and pickProduct decides. */
function byReference(shop: ShopClient, resource: string, query: (refs: string[]) => ListQuery): Batcher<string, Candidates> {
  return createBatcher<string, Candidates>(async (refs) => {
    const byLower = new Map<string, string[]>();
    for (const r of refs) byLower.set(r.toLowerCase(), [...(byLower.get(r.toLowerCase()) ?? []), r]);
    const found = new Map<string, Candidates>();
    for (const rec of await shop.list(resource, query(refs))) {
      const c = { id: String(rec.id), reference: String(rec.reference ?? ''), ...(rec.id_product !== undefined ? { product: String(rec.id_product) } : {}) };
      for (const r of byLower.get(c.reference.toLowerCase()) ?? []) found.set(r, [...(found.get(r) ?? []), c]);
    }
    return found;
  });
}

function lookupsFor(shop: ShopClient): Lookups {
  let l = lookups.get(shop);
  if (!l) {
    l = {
      products: byReference(shop, 'products', productsByReference),
      combinations: byReference(shop, 'combinations', combinationsByReference),
      stockRows: createBatcher<string, StockRowRef[]>(async (productIds) => {
        const found = new Map<string, StockRowRef[]>();
        for (const row of await shop.list('stock_availables', productsStockRows(productIds))) {
          const r = { id: String(row.id), id_product_attribute: String(row.id_product_attribute ?? '0'), quantity: String(row.quantity ?? '') };
          found.set(String(row.id_product), [...(found.get(String(row.id_product)) ?? []), r]);
        }
        return found;
      }),
    };
    lookups.set(shop, l);
  }
  return l;
}
