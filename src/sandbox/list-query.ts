// GET list parameters: display, filter[f], sort, limit, language, date (INDEX.md "Lists").
import type { FieldDef, ResourceDef } from './catalog.ts';
import type { LangValue, Row, Store } from './store.ts';
import { WsError, listQueryWarnings } from './ws-error.ts';

export interface ListQuery {
  display: 'full' | FieldDef[] | undefined;
  languages: string[];
}

type Matcher = (value: string) => boolean;

const DATE_FIELDS = new Set(['date_add', 'date_upd']);

function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;
}

function closest(word: string, candidates: string[]): string {
  let best = candidates[0] ?? '';
  let bestScore = Infinity;
  for (const c of candidates) {
    const d = levenshtein(word, c);
    if (d < bestScore) { bestScore = d; best = c; }
  }
  return best;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}

/** Parses one filter value into a predicate, plus the exact values when it is a plain [a|b] list (index fast path). */
export function parseFilter(raw: string): { match: Matcher; exact?: string[] } {
  const lc = (s: string): string => s.toLowerCase();
  let m = /^\[(.*)\]%$/s.exec(raw);
  if (m) { const v = lc(m[1] ?? ''); return { match: (x) => lc(x).startsWith(v) }; }
  m = /^%\[(.*)\]%$/s.exec(raw);
  if (m) { const v = lc(m[1] ?? ''); return { match: (x) => lc(x).includes(v) }; }
  m = /^%\[(.*)\]$/s.exec(raw);
  if (m) { const v = lc(m[1] ?? ''); return { match: (x) => lc(x).endsWith(v) }; }
  m = /^!\[(.*)\]$/s.exec(raw);
  if (m) { const vs = (m[1] ?? '').split('|').map(lc); return { match: (x) => !vs.includes(lc(x)) }; }
  m = /^>\[(.*)\]$/s.exec(raw);
  if (m) { const v = m[1] ?? ''; return { match: (x) => compare(x, v) > 0 }; }
  m = /^<\[(.*)\]$/s.exec(raw);
  if (m) { const v = m[1] ?? ''; return { match: (x) => compare(x, v) < 0 }; }
  m = /^\[(.*)\]$/s.exec(raw);
  if (m) {
    const inner = m[1] ?? '';
    const interval = /^([^,|]*),([^,|]*)$/.exec(inner);
    if (interval) {
      const lo = interval[1] ?? '';
      const hi = interval[2] ?? '';
      return { match: (x) => compare(x, lo) >= 0 && compare(x, hi) <= 0 };
    }
    const vs = inner.split('|');
    const set = new Set(vs.map(lc));
    return { match: (x) => set.has(lc(x)), exact: vs };
  }
  return { match: (x) => lc(x) === lc(raw), exact: [raw] };
}

