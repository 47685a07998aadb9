// Prices — hourly. ERP tariffs → the shop's specific prices; a price file → the products' base price.
//   source:    a Sage « Format Sage » export (#CACL after its #CART, #CATQ brackets), wherever dropped; a
//              price file of the profile's `prices` flow (CSV or XLSX: base prices, tariff lines; Divalto TAR)
//   parse:     the document's (src/runner/process-document.ts); the profile's price file otherwise
//   transform: a tariff → the PriceSet of one article for one group / customer (transforms/sage/prices.ts);
//              a price file line → a BasePriceLine, or a one-line PriceSet when it names a group or a
//              customer (transforms/prices/base-price.ts)
//   combine:   each set → one record per specific price, key `REF|tarif:3|10` (article, group or customer,
//              from_quantity); product, group and customer ids from the identity map ONLY (`products`,
//              `group`, `customer`: the products and customers flows, contract-9) — an unknown one is a reject
//              of the whole set, whose specific prices then stay as they are. The specific prices the
//              connector created (remembered under `specific_price`) that a set of this file no longer has
//              → deleted; with `prices.fullExport`, also those of the sets absent from the file (never for a
//              file without tariffs; a set that cannot be read deletes nothing). The shop's specific prices
//              of the products to create for are listed then, 50 products per call (the clash check).
//   identity:  only what the connector created: a hand-made specific price is never adopted, changed or
//              deleted; a creation that would collide with one (same product, group / customer, quantity,
//              dates: PrestaShop answers a bare 500) is a reject naming its id
//   load:      POST a new one; a changed one rewritten in place (the client's PATCH on 8.x, GET-merge-PUT on
//              1.7, every field sent — the connector owns them all): one write, the id kept, no moment
//              without the price, which delete + create would cost (two writes, a window at the base price);
//              DELETE a vanished one. A base price: PATCH of the product's `price` alone, and the products
//              identity data (`fields.price`) set to it, so the products flow compares with what the shop holds;
//              with its unit price at the same ratio (PrestaShop would keep the old unit price).
//   resources: specific_prices (read, write), products (write: price)
import { ConfigError, FileFatalError, RecordRejected, ShopObjectGone } from '../src/errors.ts';
import type { FileContext, FilePipeline, Keyed, LoadResult, LoadStep, Rejected, Transformed } from '../src/pipeline.ts';
import { ShopRejected } from '../src/prestashop/errors.ts';
import type { PsRecord } from '../src/prestashop/xml.ts';
import { filterEq, filterIn } from '../src/prestashop/query.ts';
import type { Row } from '../src/parse/row.ts';
import { readFlowBatches } from '../src/erp/read-flow.ts';
import type { ErpProfile, PricesFlowProfile } from '../src/erp/profile.ts';
import type { DocumentRecord } from '../src/runner/process-document.ts';
import { priceFileRow } from '../transforms/prices/base-price.ts';
import { priceKey, setOfPriceKey, type BasePriceLine, type PriceLine, type PriceSet } from '../transforms/prices/types.ts';
import { unitPriceFor } from '../transforms/prestashop/product.ts';
import { holds, sameUniqueKey, specificPriceBody, type SpecificPriceIds } from '../transforms/prestashop/specific-price.ts';
import type { SageTariffRow } from '../transforms/sage/rows.ts';
import { sageTariffToPrices } from '../transforms/sage/prices.ts';

/** What a file line becomes: a tariff's set of prices, or an article's base price. */
export type PriceInput = { set: PriceSet } | { base: BasePriceLine };

export type PriceRecord =
  | { kind: 'specific'; line: PriceLine; ids: SpecificPriceIds }
  /** a specific price the connector created whose tariff no longer has it */
  | { kind: 'gone' }
  | { kind: 'base'; line: BasePriceLine; product: string };

export interface PriceTarget { id: string }

/** Identity map namespaces: this flow's, and those it reads (contract-9, pipelines/products.ts). */
const ENTITY = 'specific_price';
const PRODUCTS = 'products';
const GROUPS = 'group';
const CUSTOMERS = 'customer';

