// Categories — nightly master data. The ERP's families and sub-families → the shop's category tree under
// `catalog.rootCategory`.
//   source:    a Sage « Format Sage » export (#CCATAL catalogue, else #CFAM families), wherever dropped
//   parse:     the document's (src/runner/process-document.ts); else the profile's family export (EBP:
//              families and sub-families, two files of one flow told apart by their header)
//   transform: record → CategoryLine (key, name per language, parent key, active)   transforms/sage
//   combine:   parents before children whatever the file's order; a loop in the tree rejected; with
//              `catalog.fullExport`, the families the connector owns that the file no longer has → inactive
//   identity:  ERP key → category (identity map; else a shop category of the same name under the same
//              parent is adopted, never duplicated)
//   load:      POST a new category (name and link_rewrite in every language); PATCH name, parent, active
//   resources: categories (read, write)
import { RecordRejected, ShopObjectGone } from '../src/errors.ts';
import type { FileContext, FilePipeline, Found, Keyed, LoadOutcome, LoadResult, Transformed } from '../src/pipeline.ts';
import { ShopRejected } from '../src/prestashop/errors.ts';
import { orderTree, deactivations, type CategoryRecord } from '../transforms/catalog/tree.ts';
import { linkRewrite } from '../transforms/catalog/link-rewrite.ts';
import { looseKey } from '../src/runner/find-by-field.ts';
import type { CategoryLine } from '../transforms/catalog/types.ts';
import { sageCategoryRecord } from '../transforms/sage/catalog-records.ts';
import { ebpCategoryRow } from '../transforms/ebp/catalog.ts';
import { catalogFlow } from '../src/erp/catalog-flow.ts';
import { categoriesFileFlow, categoriesFlow, readFlowBatches } from '../src/erp/read-flow.ts';
import type { Row } from '../src/parse/row.ts';
import { fingerprintOf } from '../src/runner/fingerprint.ts';

export interface CategoryTarget { id: string }

const ENTITY = 'category';

export const categories: FilePipeline<Row, CategoryLine, CategoryRecord, CategoryTarget> = {
  kind: 'file',
  name: 'categories',
  title: 'Catégories',
  schedule: 'masterData',
  resources: ['categories'],
  writes: ['categories'],
  dependsOn: [],

  async *parse(file, ctx) {
    yield* readFlowBatches(file, await categoriesFileFlow(file, catalogFlow(ctx, 'categories', categoriesFlow)), ctx);
  },
  // column-driven (EBP families and sub-families: the row's own columns say which it is)
  transform: (row, ctx): Transformed<CategoryLine> => ebpCategoryRow(row, categoriesFlow(ctx.profile)),
  documents: { 'format-sage': sageCategoryRecord },

  async *combine(batches, ctx) {
    const lines: Array<Transformed<CategoryLine>> = [];
    for await (const batch of batches) lines.push(...batch);
    const ordered = orderTree(lines);
    if (!ctx.dryRun) for (const r of ordered) if ('record' in r && r.record.movedFrom) followMove(ctx, r.record.movedFrom, r.key, ordered);
    remember(ctx).records = new Map(ordered.flatMap((r) => ('record' in r ? [[r.key, r.record] as const] : [])));
    yield ordered;
    if (ctx.config.catalog.fullExport) yield deactivations(ctx.state.keysOf(ENTITY), new Set(lines.map((l) => l.key ?? '')));
  },

  entity: ENTITY,
  desired: ({ record }) => stateOf(record),
  identity: {
    find: findCategories,
    remembered: (id) => ({ id }),
  },

  load: (rec, ctx, step) => tracked(ctx, rec.key, () => writeCategory(rec, ctx, step.target)),
};

/** What the shop's category must hold for a record: its fingerprint is the last write's. */
function stateOf(record: CategoryRecord): unknown {
  return record.deactivate ? { active: false, gone: true } : { name: record.name, names: record.names ?? null, parent: record.parentKey, active: record.active };
}

