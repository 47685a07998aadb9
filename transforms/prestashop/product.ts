// PrestaShop side of the products flow, pure: what a product's owned fields are in the shop, which of them
// differ from what the ERP wants, and the bodies to send. WEBSERVICE.md §5/§6.2 and transcripts INDEX.md:
// a PATCH keeps every field it does not carry (so `product_type`, `type`, combinations, descriptions and SEO
// fields are never sent on an update and survive), a multi-language field is sent in every language (one
// language alone empties the others), an association block replaces the whole set; a POST stores
// `state` 0 (a draft) and `product_type` '' unless they are sent (transcript 145).
import type { OWNABLE_PRODUCT_FIELDS } from '../../src/config/catalog.ts';
import type { LangText, PsRecord } from '../../src/prestashop/xml.ts';
import { linkRewrite } from '../catalog/link-rewrite.ts';

export type OwnedField = (typeof OWNABLE_PRODUCT_FIELDS)[number];

/** A product's owned fields as the shop stores them (language id → text for the name). A field left out
 *  is unknown (or, in what the ERP wants, not given: the shop's value is kept). */
export interface ProductFields {
  name?: LangText;
  price?: string;
  id_tax_rules_group?: string;
  /** The sales unit's label and the price of one such unit (tax excluded): PrestaShop 8 stores unit_price
   *  and computes unit_price_ratio = price / unit_price (deprecated column, never sent); a price change
   *  leaves unit_price as it was, so both go together. */
  unity?: string;
  unit_price?: string;
  weight?: string;
  ean13?: string;
  /** The category field owns both the default category and the associations. */
  id_category_default?: string;
  categories?: string[];
  active?: string;
}

/** Which ProductFields keys each owned field of `catalog.ownedFields` covers. */
const KEYS: Record<OwnedField, ReadonlyArray<keyof ProductFields>> = {
  name: ['name'], price: ['price'], id_tax_rules_group: ['id_tax_rules_group'], unity: ['unity', 'unit_price'], weight: ['weight'],
  ean13: ['ean13'], categories: ['id_category_default', 'categories'], active: ['active'],
};

/** The owned fields of a product read from the shop (GET /api/products/{id}). */
export function productFieldsOf(p: PsRecord): ProductFields {
  const s = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
  const name = p.name;
  const assoc = p.associations as Record<string, PsRecord[]> | undefined;
  return {
    name: typeof name === 'object' && name !== null ? { ...(name as LangText) } : {},
    price: s(p.price), id_tax_rules_group: s(p.id_tax_rules_group), unity: s(p.unity), unit_price: s(p.unit_price), weight: s(p.weight), ean13: s(p.ean13),
    id_category_default: s(p.id_category_default), categories: (assoc?.categories ?? []).map((c) => s(c.id)),
    active: s(p.active),
  };
}

function same(key: keyof ProductFields, want: ProductFields, have: ProductFields): boolean {
  const w = want[key];
  const h = have[key];
  if (h === undefined) return false;
  switch (key) {
    case 'price': case 'weight': case 'unit_price':
      return Number(w) === Number(h) && String(h).trim() !== '';
    case 'name': {
      const wl = w as LangText;
      const hl = h as LangText;
      return Object.keys(wl).every((id) => (hl[id] ?? '') === wl[id]);
    }
    case 'categories': {
      const ws = new Set(w as string[]);
      const hs = new Set(h as string[]);
      return ws.size === hs.size && [...ws].every((id) => hs.has(id));
    }
    default:
      return String(w) === String(h);
  }
}

/** The owned fields the ERP gives whose value differs from the shop's: what a PATCH carries. */
export function changedFields(want: ProductFields, have: ProductFields, owned: readonly OwnedField[]): ProductFields {
  const out: ProductFields = {};
  for (const f of owned) {
    const keys = KEYS[f];
    if (keys.some((k) => want[k] === undefined)) continue;
    if (keys.every((k) => same(k, want, have))) continue;
    for (const k of keys) (out as Record<string, unknown>)[k] = want[k];
  }
  return out;
}

/** What the connector holds of the shop's product after a write: the owned fields only. */
export function ownedPart(fields: ProductFields, owned: readonly OwnedField[]): ProductFields {
  const out: ProductFields = {};
  for (const f of owned) for (const k of KEYS[f]) if (fields[k] !== undefined) (out as Record<string, unknown>)[k] = fields[k];
  return out;
}

/** The body of a PATCH: the changed fields, the categories as the association block they replace. */
export function productChange(changes: ProductFields): PsRecord {
  const { categories, ...scalars } = changes;
  const out: PsRecord = { ...scalars };
  if (categories) out.associations = { categories: categories.map((id) => ({ id })) };
  return out;
}

/** The body of a POST: every field the flow sets, `state` 1 and `product_type` standard (else a draft of
 *  no type), link_rewrite made from the name in each language. The stock row is the shop's (created with
 *  the product, quantity 0) and the stock flow's. */
export function newProduct(reference: string, want: ProductFields & { name: LangText; id_category_default: string; categories: string[] }): PsRecord {
  const { categories, ...scalars } = want;
  const body: PsRecord = {
    reference, state: '1', product_type: 'standard', visibility: 'both', available_for_order: '1', show_price: '1', minimal_quantity: '1',
    ...scalars,
    link_rewrite: Object.fromEntries(Object.entries(want.name).map(([lang, n]) => [lang, linkRewrite(n) || 'produit'])),
    associations: { categories: categories.map((id) => ({ id })) },
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

/** The unit price that goes with a new base price: PrestaShop keeps unit_price when only the price changes
 *  (and recomputes the ratio), so « 3,00 € / Pièce » would stay beside a price of 4,10 €. Same ratio as
 *  last written; undefined when the product has no unit price of ours. */
export function unitPriceFor(newPrice: string, last: { price?: unknown; unit_price?: unknown } | undefined): string | undefined {
  const unit = typeof last?.unit_price === 'string' ? last.unit_price : undefined;
  const price = typeof last?.price === 'string' ? last.price : undefined;
  if (unit === undefined || price === undefined) return undefined;
  if (unit === price || Number(price) === 0) return newPrice;
  return (Number(newPrice) * Number(unit) / Number(price)).toFixed(6);
}
