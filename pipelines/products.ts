// Products — nightly master data. ERP articles → the shop's products, after the categories of the same file.
//   source:    a Sage « Format Sage » export (#CART with its #CACP, #MTAX for the rates), wherever dropped
//   parse:     the document's (src/runner/process-document.ts); an article export of the profile otherwise
//   transform: record → ProductLine (reference, name per language, price HT 6 decimals, VAT rate, unit,
//              weight in kg, EAN13, catalogue path root → deepest, active)   transforms/sage
//   identity:  reference → product (identity map; else `filter[reference]`, 50 references per look-up,
//              compared trimmed, NFC, case-insensitively; two shop products for one reference = a reject
//              naming both; a deleted product is looked up again)
//   load:      new product → POST with `state` 1, every shop language, link_rewrite, price, tax rule group
//              (VAT rate + catalog.taxCountry → tax_rules → taxes, read once per file; catalog.taxRuleGroups
//              overrides), weight, EAN13, unity, active, default category = the deepest node and the path
//              as associations; its stock row is the stock flow's. Existing product → one PATCH of the
//              fields of catalog.ownedFields whose value differs, never the others (descriptions, SEO,
//              product_type, combinations: a product with combinations stays one). Compared with what the
//              connector last wrote (kept in the identity map), with the shop itself on first sight and
//              after a crash; an unchanged fingerprint makes no request at all.
//   images:    REF.jpg (cover), REF-2.jpg, … beside the articles file, else in drop/images/, or the image
//              column's URLs / paths (pipelines/steps/image-sources.ts), after the product's write: uploaded
//              once, replaced in place when their bytes change, refused by content (steps/product-images.ts);
//              their name, size and date (a URL: itself) are part of the desired state, so an unchanged
//              folder costs nothing
//   resources: products (read, write), images (write), tax_rule_groups, tax_rules, taxes, countries (read)
import { ConfigError, RecordRejected, ShopObjectGone } from '../src/errors.ts';
import type { FileContext, FilePipeline, Found, IdentityResolver, Keyed, LoadResult, LoadStep, Transformed } from '../src/pipeline.ts';
import { ShopRejected } from '../src/prestashop/errors.ts';
import { filterEq } from '../src/prestashop/query.ts';
import { findByField, isFilterable, pickOne } from '../src/runner/find-by-field.ts';
import type { ProductLine } from '../transforms/catalog/types.ts';
import { changedFields, newProduct, ownedPart, productChange, productFieldsOf, type OwnedField, type ProductFields } from '../transforms/prestashop/product.ts';
import { groupsByRate, overrideFor, pickTaxGroup } from '../transforms/prestashop/tax-groups.ts';
import { sageProductRecord } from '../transforms/sage/catalog-records.ts';
import { fixed } from '../transforms/catalog/columns.ts';
import { articleRecordsOnly, divaltoArticleToProduct } from '../transforms/divalto/catalog.ts';
import { ebpArticleToProduct } from '../transforms/ebp/catalog.ts';
import { genericArticleToProduct } from '../transforms/catalog/generic.ts';
import { catalogFlow } from '../src/erp/catalog-flow.ts';
import { productsFlow, readFlowBatches } from '../src/erp/read-flow.ts';
import type { Row } from '../src/parse/row.ts';
import { categoryIdOf } from './categories.ts';
import { syncProductImages } from './steps/product-images.ts';
import { articleImages, imageSources, imageStamps, resolveColumnImages } from './steps/image-sources.ts';

/** A shop product; `fields`: its owned fields as the connector last wrote them, `rate` the VAT rate its tax
 *  group was worked out from (both from the identity map). */
export interface ProductTarget { id: string; fields?: ProductFields; rate?: string }

const ENTITY = 'products';