export const prices: FilePipeline<Row, PriceInput, PriceRecord, PriceTarget> = {
  kind: 'file',
  name: 'prices',
  title: 'Tarifs',
  schedule: 'hourly',
  resources: ['specific_prices', 'products'],
  writes: ['specific_prices', 'products'],
  dependsOn: ['products', 'customers'],

  async *parse(file, ctx) {
    yield* readFlowBatches(file, priceFileFlow(ctx.profile), ctx);
  },
  transform: (row, ctx): Transformed<PriceInput> => priceFileRow(row, pricesFlow(ctx.profile)),
  documents: { 'format-sage': sageTariffRecord },

  combine: (batches, ctx) => expand(batches, ctx),

  entity: ENTITY,
  desired: ({ record }) => {
    if (record.kind === 'gone') return { gone: true };
    if (record.kind === 'base') return { product: record.product, price: record.line.priceTaxExcl };
    const { line: l, ids } = record;
    return { ids, price: l.price, reduction: l.reduction, type: l.reductionType, from: l.from, to: l.to };
  },
  identity: {
    // Never adopt a shop object by a look-up: a specific price the identity map does not know is not ours.
    find: () => Promise.resolve(new Map()),
    remembered: (id) => ({ id }),
  },

  load: (rec, ctx, step) => {
    const r = rec.record;
    if (r.kind === 'base') return writeBasePrice(r.line, r.product, ctx);
    if (r.kind === 'gone') return deleteGone(rec.key, ctx, step);
    return writeSpecificPrice(rec as Keyed<Extract<PriceRecord, { kind: 'specific' }>>, ctx, step);
  },
};

function sageTariffRecord(item: DocumentRecord): Transformed<PriceInput> {
  if (item.kind !== 'tarif') return { line: item.line, reject: `enregistrement ${item.kind} : pas un tarif` };
  const t = sageTariffToPrices(item.row as SageTariffRow);
  return 'reject' in t ? t : { ...t, record: { set: t.record } };
}

function pricesFlow(profile: ErpProfile): PricesFlowProfile {
  const flow = profile.flows.prices;
  if (flow === undefined) throw new ConfigError([`erp.flows.prices: le profil ${profile.name} ne décrit pas de fichier de prix (patterns, colonnes…)`]);
  return flow;
}

/** A plain price file for a profile without a price layout is refused alone, not the whole run. */
function priceFileFlow(profile: ErpProfile): PricesFlowProfile {
  try {
    return pricesFlow(profile);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new FileFatalError(`le profil ${profile.name} ne décrit pas de fichier de prix : ajoutez erp.flows.prices (patterns, colonnes reference et price) à la configuration${profile.name === 'sage100' ? ' ; les tarifs Sage viennent du fichier « Format Sage » (#CACL), reconnu où qu\'il soit déposé' : ''}`);
  }
}

async function* expand(batches: AsyncIterable<ReadonlyArray<Keyed<PriceInput>>>, ctx: FileContext): AsyncGenerator<Array<Transformed<PriceRecord>>> {
  /** Sets this file speaks about, readable or not; those it could not read keep their prices. */
  const seen = new Set<string>();
  const unreadable = new Set<string>();
  const present = new Set<string>();
  /** key → product id of each specific price of the file */
  const fileKeys = new Map<string, string>();
  const shop = String(ctx.config.shop.shopId ?? 0);
  for await (const batch of batches) {
    const out: Array<Transformed<PriceRecord>> = [];
    for (const t of batch) {
      const input = t.record;
      if ('base' in input) {
        const product = ctx.state.lookup(PRODUCTS, input.base.reference)?.shopId;
        if (product === undefined) out.push(unknownArticle(t.line, t.key, input.base.reference));
        else out.push({ line: t.line, key: t.key, record: { kind: 'base', line: input.base, product } });
        continue;
      }
      const set = input.set;
      seen.add(t.key);
      for (const r of set.remarks) ctx.warn(r);
      const why = set.problem ?? missing(set, ctx);
      if (typeof why === 'string') {
        unreadable.add(t.key);
        out.push({ line: t.line, key: t.key, reject: why });
        continue;
      }
      if (why === undefined) continue;
      for (const l of set.prices) {
        const key = priceKey(l);
        present.add(key);
        fileKeys.set(key, why.product);
        out.push({ line: t.line, key, record: { kind: 'specific', line: l, ids: { ...why, shop } } });
      }
    }
    if (out.length > 0) yield out;
  }
  const remembered = ctx.state.keysOf(ENTITY);
  const known = new Set(remembered);
  planListing(ctx, new Set([...fileKeys].filter(([key]) => !known.has(key)).map(([, product]) => product)));
  const gone: Array<Transformed<PriceRecord>> = [];
  for (const key of remembered) {
    if (present.has(key)) continue;
    const set = setOfPriceKey(key);
    if (unreadable.has(set)) continue;
    // a file without any tariff (a base price file, a Sage export of customers only) is no full export of them
    if (seen.has(set) || (ctx.config.prices.fullExport && seen.size > 0)) gone.push({ line: 0, key, record: { kind: 'gone' } });
  }
  if (gone.length > 0) yield gone;
}

