// What an ERP's export files look like, per flow (file names, format, encoding, columns). One profile per
// ERP in config/profiles/<name>.yaml; the main config's `erp.flows` overrides it key by key. The schema is
// the validation and the documentation (STYLE.md §3).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { columnName } from './columns.ts';
import { ConfigError, errorMessage } from '../errors.ts';
import { ENCODINGS } from '../parse/decode.ts';
import { categoriesFlowSchema, productsFlowSchema } from './catalog-profiles.ts';
import { customersFlowSchema } from './customer-profiles.ts';
import { invoicesFlowSchema, orderStatusFlowSchema } from './follow-up-profiles.ts';
import { pricesFlowSchema } from './price-profiles.ts';


export const StockColumnsSchema = z.strictObject({
  reference: columnName.describe('article reference (the key matched with the shop)'),
  real: columnName.describe('real (physical) stock'),
  warehouse: columnName.optional().describe('warehouse code; absent = one line per reference, no warehouse filter possible'),
  reserved: columnName.optional().describe('quantity reserved by customer orders; absent = 0 (available = real)'),
});

const flowBase = {
  patterns: z.array(z.string().trim().min(1)).min(1)
    .describe('globs on the file name (case-insensitive, * and ?), e.g. "stock*.csv"'),
};

const delimitedFormat = {
  format: z.literal('delimited'),
  encoding: z.enum(ENCODINGS).default('windows-1252').describe('declared, never guessed (LESSONS G1)'),
  delimiter: z.union([z.literal('auto'), z.string().length(1)]).default(';'),
  quote: z.string().length(1).default('"'),
  decimal: z.enum([',', '.']).default(','),
  header: z.union([z.literal(true), z.array(columnName).min(1)]).default(true)
    .describe('true = first line names the columns; a list = the file has no header line, these are its columns'),
  multiline: z.boolean().default(false)
    .describe('true = a quoted value may hold line ends; false = a quote left open on its line quarantines the file'),
  maxLineBytes: z.number().int().min(1).default(1024 * 1024)
    .describe('a physical line longer than this many bytes quarantines the file (default 1 MiB)'),
};

const xlsxFormat = {
  format: z.literal('xlsx'),
  sheet: z.union([z.string().min(1), z.number().int().min(1)]).optional().describe('sheet name or 1-based position; default the first'),
  headerRow: z.union([z.number().int().min(1), z.literal('auto')]).default(1)
    .describe("row of the column names; 'auto' = first of the first 10 rows holding every declared column"),
  // numeric cells come out with '.', text cells as typed
  decimal: z.enum([',', '.']).default('.'),
};

/** An XML export (catalogue flows of a generic mapping, src/parse/xml-records.ts): column names are child
 *  elements (`Nom`), attributes of the record (`@code`) or of a child (`Prix/@ht`). */
const xmlFormat = {
  format: z.literal('xml'),
  record: z.string().trim().min(1).describe('path of the record elements by local names, e.g. "Articles/Article"'),
  decimal: z.enum([',', '.']).default('.'),
};

/** Keys that only make sense for one format: dropped from the profile when an override switches format. */
const FORMAT_KEYS = ['encoding', 'delimiter', 'quote', 'header', 'multiline', 'maxLineBytes', 'sheet', 'headerRow', 'decimal', 'record'];

export const StockFlowProfileSchema = z.discriminatedUnion('format', [
  z.strictObject({ ...flowBase, ...delimitedFormat, columns: StockColumnsSchema }),
  z.strictObject({ ...flowBase, ...xlsxFormat, columns: StockColumnsSchema }),
]);

export const ErpProfileSchema = z.strictObject({
  name: z.string().min(1),
  label: z.string().min(1),
  // one key per flow, declared here explicitly (master-data flows will join stock)
  flows: z.strictObject({
    stock: StockFlowProfileSchema.optional(),
    'order-status': orderStatusFlowSchema(flowBase, delimitedFormat).optional(),
    invoices: invoicesFlowSchema(flowBase, delimitedFormat).optional(),
    categories: categoriesFlowSchema(flowBase, delimitedFormat, xlsxFormat, xmlFormat).optional(),
    products: productsFlowSchema(flowBase, delimitedFormat, xlsxFormat, xmlFormat).optional(),
    prices: pricesFlowSchema(flowBase, delimitedFormat, xlsxFormat).optional(),
    customers: customersFlowSchema(flowBase, delimitedFormat, xlsxFormat).optional(),
  }),
});

export type ErpProfile = z.infer<typeof ErpProfileSchema>;
export type StockFlowProfile = z.infer<typeof StockFlowProfileSchema>;
export type OrderStatusFlowProfile = NonNullable<ErpProfile['flows']['order-status']>;
export type InvoicesFlowProfile = NonNullable<ErpProfile['flows']['invoices']>;
export type CategoriesFlowProfile = NonNullable<ErpProfile['flows']['categories']>;
export type ProductsFlowProfile = NonNullable<ErpProfile['flows']['products']>;
export type PricesFlowProfile = NonNullable<ErpProfile['flows']['prices']>;
export type CustomersFlowProfile = NonNullable<ErpProfile['flows']['customers']>;
export type FlowProfile = StockFlowProfile | OrderStatusFlowProfile | InvoicesFlowProfile | CategoriesFlowProfile | ProductsFlowProfile | PricesFlowProfile | CustomersFlowProfile;
export type FlowName = keyof ErpProfile['flows'];

const PROFILES_DIR = fileURLToPath(new URL('../../config/profiles/', import.meta.url));

