// JSON output as PrestaShop 8.2 writes it (INDEX.md "JSON output"): on GET "id" is a number and the
// other values strings; scalar fields equal to "" or "0" are left out; lang fields become
// [{id, value}]; empty associations are left out; "/" is escaped. A POST echo keeps "id" a string.
import type { FieldDef, ResourceDef } from './catalog.ts';
import type { LangValue, Row } from './store.ts';
import type { RenderCtx } from './render-xml.ts';
import type { WsErrorItem } from './ws-error.ts';

/** Computed floats the shop serialises as numbers. */
const NUMERIC_FIELDS = new Set(['unit_price_ratio']);

export function toJsonText(value: unknown): string {
  return JSON.stringify(value).replaceAll('/', '\\/');
}

export function objectJson(def: ResourceDef, row: Row, ctx: RenderCtx, fields?: FieldDef[], idAsString = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields ?? def.fields) {
    const blank = ctx.echoBlank?.has(f.name) ?? false;
    if (f.name === 'id') { out.id = idAsString ? row.id : Number(row.id); continue; }
    if (f.lang) {
      const v = row[f.name] as LangValue | undefined;
      out[f.name] = ctx.languages.map((l) => ({ id: l, value: blank ? '' : (v?.[l] ?? '') }));
      continue;
    }
    const raw = row[f.name];
    const v = blank || typeof raw !== 'string' ? '' : raw;
    if (v === '' || v === '0') continue;
    out[f.name] = NUMERIC_FIELDS.has(f.name) && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : v;
  }
  if (!fields && def.associations.length) {
    const assoc: Record<string, unknown> = {};
    for (const a of def.associations) {
      const items = row.associations?.[a.name] ?? [];
      if (items.length) assoc[a.name] = items.map((it) => Object.fromEntries(a.fields.map((f) => [f.name, it[f.name] ?? ''])));
    }
    if (Object.keys(assoc).length) out.associations = assoc;
  }
  return out;
}

export function singleJson(def: ResourceDef, row: Row, ctx: RenderCtx, idAsString = false): string {
  return toJsonText({ [def.node]: objectJson(def, row, ctx, undefined, idAsString) });
}

export function listJson(def: ResourceDef, rows: Row[], ctx: RenderCtx, display: 'full' | FieldDef[] | undefined): string {
  if (rows.length === 0) return '[]';
  const items = rows.map((r) => (display === undefined ? { id: Number(r.id) } : objectJson(def, r, ctx, display === 'full' ? undefined : display)));
  return toJsonText({ [def.name]: items });
}

export function errorsJson(errors: WsErrorItem[]): string {
  return toJsonText({ errors: errors.map((e) => ({ code: e.code, message: e.message })) });
}