export const products: FilePipeline<Row, ProductLine, ProductLine, ProductTarget> = {
  kind: 'file',
  name: 'products',
  title: 'Produits',
  schedule: 'masterData',
  resources: ['products', 'tax_rule_groups', 'tax_rules', 'taxes', 'countries'],
  writes: ['products'],
  dependsOn: ['categories'],

  async *parse(file, ctx) {
    const flow = catalogFlow(ctx, 'products', productsFlow);
    const skipped = new Map<string, number>();
    for await (const batch of readFlowBatches(file, flow, ctx)) yield articleRecordsOnly(batch, flow, skipped);
    if (skipped.size > 0) ctx.warn(`lignes qui ne décrivent pas un article, non reprises : ${[...skipped].map(([t, n]) => `${n} fiche(s) ${t}`).join(', ')}`);
  },
  transform(row, ctx): Transformed<ProductLine> {
    const flow = productsFlow(ctx.profile);
    const defaultLanguage = ctx.config.shop.language;
    if (ctx.profile.name === 'divalto') return divaltoArticleToProduct(row, flow, { defaultLanguage, today: new Date().toISOString().slice(0, 10) });
    return ctx.profile.name === 'ebp' ? ebpArticleToProduct(row, flow, { defaultLanguage }) : genericArticleToProduct(row, flow, { defaultLanguage });
  },
  documents: { 'format-sage': (item, ctx) => sageProductRecord(item, ctx) },

  async *combine(batches, ctx) {
    await imageSources(ctx); // listed once, before desired() reads their stamps
    for await (const batch of batches) {
      await resolveColumnImages(ctx, batch);
      yield batch;
    }
  },

  entity: ENTITY,
  // What the ERP says, the fields the connector owns and the configured group of its rate: a change of
  // any of them is a change to apply; the same again is no request.
  desired: ({ record }, ctx) => ({
    ...record,
    owned: [...ctx.config.catalog.ownedFields].sort(),
    taxGroup: record.vatRate === null ? null : overrideFor(record.vatRate, ctx.config.catalog.taxRuleGroups) ?? null,
    images: imageStamps(ctx, record),
  }),
  identity: {
    find: findProducts,
    remembered: (id, data) => ({ id, ...(data.fields ? { fields: data.fields as ProductFields } : {}), ...(typeof data.rate === 'string' ? { rate: data.rate } : {}) }),
  } satisfies IdentityResolver<ProductTarget>,

  load: async (rec, ctx, step) => withImages(rec.record, ctx, await writeProduct(rec, ctx, step)),
};

/** The image step after the product's write; images sent make an otherwise unchanged product « mis à jour ». */
async function withImages(record: ProductLine, ctx: FileContext, result: LoadResult): Promise<LoadResult> {
  const reference = record.reference;
  const shopId = result.identity?.shopId;
  const found = await articleImages(ctx, record);
  const { images, problems } = found;
  if (shopId === undefined || (images.length === 0 && problems.length === 0)) return result;
  if (ctx.dryRun) {
    ctx.warn(`${reference} : ${images.length} image(s) à vérifier — simulation, aucune image envoyée`);
    return result;
  }
  let sent;
  try {
    sent = await syncProductImages(ctx, found, reference, shopId);
  } catch (err) {
    // the product is written; its fingerprint is not, so the next file sends the images again
    if (err instanceof ShopRejected) throw new RecordRejected(`article ${reference} : produit enregistré, mais la boutique refuse une image : ${err.message}`, reference);
    throw err;
  }
  for (const p of sent.problems) ctx.warn(`${reference} : ${p}`);
  return sent.sent + sent.replaced > 0 && result.outcome === 'unchanged' ? { ...result, outcome: 'updated' } : result;
}

async function findProducts(keys: string[], ctx: FileContext): Promise<Map<string, Found<ProductTarget>>> {
  const out = new Map<string, Found<ProductTarget>>();
  for (const k of keys) if (!isFilterable(k)) out.set(k, { reject: `référence impossible à rechercher dans PrestaShop (caractère | [ ou ]) : ${k}` });
  const found = await findByField(ctx.shop, 'products', 'reference', keys, ['reference']);
  for (const k of keys) {
    if (out.has(k)) continue;
    const p = pickOne(k, 'reference', found.get(k) ?? [], 'produits');
    if (p === undefined) continue;
    if ('reject' in p) out.set(k, p);
    else out.set(k, { target: { id: String(p.record.id) }, shopId: String(p.record.id) });
  }
  return out;
}

async function writeProduct({ record }: Keyed<ProductLine>, ctx: FileContext, step: LoadStep<ProductTarget>): Promise<LoadResult> {
  const owned = ctx.config.catalog.ownedFields;
  const target = step.target;
  if (!target) {
    const want = await wantedFields(record, ctx, 'all', undefined);
    const categories = want.categories ?? [String(ctx.config.catalog.rootCategory)];
    const body = newProduct(record.reference, { ...want, name: want.name!, categories, id_category_default: want.id_category_default ?? categories[categories.length - 1]! });
    const created = await ctx.shop.create('products', body, { lookup: { filter: { reference: filterEq(record.reference) } } });
    return { outcome: 'created', identity: { shopId: String(created.id), data: remembered(ownedPart(want, owned), record, ctx) } };
  }
  // The shop itself on first sight (adopted) and after a crash; else what the connector last wrote.
  const fromShop = step.fresh || step.afterCrash || !target.fields;
  const current = fromShop ? productFieldsOf(await readProduct(ctx, target.id)) : target.fields!;
  const want = await wantedFields(record, ctx, owned, fromShop ? undefined : target);
  const changes = changedFields(want, current, owned);
  const after = ownedPart({ ...current, ...changes }, owned);
  if (Object.keys(changes).length === 0) return { outcome: 'unchanged', identity: { shopId: target.id, data: remembered(after, record, ctx) } };
  try {
    await ctx.shop.update('products', target.id, productChange(changes));
  } catch (err) {
    if (err instanceof ShopRejected && err.status === 404) throw new ShopObjectGone('products', target.id);
    throw err;
  }
  return { outcome: 'updated', identity: { shopId: target.id, data: remembered(after, record, ctx) } };
}