/** The shop ids of a set, or why it cannot be loaded; undefined: nothing to resolve (an empty set). */
function missing(set: PriceSet, ctx: FileContext): Omit<SpecificPriceIds, 'shop'> | string | undefined {
  if (set.prices.length === 0) return undefined;
  const product = ctx.state.lookup(PRODUCTS, set.reference)?.shopId;
  if (product === undefined) return `article ${set.reference} inconnu de la boutique (rejeté ou absent de ce fichier et des précédents) : ses prix (${set.label}) ne sont pas chargés`;
  if ('group' in set.for) {
    const group = ctx.state.lookup(GROUPS, set.for.group)?.shopId;
    if (group === undefined) return `article ${set.reference}, ${set.label} : aucun groupe de la boutique (importez d'abord les clients)`;
    return { product, group, customer: '0' };
  }
  const customer = ctx.state.lookup(CUSTOMERS, set.for.customer)?.shopId;
  if (customer === undefined) return `article ${set.reference}, ${set.label} : aucun client de la boutique (importez d'abord les clients)`;
  return { product, group: '0', customer };
}

function unknownArticle(line: number, key: string, reference: string): Rejected {
  return { line, key, reject: `article ${reference} inconnu de la boutique (importez d'abord les articles) : son prix n'est pas chargé` };
}

/** The specific prices the shop holds for the products this file creates specific prices for, read once per
 *  file before the first creation for them, 50 products per list call (a first run costs ⌈products / 50⌉
 *  look-ups, not one per product): the clash check. */
interface Listing { batchOf: Map<string, string[]>; reads: Map<string, Promise<Map<string, PsRecord[]>>> }
const listings = new WeakMap<object, Listing>();
const LIST_BATCH = 50;

/** Called by combine once it knows which keys have no specific price yet (those are created). */
function planListing(ctx: FileContext, products: ReadonlySet<string>): void {
  const all = [...products];
  const batchOf = new Map<string, string[]>();
  for (let i = 0; i < all.length; i += LIST_BATCH) {
    const batch = all.slice(i, i + LIST_BATCH);
    for (const p of batch) batchOf.set(p, batch);
  }
  listings.set(ctx.file, { batchOf, reads: new Map() });
}

async function productPrices(ctx: FileContext, product: string): Promise<PsRecord[]> {
  let l = listings.get(ctx.file);
  if (!l) listings.set(ctx.file, (l = { batchOf: new Map(), reads: new Map() }));
  const batch = l.batchOf.get(product) ?? [product];
  const id = batch[0]!;
  let read = l.reads.get(id);
  if (!read) {
    const reads = l.reads;
    read = (async () => {
      const out = new Map<string, PsRecord[]>(batch.map((p) => [p, []]));
      for await (const r of ctx.shop.listAll('specific_prices', { display: 'full', filter: { id_product: filterIn(batch) } })) out.get(String(r.id_product))?.push(r);
      return out;
    })();
    reads.set(id, read);
    read.catch(() => reads.delete(id));
  }
  return (await read).get(product) ?? [];
}