export interface LoadProfileOptions {
  /** Folder of the <name>.yaml profiles; default config/profiles of this repository. */
  dir?: string;
  /** Prefix of the paths in error messages: where the profile lives in the main config. */
  pathPrefix?: string;
}

export function listProfiles(dir = PROFILES_DIR): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
}

/**
 * The named profile, with `overrides` deep-merged over it, then validated. `overrides` is either the main
 * config's `erp.flows` (flow name → partial flow, as the engine passes it) or a partial profile `{ flows: … }`. Every problem is reported at once as a ConfigError whose lines
 * read `erp.flows.stock.columns.reference: obligatoire`.
 */
export function loadProfile(name: string, overrides?: unknown, opts: LoadProfileOptions = {}): ErpProfile {
  const dir = opts.dir ?? PROFILES_DIR;
  const prefix = opts.pathPrefix ?? 'erp';
  const file = join(dir, `${name}.yaml`);
  if (!/^[a-z0-9_-]+$/i.test(name) || !existsSync(file)) {
    throw new ConfigError([`${prefix}.profile: profil ERP inconnu « ${name} » (profils disponibles : ${listProfiles(dir).join(', ')})`]);
  }
  let base: unknown;
  try {
    base = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError([`${file}: YAML invalide : ${errorMessage(err)}`]);
  }
  if (overrides !== undefined && overrides !== null && !isPlainObject(overrides)) {
    throw new ConfigError([`${prefix}: un objet est attendu pour surcharger le profil`]);
  }
  const merged = overrides === undefined || overrides === null ? base : mergeProfile(base, asPartialProfile(overrides));
  const result = ErpProfileSchema.safeParse(merged, { error: frenchIssue });
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${[prefix, ...i.path.map(String)].join('.')}: ${i.message}`));
  }
  return result.data;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Objects merge key by key, arrays and scalars replace, `null` removes the key (e.g. `reserved: null`). */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else out[k] = deepMerge(base[k], v);
  }
  return out;
}

const PROFILE_KEYS = new Set(['name', 'label', 'flows']);

function asPartialProfile(overrides: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(overrides);
  return keys.length > 0 && keys.every((k) => PROFILE_KEYS.has(k)) ? overrides : { flows: overrides };
}

function mergeProfile(base: unknown, over: Record<string, unknown>): unknown {
  if (!isPlainObject(base) || !isPlainObject(base.flows) || !isPlainObject(over.flows)) return deepMerge(base, over);
  // a flow switching format (delimited → xlsx) must not inherit the other format's keys
  const flows: Record<string, unknown> = { ...base.flows };
  for (const [flow, o] of Object.entries(over.flows)) {
    const b = flows[flow];
    if (isPlainObject(b) && isPlainObject(o) && typeof o.format === 'string' && o.format !== b.format) {
      flows[flow] = Object.fromEntries(Object.entries(b).filter(([k]) => !FORMAT_KEYS.includes(k)));
    }
  }
  return deepMerge({ ...base, flows }, over);
}

// French messages for the integrator who edits the YAML (error map for zod 4).
function frenchIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'obligatoire' : `type invalide (${issue.expected} attendu)`;
    case 'invalid_value':
      return `valeur invalide (attendu : ${issue.values.map((v) => JSON.stringify(v)).join(' | ')})`;
    case 'invalid_union':
      return 'format' in (isPlainObject(issue.input) ? issue.input : {})
        ? 'format inconnu (attendu : "delimited" | "xlsx")'
        : 'format obligatoire ("delimited" | "xlsx")';
    case 'too_small':
      return issue.origin === 'array' ? 'au moins une valeur' : issue.origin === 'string' && Number(issue.minimum) === 1 ? 'ne doit pas être vide' : issue.origin === 'string' ? `trop court (minimum ${String(issue.minimum)})` : `trop petit (minimum ${String(issue.minimum)})`;
    case 'too_big':
      return issue.origin === 'string' ? `trop long (maximum ${String(issue.maximum)})` : `trop grand (maximum ${String(issue.maximum)})`;
    case 'unrecognized_keys':
      return `clé${issue.keys.length > 1 ? 's' : ''} inconnue${issue.keys.length > 1 ? 's' : ''} : ${issue.keys.join(', ')}`;
    default:
      return undefined;
  }
}

/** Columns a flow declares; all of them must be in the file (a declared warehouse column missing is a layout error). */
export function flowColumns(flow: FlowProfile): string[] {
  return Object.values(flow.columns).filter((c): c is string => typeof c === 'string');
}

const compiled = new WeakMap<ErpProfile, Array<[string, RegExp[]]>>();

/** `*` any run of characters, `?` one character, the rest literal; case-insensitive, whole name. */
export function globToRegExp(glob: string): RegExp {
  let src = '';
  for (const ch of glob) {
    if (ch === '*') src += '.*';
    else if (ch === '?') src += '.';
    else src += ch.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${src}$`, 'i');
}

/** The flow a file belongs to by its name (first flow whose pattern matches, in declaration order). */
export function matchFlow(profile: ErpProfile, fileName: string): FlowName | undefined {
  let table = compiled.get(profile);
  if (table === undefined) {
    table = Object.entries(profile.flows)
      .filter((e): e is [string, FlowProfile] => e[1] !== undefined)
      .map(([flow, def]) => [flow, def.patterns.map(globToRegExp)]);
    compiled.set(profile, table);
  }
  const name = basename(fileName).normalize('NFC');
  for (const [flow, patterns] of table) {
    if (patterns.some((re) => re.test(name))) return flow as FlowName;
  }
  return undefined;
}
