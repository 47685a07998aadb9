// Reproduces, inside a fresh sandbox, the objects the recorded shop already held before the
// transcripts were recorded (demo data and earlier throw-away runs), and lines the auto-increment
// counters up with it, so that ids in later requests (products/30, orders/12, ...) mean the same thing.
// The objects are read back from the transcripts' own answers: whatever a transcript showed of an
// object older than the run is inserted with those values.
import type { ShopState } from '../../../src/sandbox/state.ts';
import type { LangValue } from '../../../src/sandbox/store.ts';
import { resourceDef, supportedResources } from '../../../src/sandbox/catalog.ts';
import { loadTranscripts } from './transcripts.ts';

/** First id the recording created in each table (from the POST answers, INDEX.md). */
export const RECORDED_NEXT_IDS: Record<string, number> = {
  categories: 13, products: 30, stock_availables: 69, images: 30, groups: 7, customers: 6, addresses: 15,
  specific_prices: 12, carts: 11, orders: 11, order_details: 13, order_histories: 23, order_carriers: 11,
  order_invoices: 7, customer_threads: 3, customer_messages: 5,
};

/** Transcripts recorded later on a fresh install of the same shop (INDEX.md): before replaying the first of
 *  them, the counters jump to that install's ids. */
export const LATER_SESSIONS: Record<string, Record<string, number>> = {
  145: { products: 1322, stock_availables: 1361 },
};

const nodeToResource = new Map(supportedResources().map((r) => [resourceDef(r)?.node ?? '', r]));

function parseAssociations(block: string): Record<string, Array<Record<string, string>>> {
  const out: Record<string, Array<Record<string, string>>> = {};
  for (const a of block.matchAll(/^<(\w+) nodeType="(\w+)"[^>]*[^/]>\n([\s\S]*?)^<\/\1>$/gm)) {
    const items: Array<Record<string, string>> = [];
    for (const it of (a[3] ?? '').matchAll(new RegExp(`^\\t<${a[2] ?? ''}[^>]*>\\n([\\s\\S]*?)^\\t</${a[2] ?? ''}>$`, 'gm'))) {
      const rec: Record<string, string> = {};
      for (const f of (it[1] ?? '').matchAll(/^\t<(\w+)[^>]*><!\[CDATA\[(.*?)\]\]><\/\1>$/gm)) rec[f[1] ?? ''] = f[2] ?? '';
      items.push(rec);
    }
    out[a[1] ?? ''] = items;
  }
  return out;
}

function parseObject(block: string): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  const assocStart = block.indexOf('<associations>');
  if (assocStart !== -1) row.associations = parseAssociations(block.slice(assocStart));
  for (const m of (assocStart === -1 ? block : block.slice(0, assocStart)).matchAll(/^\t<(\w+)[^>]*>(.*)<\/\1>$/gm)) {
    const [, name, inner] = m;
    if (!name || inner === undefined) continue;
    if (inner.startsWith('<language')) {
      const lv: LangValue = {};
      for (const l of inner.matchAll(/<language id="(\d+)"[^>]*><!\[CDATA\[(.*?)\]\]><\/language>/gs)) lv[l[1] ?? ''] = l[2] ?? '';
      row[name] = lv;
    } else row[name] = /^<!\[CDATA\[(.*)\]\]>$/s.exec(inner)?.[1] ?? '';
  }
  return row;
}

export function recordingFixture(state: ShopState): void {
  const seen = new Map<string, Map<number, Record<string, unknown>>>();
  for (const t of loadTranscripts()) {
    const body = t.response.body ?? '';
    if (!body.startsWith('<?xml') || t.request.method !== 'GET') continue;
    for (const m of body.matchAll(/^<(\w+)>\n(\t<id>[\s\S]*?)^<\/\1>$/gm)) {
      const resource = nodeToResource.get(m[1] ?? '');
      if (!resource) continue;
      const obj = parseObject(m[2] ?? '');
      const id = Number(obj.id);
      if (!id || id >= (RECORDED_NEXT_IDS[resource] ?? Infinity)) continue;
      const table = seen.get(resource) ?? new Map<number, Record<string, unknown>>();
      seen.set(resource, table);
      table.set(id, { ...obj, ...(table.get(id) ?? {}) });
    }
    // Lists without display (ids only) still prove an object exists.
    for (const m of body.matchAll(/^<(\w+) id="(\d+)" xlink:href="[^"]*\/api\/(\w+)\/\d+"\/>$/gm)) {
      const resource = m[3] ?? '';
      const id = Number(m[2]);
      if (!resourceDef(resource) || id >= (RECORDED_NEXT_IDS[resource] ?? Infinity)) continue;
      const table = seen.get(resource) ?? new Map<number, Record<string, unknown>>();
      seen.set(resource, table);
      if (!table.has(id)) table.set(id, { id: String(id) });
    }
  }
  for (const [resource, table] of seen) {
    const def = resourceDef(resource);
    for (const [id, obj] of table) {
      if (state.store.get(resource, id)) continue; // the default seed already has it (languages, states...)
      const row: Record<string, unknown> = {};
      for (const f of def?.fields ?? []) row[f.name] = f.lang ? { 1: '', 2: '' } : '';
      state.store.insert(resource, { ...row, ...obj, id: String(id), associations: (obj.associations as Record<string, never> | undefined) ?? {} });
    }
  }
  for (const [resource, next] of Object.entries(RECORDED_NEXT_IDS)) state.store.setNextId(resource, next);
}
