// List queries: display / filter / sort / limit as PrestaShop spells them (WEBSERVICE.md §2).

export interface ListQuery {
  /** 'full' = every field and associations; a field list = those fields only (no associations). */
  display?: 'full' | string[];
  /** field → PrestaShop filter syntax, e.g. `[ERP-1|ERP-2]`, `[1,10]`, `>[17]`, `[ERP-FX]%` (see filterIn/filterEq). */
  filter?: Record<string, string>;
  /** e.g. ['date_upd_ASC', 'id_ASC']. */
  sort?: string[];
  /** N, or [offset, count]. */
  limit?: number | [number, number];
  /** date=1: required to filter or sort on date_add / date_upd. */
  date?: boolean;
  /** Any other query parameter (language, price[...], ...). */
  extra?: Record<string, string>;
}

// Inside a [..] filter these characters are syntax and PrestaShop has no escape for them.
const FILTER_SYNTAX = /[|[\]]/;

function filterValue(value: string | number): string {
  const text = String(value);
  if (FILTER_SYNTAX.test(text)) {
    throw new RangeError(`Value ${JSON.stringify(text)} cannot be used in a PrestaShop filter: it contains "|", "[" or "]"`);
  }
  return text;
}

/** Exact match (case-insensitive on the shop side): `[v]`. */
export function filterEq(value: string | number): string {
  return `[${filterValue(value)}]`;
}

/** OR over values: `[a|b|c]`. An empty list cannot be expressed (it would match everything or nothing). */
export function filterIn(values: ReadonlyArray<string | number>): string {
  if (values.length === 0) throw new RangeError('filterIn needs at least one value');
  return `[${values.map(filterValue).join('|')}]`;
}

const FIELD_NAME = /^[A-Za-z0-9_]+$/;

function field(name: string): string {
  if (!FIELD_NAME.test(name)) throw new RangeError(`Invalid field name in query: ${JSON.stringify(name)}`);
  return name;
}

/** Query parameters in a stable order; values are NOT encoded here (toQueryString does it). */
export function queryParams(q: ListQuery = {}): Array<[string, string]> {
  const params: Array<[string, string]> = [];
  if (q.display !== undefined) {
    params.push(['display', q.display === 'full' ? 'full' : `[${q.display.map(field).join(',')}]`]);
  }
  for (const [name, value] of Object.entries(q.filter ?? {})) params.push([`filter[${field(name)}]`, value]);
  if (q.sort && q.sort.length > 0) params.push(['sort', `[${q.sort.map(field).join(',')}]`]);
  if (q.limit !== undefined) {
    const [offset, count] = Array.isArray(q.limit) ? q.limit : [undefined, q.limit];
    for (const n of [offset, count]) {
      if (n !== undefined && (!Number.isInteger(n) || n < 0)) throw new RangeError(`Invalid limit: ${JSON.stringify(q.limit)}`);
    }
    params.push(['limit', offset === undefined ? String(count) : `${offset},${count}`]);
  }
  if (q.date) params.push(['date', '1']);
  for (const [name, value] of Object.entries(q.extra ?? {})) params.push([name, value]);
  return params;
}

/** `[`, `]`, `|`, `%`, space and `>` must be percent-encoded (WEBSERVICE.md §2 "Encoding pitfall"). */
export function toQueryString(params: Array<[string, string]>): string {
  if (params.length === 0) return '';
  return `?${params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
}