/** A node the ERP moved (transforms/sage/moves.ts) keeps its category: the identity of its old key, and of
 *  every key under it, passes to the new key before anything is looked up, so the load PATCHes the same
 *  category's parent. A category under it that this file carries unchanged is the same shop object with the
 *  same parent id: its last write holds under its new key, and it is not written again. Done once: a file
 *  resumed after a crash finds the new key known. */
function followMove(ctx: FileContext, from: string, to: string, records: ReadonlyArray<Transformed<CategoryRecord>>): void {
  if (ctx.state.lookup(ENTITY, to) || !ctx.state.lookup(ENTITY, from)) return;
  const inFile = new Map(records.flatMap((r) => ('record' in r ? [[r.key, r.record] as const] : [])));
  const moved = [from, ...ctx.state.keysOf(ENTITY).filter((k) => k.startsWith(`${from}/`))];
  ctx.state.transaction(() => {
    for (const k of moved) {
      const newKey = to + k.slice(from.length);
      const known = ctx.state.lookup(ENTITY, k)!;
      if (ctx.state.lookup(ENTITY, newKey)) continue;
      ctx.state.forget(ENTITY, k);
      ctx.state.remember(ENTITY, newKey, known.shopId, known.data);
      const rec = inFile.get(newKey);
      const last = ctx.state.fingerprint(ENTITY, k);
      if (k === from || !rec || rec.parentKey === null || !last?.fingerprint || last.pending !== null) continue;
      const before = { ...rec, parentKey: from + rec.parentKey.slice(to.length) };
      if (fingerprintOf(stateOf(before)) === last.fingerprint) ctx.state.commitFingerprint(ENTITY, newKey, fingerprintOf(stateOf(rec)));
    }
  });
  ctx.warn(`nœud de catalogue déplacé : « ${from.slice(4)} » → « ${to.slice(4)} » ; sa catégorie (id ${ctx.state.lookup(ENTITY, to)?.shopId}) et celles qui sont dessous restent les mêmes, leurs produits les suivent`);
}

/** What one file's loads share: its records (for the adoption by name) and the creations in flight, so
 *  that a child waits for its parent created a moment before. */
interface FileCategories {
  records: Map<string, CategoryRecord>;
  inFlight: Map<string, Promise<string | undefined>>;
  /** The shop's categories and the adoptions worked out from them: once per file. */
  adoptions?: Promise<Map<string, Found<CategoryTarget>>>;
}
interface ShopCategory { id: string; parent: string; names: Set<string> }
const perFile = new WeakMap<object, FileCategories>();
function remember(ctx: FileContext): FileCategories {
  let f = perFile.get(ctx.file);
  if (!f) perFile.set(ctx.file, (f = { records: new Map(), inFlight: new Map() }));
  return f;
}

/** The shop id of a category key for the products flow, which runs after this one in the same file: the
 *  identity map; in a dry run (nothing remembered) a placeholder for a key this file carried. */
export function categoryIdOf(ctx: FileContext, key: string): string | undefined {
  const known = ctx.state.lookup(ENTITY, key)?.shopId;
  if (known !== undefined) return known;
  return ctx.dryRun && perFile.get(ctx.file)?.records.has(key) ? `dry-run:${key}` : undefined;
}

async function tracked(ctx: FileContext, key: string, load: () => Promise<LoadOutcome | LoadResult>): Promise<LoadOutcome | LoadResult> {
  const p = load();
  remember(ctx).inFlight.set(key, p.then((r) => (typeof r === "object" && r.identity ? r.identity.shopId : ctx.state.lookup(ENTITY, key)?.shopId), () => undefined));
  return p;
}

