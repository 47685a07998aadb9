// The sandbox's knowledge of each webservice resource: which fields it renders (and in which order),
// which rules a write must pass, which methods it allows.
// Field order and xlink/notFilterable attributes come from data/layouts.json (extracted from the
// recorded transcripts by test/sandbox/tools/extract-layouts.ts) because the real shop does not
// render fields in class-definition order; rules come from PrestaShop's class definitions
// (src/prestashop/reference/resources.json), read at runtime.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { EXTRA_RESOURCES } from './extra-resources.ts';
import { SHOP_GROUPS_RESOURCE } from './multistore.ts';

export type FieldType = 'int' | 'bool' | 'string' | 'float' | 'date' | 'html' | 'nothing';

export interface FieldDef {
  name: string;
  type: FieldType;
  lang: boolean;
  required: boolean;
  readOnly: boolean;
  size?: number;
  validate?: string;
  /** ObjectModel 'values' whitelist and 'default' substitution (product condition, visibility...). */
  values?: string[];
  default?: string;
  /** ObjectModel 'range' check (StockAvailable.quantity, validate.json objectmodel_calling_rules). */
  range?: { min: number; max: number };
  xlink?: string;
  notFilterable: boolean;
  /** Virtual webservice field (getter): rendered but not a stored column the list can filter. */
  virtual: boolean;
}

export interface AssocDef {
  name: string;
  nodeType: string;
  api?: string;
  virtualEntity: boolean;
  itemXlink?: string;
  fields: Array<{ name: string; xlink?: string }>;
}

export interface ResourceDef {
  name: string;
  node: string;
  className: string;
  fields: FieldDef[];
  fieldByName: Map<string, FieldDef>;
  associations: AssocDef[];
  forbidden: string[];
}

interface RawField {
  type?: string; required?: boolean; lang?: boolean; size?: number; validate?: string; hidden?: boolean;
  readOnly?: boolean; setter?: boolean | null; xlink_resource?: string; origin?: string; getter?: string;
  values?: string[]; default?: string; range?: { min: number; max: number };
}
interface RawResource {
  class: string; objectNodeName: string; objectsNodeName: string; fields: Record<string, RawField>;
  readOnly?: string[]; forbidden_methods?: string[];
  associations?: Record<string, { resource?: string }>;
}
interface LayoutField { name: string; xlink?: string; notFilterable?: boolean; lang?: boolean }
interface Layout {
  node: string; source: 'transcript' | 'schema'; fields: LayoutField[];
  associations: Array<{ name: string; nodeType: string; api?: string; virtualEntity?: boolean; itemXlink?: string; fields: LayoutField[] }>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const readJson = <T>(p: string): T => JSON.parse(readFileSync(path.join(here, p), 'utf8')) as T;

const rawResources = readJson<{ resources: Record<string, RawResource> }>('../prestashop/reference/resources.json').resources;
const layouts = readJson<Record<string, Layout>>('data/layouts.json');

function toType(t: string | undefined): FieldType {
  return (['int', 'bool', 'string', 'float', 'date', 'html', 'nothing'] as const).find((x) => x === t) ?? 'string';
}

function buildDef(name: string): ResourceDef | undefined {
  const raw = rawResources[name];
  const extra = EXTRA_RESOURCES[name] ?? (name === 'shop_groups' ? SHOP_GROUPS_RESOURCE : undefined);
  const node = raw?.objectNodeName ?? extra?.node;
  if (!node) return undefined;
  const layout = layouts[node];
  const rawFields: Record<string, RawField> = raw ? raw.fields : Object.fromEntries(
    (extra?.fields ?? []).map(([n, type, o]) => [n, { type, required: o?.required, lang: o?.lang, xlink_resource: o?.xlink, size: o?.size, validate: o?.validate, values: o?.values }]),
  );
  const readOnly = new Set(raw?.readOnly ?? []);
  const make = (fname: string, lf?: LayoutField): FieldDef => {
    const rf = rawFields[fname] ?? {};
    const def: FieldDef = {
      name: fname,
      type: toType(rf.type),
      lang: lf?.lang ?? rf.lang ?? false,
      required: rf.required ?? false,
      readOnly: readOnly.has(fname) || rf.setter === false,
      notFilterable: lf?.notFilterable ?? false,
      virtual: rf.origin === 'webserviceParameters' && rf.getter !== undefined,
    };
    if (rf.size !== undefined) def.size = rf.size;
    if (rf.validate !== undefined) def.validate = rf.validate;
    if (rf.values) def.values = rf.values;
    if (rf.default !== undefined && rf.default !== '') def.default = rf.default;
    if (rf.range) def.range = rf.range;
    // Transcript layouts say exactly which fields carry xlink; schema/definition ones fall back to the class rule.
    const xlink = lf ? (lf.xlink ?? (layout?.source === 'schema' ? rf.xlink_resource : undefined)) : rf.xlink_resource;
    if (xlink) def.xlink = xlink;
    return def;
  };
  let fields: FieldDef[];
  if (layout) fields = layout.fields.map((lf) => make(lf.name, lf));
  else fields = [make('id'), ...Object.entries(rawFields).filter(([, f]) => !f.hidden).map(([n]) => make(n))];
  if (!fields.some((f) => f.name === 'id')) fields.unshift(make('id'));
  const layoutAssocs: Layout['associations'] = layout?.associations.length ? layout.associations : (extra?.associations ?? []).map((a) => ({ ...a, fields: [] }));
  const associations: AssocDef[] = layoutAssocs.map((a) => {
    const d: AssocDef = { name: a.name, nodeType: a.nodeType, virtualEntity: a.virtualEntity ?? false, fields: a.fields.length ? a.fields : [{ name: 'id' }] };
    if (a.api) d.api = a.api;
    const itemXlink = a.itemXlink ?? (a.virtualEntity ? undefined : a.api);
    if (itemXlink) d.itemXlink = itemXlink;
    return d;
  });
  return {
    name, node, className: raw?.class ?? extra?.className ?? node,
    fields, fieldByName: new Map(fields.map((f) => [f.name, f])), associations,
    forbidden: raw?.forbidden_methods ?? [],
  };
}

const SUPPORTED = [
  'languages', 'shops', 'currencies', 'countries', 'zones', 'taxes', 'tax_rules', 'tax_rule_groups', 'categories',
  'products', 'stock_availables', 'groups', 'customers', 'addresses', 'specific_prices', 'order_states',
  'configurations', 'carriers', 'orders', 'order_details', 'order_histories', 'order_carriers', 'order_invoices',
  'order_cart_rules', 'carts', 'customer_threads', 'customer_messages', 'combinations', 'product_options', 'product_option_values',
  'shop_groups',
];

const defs = new Map<string, ResourceDef>();
for (const name of SUPPORTED) {
  const d = buildDef(name);
  if (d) defs.set(name, d);
}

export function resourceDef(name: string): ResourceDef | undefined {
  return defs.get(name);
}

export function supportedResources(): string[] {
  return [...defs.keys()];
}

export interface ApiRootEntry { name: string; description: string; schema: boolean }
export const apiRoot: ApiRootEntry[] = readJson<ApiRootEntry[]>('data/api-root.json');