/** The rate is kept only for a group found in the shop's tables, not one the config gave. */
function remembered(fields: ProductFields, r: ProductLine, ctx: FileContext): Record<string, unknown> {
  const looked = r.vatRate !== null && fields.id_tax_rules_group !== undefined && overrideFor(r.vatRate, ctx.config.catalog.taxRuleGroups) === undefined;
  return { fields, ...(looked ? { rate: r.vatRate } : {}) };
}

async function readProduct(ctx: FileContext, id: string) {
  const p = await ctx.shop.get('products', id);
  if (!p) throw new ShopObjectGone('products', id);
  return p;
}

/** The shop values of what the ERP gives; only the fields asked for are worked out (a tax group or a
 *  category the connector does not own is never a reason to reject). The group written last for the same
 *  rate is kept without reading the shop's tax tables: a changed price costs its PATCH alone. */
async function wantedFields(r: ProductLine, ctx: FileContext, fields: 'all' | readonly OwnedField[], last: ProductTarget | undefined): Promise<ProductFields> {
  const wants = (f: OwnedField) => fields === 'all' || fields.includes(f);
  const out: ProductFields = {
    name: ctx.shop.lang({ ...r.names, [ctx.config.shop.language]: r.name }),
    price: r.priceTaxExcl,
    active: r.active ? '1' : '0',
  };
  if (r.unity !== undefined) {
    out.unity = r.unity;
    out.unit_price = fixed(Number(r.priceTaxExcl) / Number(r.unitPriceRatio ?? '1'), 6);
  }
  if (r.weightKg !== undefined) out.weight = r.weightKg;
  if (r.ean13 !== undefined) out.ean13 = r.ean13;
  if (r.vatRate !== null && wants('id_tax_rules_group')) {
    const kept = last?.rate === r.vatRate && overrideFor(r.vatRate, ctx.config.catalog.taxRuleGroups) === undefined ? last.fields?.id_tax_rules_group : undefined;
    out.id_tax_rules_group = kept ?? await taxGroupOf(r.vatRate, r.reference, ctx);
  }
  if (r.categoryKeys.length > 0 && wants('categories')) {
    const ids = r.categoryKeys.map((k) => {
      const id = categoryIdOf(ctx, k);
      if (id === undefined) throw new RecordRejected(`article ${r.reference} : catégorie « ${k} » inconnue de la boutique (rejetée ou absente de ce fichier et des précédents) : le produit n'est pas chargé`, r.reference);
      return id;
    });
    out.categories = [...new Set(ids)];
    out.id_category_default = ids[ids.length - 1]!;
  }
  return out;
}

/** The shop's tax tables, read once per file (and only when a rate has no configured group). */
const taxTables = new WeakMap<object, Promise<Map<string, string[][]>>>();

async function taxGroupOf(rate: string, reference: string, ctx: FileContext): Promise<string> {
  const configured = overrideFor(rate, ctx.config.catalog.taxRuleGroups);
  if (configured !== undefined) return String(configured);
  let tables = taxTables.get(ctx.file);
  if (!tables) {
    tables = readTaxTables(ctx);
    taxTables.set(ctx.file, tables);
    tables.catch(() => taxTables.delete(ctx.file));
  }
  const picked = pickTaxGroup(rate, await tables, ctx.config.catalog.taxCountry);
  if ('reject' in picked) throw new RecordRejected(`article ${reference} : ${picked.reject}`, reference);
  return picked.id;
}

async function readTaxTables(ctx: FileContext): Promise<Map<string, string[][]>> {
  const iso = ctx.config.catalog.taxCountry.toUpperCase();
  const countries = await ctx.shop.list('countries', { display: ['id', 'iso_code'], filter: { iso_code: filterEq(iso) } });
  const country = countries.find((c) => String(c.iso_code).toUpperCase() === iso);
  if (!country) throw new ConfigError([`catalog.taxCountry : le pays « ${iso} » n'existe pas dans la boutique`]);
  const all = async (resource: string, display: string[]) => {
    const rows = [];
    for await (const r of ctx.shop.listAll(resource, { display })) rows.push(r);
    return rows;
  };
  const [groups, rules, taxes] = await Promise.all([
    all('tax_rule_groups', ['id', 'active', 'deleted']),
    all('tax_rules', ['id', 'id_tax_rules_group', 'id_country', 'id_state', 'zipcode_from', 'id_tax']),
    all('taxes', ['id', 'rate', 'active', 'deleted']),
  ]);
  return groupsByRate({ groups, rules, taxes, countryId: String(country.id) });
}