/** The shop id of a parent: the identity map, or its creation in this file a moment before. */
async function parentId(ctx: FileContext, parentKey: string | null): Promise<string> {
  if (parentKey === null) return String(ctx.config.catalog.rootCategory);
  const known = ctx.state.lookup(ENTITY, parentKey)?.shopId;
  if (known) return known;
  const pending = await remember(ctx).inFlight.get(parentKey);
  if (pending) return pending;
  throw new RecordRejected(`famille parente « ${parentKey} » absente de la boutique (rejetée ou jamais reçue) : la famille n'est pas créée`, parentKey);
}

async function writeCategory({ record }: Keyed<CategoryRecord>, ctx: FileContext, target: CategoryTarget | undefined): Promise<LoadOutcome | LoadResult> {
  const names = ctx.shop.lang(record.names && Object.keys(record.names).length > 0 ? { ...record.names } : record.name);
  if (record.deactivate) {
    if (!target) return 'unchanged';
    await patch(ctx, target.id, { active: '0' });
    return 'updated';
  }
  const id_parent = await parentId(ctx, record.parentKey);
  if (!target) {
    const created = await ctx.shop.create('categories', {
      id_parent, active: record.active ? '1' : '0', name: names,
      link_rewrite: Object.fromEntries(Object.entries(names).map(([lang, n]) => [lang, linkRewrite(n) || 'categorie'])),
    });
    return { outcome: 'created', identity: { shopId: String(created.id) } };
  }
  await patch(ctx, target.id, { id_parent, active: record.active ? '1' : '0', name: names });
  return 'updated';
}

async function patch(ctx: FileContext, id: string, changes: Record<string, unknown>): Promise<void> {
  try {
    await ctx.shop.update('categories', id, changes);
  } catch (err) {
    if (err instanceof ShopRejected && err.status === 404) throw new ShopObjectGone('categories', id);
    throw err;
  }
}

/** Categories are few: read them once per file and adopt, for a key the identity map does not know, the
 *  shop category of the same name under the same parent (the parent known, or adopted just before). Worked
 *  out once per file over all its records, parents first, whatever window of keys the engine asks about. */
async function findCategories(keys: string[], ctx: FileContext): Promise<Map<string, Found<CategoryTarget>>> {
  const file = remember(ctx);
  const found = await (file.adoptions ??= adoptAll(ctx));
  return new Map(keys.flatMap((k) => { const f = found.get(k); return f ? [[k, f] as const] : []; }));
}

async function adoptAll(ctx: FileContext): Promise<Map<string, Found<CategoryTarget>>> {
  const shop = await shopCategories(ctx);
  const out = new Map<string, Found<CategoryTarget>>();
  const resolved = new Map<string, string>();
  const idOf = (key: string | null): string | undefined => (key === null ? String(ctx.config.catalog.rootCategory) : ctx.state.lookup(ENTITY, key)?.shopId ?? resolved.get(key));
  for (const [key, r] of remember(ctx).records) {
    if (r.deactivate || ctx.state.lookup(ENTITY, key)) continue;
    const parent = idOf(r.parentKey);
    if (parent === undefined) continue;
    const same = shop.filter((c) => c.parent === parent && c.names.has(looseKey(r.name)));
    if (same.length === 1) {
      resolved.set(key, same[0]!.id);
      out.set(key, { target: { id: same[0]!.id }, shopId: same[0]!.id });
    } else if (same.length > 1) {
      out.set(key, { reject: `la boutique a ${same.length} catégories « ${r.name} » sous la même catégorie parente (id ${same.map((c) => c.id).join(', ')}) : impossible de choisir, fusionnez-les dans la boutique` });
    }
  }
  return out;
}

async function shopCategories(ctx: FileContext): Promise<ShopCategory[]> {
  const out: ShopCategory[] = [];
  for await (const c of ctx.shop.listAll('categories', { display: ['id', 'id_parent', 'name'] })) {
    const n = c.name;
    const all = typeof n === 'object' && n !== null ? Object.values(n as Record<string, string>) : [String(n ?? '')];
    out.push({ id: String(c.id), parent: String(c.id_parent ?? ''), names: new Set(all.map(looseKey)) });
  }
  return out;
}
