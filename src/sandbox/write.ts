// The webservice write flow (resources.json webservice.write_flow): id rules, read-only fields,
// required fields, PUT resets what was not sent, PATCH keeps it, then validation, then save.
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
  /** Side effects once stored (stock row creation...). */
  afterSave?(ctx: WriteCtx): void;
  /** Fields computed on every POST (echoed although not sent). */
  computed?: string[];
  /** Fields the class ignores in the request (the echo shows them empty, e.g. orders.current_state). */
  ignoreFields?: string[];
  /** Replaces the default insert/update (orders are built from the cart); returns the stored row. */
  save?(ctx: WriteCtx): Row;
  /** Before a DELETE removes the row (clean-up of linked rows). */
  onDelete?(id: number): void;
}

/** Normalised stored form of a scalar, as the database gives it back. */
export function normalise(f: FieldDef, v: string): string {
  switch (f.type) {
    case 'int': return v === '' ? '0' : String(Number.parseInt(v, 10) || 0);
    case 'bool': return v === '' || v === '0' || v === 'false' ? '0' : '1';
    case 'float': return (Number.parseFloat(v) || 0).toFixed(6);
    case 'date': return v === '' ? '0000-00-00 00:00:00' : v;
    default: return v;
  }
}

const notWritable = (name: string): WsErrorItem => ({ code: 93, message: `parameter "${name}" not writable. Please remove this attribute of this XML` });

/** Builds the row to save. Throws WsError with the shop's codes. Returns the row and the raw sent values (for the echo). */
export function applyWrite(
  def: ResourceDef, store: Store, method: WriteMethod, entity: ParsedEntity, urlId: number | undefined,
  hooks: ResourceHooks, now: string, languages: string[],
): { ctx: WriteCtx; sent: Record<string, unknown> } {
  const bodyId = entity.fields.get('id');
  let id: number | undefined;
  if (method === 'POST') {
    if (bodyId !== undefined) throw new WsError(400, [{ code: 91, message: 'id is forbidden when adding a new resource' }]);
  } else {
    if (bodyId === undefined || typeof bodyId !== 'string' || bodyId === '') throw new WsError(400, [{ code: 90, message: 'id is required when modifying a resource' }]);
    id = Number(bodyId); // the id in the body wins over the URL (transcript 037)
    void urlId;
  }
  const old = id !== undefined ? store.get(def.name, id) : undefined;
  if (method !== 'POST' && !old) throw new WsError(404, [{ code: 92, message: `Invalid ID` }]);

  const row: Row = method === 'PATCH' && old ? structuredClone(old) : { id: old?.id ?? '', associations: structuredClone(old?.associations ?? {}) };
  const ctx: WriteCtx = { def, store, method, entity, row, old, now, languages, computed: new Set(['id', 'date_add', 'date_upd', ...(hooks.computed ?? [])]) };

  const errors: WsErrorItem[] = [...(hooks.warnings?.(ctx) ?? [])];
  const readOnlySent = def.fields.find((f) => f.readOnly && entity.fields.has(f.name));
  if (readOnlySent) errors.push(notWritable(readOnlySent.name));
  // A PHP warning alone is a 500; mixed with a 4xx code the 4xx status wins (026/027/028).
  if (errors.length) throw new WsError(errors.some((e) => e.code !== 3) ? 400 : 500, errors);

  const sent: Record<string, unknown> = {};
  for (const f of def.fields) {
    if (f.name === 'id' || f.readOnly) continue;
    const v = hooks.ignoreFields?.includes(f.name) ? undefined : entity.fields.get(f.name);
    if (v === undefined) {
      if (method === 'PATCH') continue;
      if (f.required && !f.lang) throw new WsError(400, [{ code: 41, message: `parameter "${f.name}" required` }]);
      // PUT and POST reset what was not sent (PUT is a full replacement, transcripts 032/033).
      // (stored normalised below, after validation: '' skips validation like PHP's empty())
      row[f.name] = f.lang ? Object.fromEntries(languages.map((l) => [l, ''])) : '';
      continue;
    }
    if (f.lang) {
      const lv = typeof v === 'string' ? {} : v;
      const base: LangValue = method === 'PATCH' && old ? { ...(old[f.name] as LangValue | undefined) } : Object.fromEntries(languages.map((l) => [l, '']));
      row[f.name] = { ...base, ...lv };
      sent[f.name] = { ...base, ...lv };
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

  for (const [name, items] of entity.associations) {
    if (def.associations.some((a) => a.name === name)) (row.associations ??= {})[name] = items;
  }

  hooks.prepare?.(ctx);
  validateObject(def, row, '1');
  hooks.beforeSave?.(ctx);

  // Store the normalised form; the echo overlays the raw sent values.
  for (const f of def.fields) {
    const v = row[f.name];
    if (!f.lang && typeof v === 'string' && f.name !== 'id') row[f.name] = normalise(f, v);
  }
  if (hooks.save) ctx.row = hooks.save(ctx);
  else {
    if (method === 'POST') row.id = String(store.allocateId(def.name));
    store.save(def.name, row);
  }
  hooks.afterSave?.(ctx);
  return { ctx, sent };
}