async function writeSpecificPrice({ key, record }: Keyed<Extract<PriceRecord, { kind: 'specific' }>>, ctx: FileContext, step: LoadStep<PriceTarget>): Promise<LoadResult> {
  const body = specificPriceBody(record.line, record.ids);
  if (step.target) {
    const id = step.target.id;
    if (step.afterCrash) {
      const now = await ctx.shop.get('specific_prices', id);
      if (!now) throw new ShopObjectGone('specific_prices', id);
      if (holds(now, body)) return { outcome: 'unchanged', identity: { shopId: id } };
    }
    try {
      await ctx.shop.update('specific_prices', id, body);
    } catch (err) {
      if (err instanceof ShopRejected && err.status === 404) throw new ShopObjectGone('specific_prices', id);
      throw err;
    }
    return { outcome: 'updated', identity: { shopId: id } };
  }
  const before = await productPrices(ctx, record.ids.product);
  const clash = before.find((r) => sameUniqueKey(r, body));
  if (clash) {
    const id = String(clash.id);
    const owner = ctx.state.keysOfShopObject(ENTITY, id)[0];
    // After a kill between the POST and its identity, the row found is the one this key created.
    if (step.afterCrash && owner === undefined) {
      if (holds(clash, body)) return { outcome: 'unchanged', identity: { shopId: id } };
      await ctx.shop.update('specific_prices', id, body);
      return { outcome: 'updated', identity: { shopId: id } };
    }
    const whose = owner === undefined ? 'fait dans la boutique' : `créé par le connecteur pour « ${owner} »`;
    throw new RecordRejected(`${key} : un prix spécifique ${whose} (id ${id}) a déjà le même produit, groupe / client, quantité et dates : laissé tel quel, ce prix n'est pas appliqué (supprimez celui de la boutique pour que le connecteur reprenne ce tarif)`, key);
  }
  const created = await ctx.shop.create('specific_prices', body, {
    lookup: { filter: { id_product: filterEq(body.id_product as string), id_group: filterEq(body.id_group as string), id_customer: filterEq(body.id_customer as string), from_quantity: filterEq(body.from_quantity as string) } },
  });
  // An unknown outcome is resolved by the look-up: a row that was there before the POST is not ours.
  if (before.some((r) => String(r.id) === String(created.id))) {
    throw new RecordRejected(`${key} : la boutique a répondu par un prix spécifique qui existait déjà (id ${String(created.id)}) : laissé tel quel, ce prix n'est pas appliqué`, key);
  }
  return { outcome: 'created', identity: { shopId: String(created.id) } };
}

async function deleteGone(key: string, ctx: FileContext, step: LoadStep<PriceTarget>): Promise<LoadResult> {
  const id = step.target?.id;
  if (id === undefined) return { outcome: 'unchanged' };
  try {
    await ctx.shop.delete('specific_prices', id);
  } catch (err) {
    // deleted in the back office meanwhile: what the ERP asks for already holds
    if (!(err instanceof ShopRejected && err.status === 404)) throw err;
  }
  if (!ctx.dryRun) ctx.state.forget(ENTITY, key);
  ctx.warn(`${key} : prix spécifique id ${id} supprimé (son tarif n'est plus dans l'ERP)`);
  return { outcome: 'updated' };
}

async function writeBasePrice(l: BasePriceLine, product: string, ctx: FileContext): Promise<LoadResult> {
  const known = ctx.state.lookup(PRODUCTS, l.reference);
  const fields = known?.data.fields as Record<string, unknown> | undefined;
  if (fields?.price === l.priceTaxExcl) return { outcome: 'unchanged' };
  const unitPrice = unitPriceFor(l.priceTaxExcl, fields);
  try {
    await ctx.shop.update('products', product, { price: l.priceTaxExcl, ...(unitPrice !== undefined ? { unit_price: unitPrice } : {}) });
  } catch (err) {
    if (err instanceof ShopRejected && err.status === 404) throw new RecordRejected(`article ${l.reference} : le produit ${product} n'existe plus dans la boutique (le flux des articles le recréera)`, l.reference);
    throw err;
  }
  // The products flow diffs against what it last wrote: it must know the shop now holds this price.
  if (known && fields && !ctx.dryRun) ctx.state.remember(PRODUCTS, l.reference, known.shopId, { ...known.data, fields: { ...fields, price: l.priceTaxExcl, ...(unitPrice !== undefined ? { unit_price: unitPrice } : {}) } });
  return { outcome: 'updated' };
}
