// The webservice write flow, in the order of WebserviceRequest::saveEntityFromXml (resources.json
// webservice.write_flow): id rules, read-only fields, required fields, what a PUT resets and a PATCH keeps,
// then validation, then the save, then the associations.
import type { FieldDef, ResourceDef } from './catalog.ts';
import type { ParsedEntity } from './parse-request.ts';
import type { LangValue, Row, Store } from './store.ts';
import { validateObject } from './validate.ts';
import { WsError, type WsErrorItem } from './ws-error.ts';

export type WriteMethod = 'POST' | 'PUT' | 'PATCH';

export interface WriteCtx {
  def: ResourceDef;
  store: Store;
  method: WriteMethod;
  entity: ParsedEntity;
  /** The object being built (starts from the stored one for PATCH). */
  row: Row;
  old: Row | undefined;
  now: string;
  languages: string[];
  /** The request's query string (sendemail=1...). */
  query: Record<string, string>;
  /** Fields the POST echo shows although they were not sent (computed by the class). */
  computed: Set<string>;
}

export interface ResourceHooks {
  /** PHP warnings the real class raises for this body (they come before other errors). */
  warnings?(ctx: WriteCtx): WsErrorItem[];
  /** Before validation: fill computed fields (may throw WsError / RawAnswer). */
  prepare?(ctx: WriteCtx): void;
  /** After validation, before the row is stored: last refusals (duplicates...). */
  beforeSave?(ctx: WriteCtx): void;
  /** Side effects once stored (stock row creation...). May throw: the write has happened anyway. */
  afterSave?(ctx: WriteCtx): void;
  /** Fields computed on every POST (echoed although not sent). */
  computed?: string[];
  /** Fields a POST ignores (the echo shows them empty, e.g. orders.current_state). */
  ignoreOnPost?: string[];
  /** Associations the class can set; the others the resource declares are read-only and silently ignored.
   *  Default: every declared association. */
  writableAssociations?: string[];
  /** Replaces the default insert/update (orders are built from the cart); returns the stored row. */
  save?(ctx: WriteCtx): Row;
  /** Replaces the default DELETE (clean-up of linked rows, soft delete). Returns false when the class refuses
   *  (the shop then answers 500 code 88). */
  delete?(id: number): boolean;
}

const INT32 = { min: -2147483648, max: 2147483647 };
const UINT32 = { min: 0, max: 4294967295 };
const UNSIGNED_RULES = new Set(['isUnsignedInt', 'isUnsignedId', 'isNullOrUnsignedId', 'isPositiveInt']);
/** DATE (not DATETIME) columns: customer birthday, product/combination available_date (146). */
const DATE_COLUMNS = new Set(['birthday', 'available_date']);
/** decimal(20,6) */
const DECIMAL_MAX = 1e14 - 1e-6;

/**
 * Normalised stored form of a scalar, as MySQL gives it back. PrestaShop opens its connection with
 * `SET SESSION sql_mode = ''` (classes/db/DbPDO.php connect()), so MySQL is not strict: an int out of the
 * column's range is clamped (a quantity of 3000000000 would become 2147483647 if nothing refused it first),
 * a number that is not one becomes 0. Int columns are taken as unsigned when the field's rule is.
 */
export function normalise(f: FieldDef, v: string): string {
  switch (f.type) {
    case 'int': {
      if (v === '') return '0';
      const n = Number.parseInt(v, 10) || 0;
      const r = UNSIGNED_RULES.has(f.validate ?? '') ? UINT32 : INT32;
      return String(Math.min(r.max, Math.max(r.min, n)));
    }
    case 'bool': return v === '' || v === '0' || v === 'false' ? '0' : '1';
    case 'float': return Math.min(DECIMAL_MAX, Math.max(-DECIMAL_MAX, Number.parseFloat(v) || 0)).toFixed(6);
    case 'date': return v === '' ? (DATE_COLUMNS.has(f.name) ? '0000-00-00' : '0000-00-00 00:00:00') : v;
    default: return v;
  }
}

const notWritable = (name: string): WsErrorItem => ({ code: 93, message: `parameter "${name}" not writable. Please remove this attribute of this XML` });

const allLanguages = (languages: string[], text = ''): LangValue => Object.fromEntries(languages.map((l) => [l, text]));

/**
 * The value a multi-language field takes from the body. `<name><language id="1">…</language></name>` sets
 * the languages sent and EMPTIES the others, on PATCH too (transcripts 145-147, WEBSERVICE.md §5 "PATCH and
 * languages": the English name was lost). `<name>text</name>` without <language> makes `$object->name` a
 * plain string, which ObjectModel writes into every language.
 */
function langFromBody(v: string | LangValue, languages: string[]): LangValue {
  return typeof v === 'string' ? allLanguages(languages, v) : { ...allLanguages(languages), ...v };
}