function parseBracketList(raw: string): string[] {
  const inner = /^\[(.*)\]$/s.exec(raw)?.[1] ?? raw;
  return inner.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function parseLanguages(raw: string | undefined, all: string[]): string[] {
  if (raw === undefined) return all;
  const inner = /^\[(.*)\]$/.exec(raw)?.[1] ?? raw;
  const interval = /^(\d+),(\d+)$/.exec(inner);
  if (interval) return all.filter((l) => Number(l) >= Number(interval[1]) && Number(l) <= Number(interval[2]));
  const wanted = inner.split('|');
  return all.filter((l) => wanted.includes(l));
}

/** Runs a list query against the store. Throws WsError for the shop's 500 list errors. */
export function runListQuery(def: ResourceDef, store: Store, query: Record<string, string>, allLanguages: string[], inShop?: (row: Row) => boolean): { rows: Row[]; q: ListQuery } {
  const languages = parseLanguages(query.language, allLanguages);
  const dateAllowed = query.date === '1';
  const fail = (code: number, message: string): never => { throw new WsError(500, [{ code, message }, ...listQueryWarnings()]); };

  // display
  let display: ListQuery['display'];
  if (query.display === 'full') display = 'full';
  else if (query.display !== undefined) {
    const names = parseBracketList(query.display);
    const available = def.fields.map((f) => f.name).join(', ');
    for (const n of names) {
      if (!def.fieldByName.has(n)) fail(35, `Unable to display this field "${n}". However, these are available: ${available}`);
    }
    // The shop outputs the fields in the resource's order, not the order asked.
    display = def.fields.filter((f) => names.includes(f.name));
  }

  // filters
  const filterable = def.fields.filter((f) => !f.lang && (dateAllowed || !DATE_FIELDS.has(f.name)));
  const filters: Array<{ field: FieldDef; match: Matcher; exact?: string[] }> = [];
  for (const [key, raw] of Object.entries(query)) {
    const m = /^filter\[(\w+)\]$/.exec(key);
    if (!m?.[1]) continue;
    const field = def.fieldByName.get(m[1]);
    if (!field || (!dateAllowed && DATE_FIELDS.has(field.name))) {
      const names = filterable.map((f) => f.name);
      fail(32, `This filter does not exist. Did you mean: "${closest(m[1], names)}"? The full list is: ${names.map((n) => `"${n}"`).join(', ')}`);
      continue;
    }
    filters.push({ field, ...parseFilter(raw) });
  }

  // sort
  const sortKeys: Array<{ field: FieldDef; desc: boolean }> = [];
  if (query.sort !== undefined) {
    for (const part of parseBracketList(query.sort)) {
      const m = /^(\w+)_(ASC|DESC)$/i.exec(part);
      const field = m?.[1] ? def.fieldByName.get(m[1]) : undefined;
      if (!m || !field) {
        const plain = def.fields.filter((f) => !f.lang && !DATE_FIELDS.has(f.name)).map((f) => f.name);
        const i18n = def.fields.filter((f) => f.lang).map((f) => f.name);
        fail(38, `Unable to filter by this field. However, these are available: ${plain.join(', ')}${i18n.length ? `, for i18n fields:${i18n.join(', ')}` : ''}`);
        continue;
      }
      sortKeys.push({ field, desc: (m[2] ?? '').toUpperCase() === 'DESC' });
    }
  }

  // candidates: use the id map or a value index when the first exact filter allows it
  let rows: Row[] | undefined;
  const indexed = filters.find((f) => f.exact && !f.field.lang);
  if (indexed?.exact) {
    if (indexed.field.name === 'id') {
      rows = [...new Set(indexed.exact.map(Number))].sort((a, b) => a - b)
        .map((id) => store.get(def.name, id)).filter((r): r is Row => r !== undefined);
    } else rows = store.lookup(def.name, indexed.field.name, indexed.exact);
  }
  rows ??= store.all(def.name).sort((a, b) => Number(a.id) - Number(b.id));
  // the request's shop context (multistore.ts), before sort and limit like the shop's SQL WHERE
  if (inShop) rows = rows.filter(inShop);

  const valueOf = (row: Row, f: FieldDef): string[] => {
    const v = row[f.name];
    if (f.lang) {
      const lv = (v ?? {}) as LangValue;
      return languages.map((l) => lv[l] ?? '');
    }
    return [typeof v === 'string' ? v : ''];
  };
  if (filters.length) rows = rows.filter((row) => filters.every((f) => valueOf(row, f.field).some((v) => f.match(v))));

  if (sortKeys.length) {
    rows = [...rows].sort((a, b) => {
      for (const k of sortKeys) {
        const c = compare(valueOf(a, k.field)[0] ?? '', valueOf(b, k.field)[0] ?? '');
        if (c !== 0) return k.desc ? -c : c;
      }
      return 0;
    });
  }

  if (query.limit !== undefined) {
    const m = /^\s*(\d+)\s*(?:,\s*(\d+)\s*)?$/.exec(query.limit);
    if (!m) rows = []; // the shop answers limit=abc with an empty list
    else if (m[2] === undefined) rows = rows.slice(0, Number(m[1]));
    else rows = rows.slice(Number(m[1]), Number(m[1]) + Number(m[2]));
  }
  return { rows, q: { display, languages } };
}