/** Builds the row to save. Throws WsError with the shop's codes. Returns the row and the raw sent values (for the echo). */
export function applyWrite(
  def: ResourceDef, store: Store, method: WriteMethod, entity: ParsedEntity, hooks: ResourceHooks,
  now: string, languages: string[], query: Record<string, string> = {},
): { ctx: WriteCtx; sent: Record<string, unknown> } {
  const bodyId = entity.fields.get('id');
  let id: number | undefined;
  if (method === 'POST') {
    if (bodyId !== undefined) throw new WsError(400, [{ code: 91, message: 'id is forbidden when adding a new resource' }]);
  } else {
    if (bodyId === undefined || typeof bodyId !== 'string' || bodyId === '') throw new WsError(400, [{ code: 90, message: 'id is required when modifying a resource' }]);
    id = Number(bodyId); // the id in the body wins over the URL, which is not checked (transcript 037)
  }
  const old = id !== undefined ? store.get(def.name, id) : undefined;
  if (method !== 'POST' && !old) throw new WsError(404, [{ code: 92, message: `Invalid ID` }]);

  const row: Row = method === 'PATCH' && old ? structuredClone(old) : { id: old?.id ?? '', associations: structuredClone(old?.associations ?? {}) };
  const ctx: WriteCtx = { def, store, method, entity, row, old, now, languages, query, computed: new Set(['id', 'date_add', 'date_upd', ...(hooks.computed ?? [])]) };

  const errors: WsErrorItem[] = [...(hooks.warnings?.(ctx) ?? [])];
  const readOnlySent = def.fields.find((f) => f.readOnly && entity.fields.has(f.name));
  if (readOnlySent) errors.push(notWritable(readOnlySent.name));
  // A PHP warning alone is a 500; mixed with a 4xx code the 4xx status wins (026/027/028).
  if (errors.length) throw new WsError(errors.some((e) => e.code !== 3) ? 400 : 500, errors);

  const sent: Record<string, unknown> = {};
  for (const f of def.fields) {
    if (f.name === 'id' || f.readOnly) continue;
    const v = method === 'POST' && hooks.ignoreOnPost?.includes(f.name) ? undefined : entity.fields.get(f.name);
    if (v === undefined) {
      if (method === 'PATCH') continue; // PATCH processes only the fields present in the XML
      if (f.required && !f.lang) throw new WsError(400, [{ code: 41, message: `parameter "${f.name}" required` }]);
      // POST and PUT set every absent field to NULL, and an absent multi-language field to '' in every
      // language: a PUT is a full replacement (transcripts 032/033). Stored normalised below.
      row[f.name] = f.lang ? allLanguages(languages) : '';
      continue;
    }
    if (f.lang) {
      row[f.name] = langFromBody(v, languages);
      sent[f.name] = row[f.name];
    } else {
      const s = typeof v === 'string' ? v : Object.values(v)[0] ?? '';
      row[f.name] = s;
      sent[f.name] = s;
    }
  }
  if (method !== 'POST' && old) {
    // date_add survives an update unless sent; PUT resets it to now when absent (transcript 033).
    row.date_add = typeof sent.date_add === 'string' ? sent.date_add : method === 'PUT' ? now : old.date_add;
  } else row.date_add = now;
  if (def.fieldByName.has('date_upd')) row.date_upd = now;
  if (!def.fieldByName.has('date_add')) delete row.date_add;

  const declared = new Set(def.associations.map((a) => a.name));
  const writable = new Set(hooks.writableAssociations ?? declared);
  const unknownAssociation = [...entity.associations.keys()].find((name) => !declared.has(name) && name !== 'i18n');
  for (const [name, items] of entity.associations) {
    // When an association block is sent it replaces the whole set (WEBSERVICE.md §3: groups 3,4 left exactly 3,4).
    if (writable.has(name)) (row.associations ??= {})[name] = items;
  }

  hooks.prepare?.(ctx);
  validateObject(def, row, languages[0] ?? '1');
  hooks.beforeSave?.(ctx);

  // Store the normalised form; the echo overlays the raw sent values.
  for (const f of def.fields) {
    const v = row[f.name];
    if (!f.lang && typeof v === 'string' && f.name !== 'id') row[f.name] = normalise(f, v);
    // ObjectModel::formatFields writes a required multi-language field left empty in a language with the
    // default language's text (the in-memory object, hence the POST echo, keeps it empty).
    if (f.lang && f.required && v && typeof v === 'object') {
      const lv = v as LangValue;
      const fallback = lv[languages[0] ?? '1'] ?? '';
      row[f.name] = Object.fromEntries(Object.entries(lv).map(([l, t]) => [l, t === '' ? fallback : t]));
    }
  }
  if (hooks.save) ctx.row = hooks.save(ctx);
  else {
    if (method === 'POST') row.id = String(store.allocateId(def.name));
    store.save(def.name, row);
  }
  hooks.afterSave?.(ctx);
  // Associations are set after add()/update(): an unknown one is refused although the object is saved.
  if (unknownAssociation !== undefined) throw new WsError(400, [{ code: 86, message: `The association "${unknownAssociation}" does not exists` }]);
  return { ctx, sent };
}
