// In-memory tables, one per resource, with an id index (a Map) and lower-cased value indexes on the
// fields the engine looks rows up by, so that filter[reference]/[id_product]/[id_order] stay O(1)
// under the benchmark's 100,000 requests.

/** Multi-language value: language id -> text. */
export type LangValue = Record<string, string>;
export type AssocRows = Array<Record<string, string>>;
/** A stored object: scalar fields as strings, lang fields as LangValue, plus `associations`. */
export type Row = Record<string, unknown> & { id: string; associations?: Record<string, AssocRows> };

const INDEXED_FIELDS = ['reference', 'id_product', 'id_order', 'email', 'id_customer', 'id_customer_thread', 'name', 'iso_code'];
/** The products of a category: without it each product POST counted its category by a scan (quadratic). */
export const CATEGORY_LINKS = 'associations.categories';

function indexedValues(row: Row, field: string): string[] {
  if (field === CATEGORY_LINKS) return (row.associations?.categories ?? []).map((c) => String(c.id ?? ''));
  const v = row[field];
  return typeof v === 'string' ? [v] : [];
}

class Table {
  readonly rows = new Map<number, Row>();
  nextId = 1;
  readonly indexes = new Map<string, Map<string, Set<number>>>();

  constructor() {
    for (const f of [...INDEXED_FIELDS, CATEGORY_LINKS]) this.indexes.set(f, new Map());
  }

  /** What each row was indexed under when it was put: a row mutated in place and saved again is unindexed
   *  by what it held then, not by its new values (which would leave stale entries). */
  private readonly indexedUnder = new Map<number, Array<[Set<number>, Map<string, Set<number>>, string]>>();

  private unindex(id: number): void {
    for (const [set, index, key] of this.indexedUnder.get(id) ?? []) {
      set.delete(id);
      if (set.size === 0 && index.get(key) === set) index.delete(key);
    }
    this.indexedUnder.delete(id);
  }

  private indexRow(row: Row): void {
    const id = Number(row.id);
    const under: Array<[Set<number>, Map<string, Set<number>>, string]> = [];
    for (const [field, index] of this.indexes) {
      for (const v of indexedValues(row, field)) {
        const key = v.toLowerCase();
        let set = index.get(key);
        if (!set) index.set(key, (set = new Set()));
        set.add(id);
        under.push([set, index, key]);
      }
    }
    this.indexedUnder.set(id, under);
  }

  put(row: Row): void {
    const id = Number(row.id);
    this.unindex(id);
    this.rows.set(id, row);
    this.indexRow(row);
    if (id >= this.nextId) this.nextId = id + 1;
  }

  delete(id: number): boolean {
    if (!this.rows.has(id)) return false;
    this.unindex(id);
    this.rows.delete(id);
    return true;
  }
}

export class Store {
  private readonly tables = new Map<string, Table>();

  private table(resource: string): Table {
    let t = this.tables.get(resource);
    if (!t) this.tables.set(resource, (t = new Table()));
    return t;
  }

  /** Reserves the next auto-increment id (a failed insert may still consume one, as MySQL does). */
  allocateId(resource: string): number {
    const t = this.table(resource);
    return t.nextId++;
  }

  /** Makes the next allocated id at least `next` (used to line up with a recorded shop). */
  setNextId(resource: string, next: number): void {
    const t = this.table(resource);
    if (next > t.nextId) t.nextId = next;
  }

  insert(resource: string, row: Omit<Row, 'id'> & { id?: string }): Row {
    const id = row.id ?? String(this.allocateId(resource));
    const full = { ...row, id } as Row;
    this.table(resource).put(full);
    return full;
  }

  /** Replaces the stored row (same id) and keeps indexes in step. */
  save(resource: string, row: Row): void {
    this.table(resource).put(row);
  }

  get(resource: string, id: number): Row | undefined {
    return this.tables.get(resource)?.rows.get(id);
  }

  delete(resource: string, id: number): boolean {
    return this.tables.get(resource)?.delete(id) ?? false;
  }

  all(resource: string): Row[] {
    return [...(this.tables.get(resource)?.rows.values() ?? [])];
  }

  /** Ids whose `field` equals one of `values` (case-insensitive), or undefined when the field is not indexed. */
  /** How many rows are indexed under `value` for `field`, `except` left out (no rows built). */
  countIndexed(resource: string, field: string, value: string, except?: string): number {
    const set = this.tables.get(resource)?.indexes.get(field)?.get(value.toLowerCase());
    if (!set) return 0;
    return set.size - (except !== undefined && set.has(Number(except)) ? 1 : 0);
  }

  lookup(resource: string, field: string, values: string[]): Row[] | undefined {
    const t = this.tables.get(resource);
    if (!t) return [];
    const index = t.indexes.get(field);
    if (!index) return undefined;
    const ids = new Set<number>();
    for (const v of values) for (const id of index.get(v.toLowerCase()) ?? []) ids.add(id);
    return [...ids].sort((a, b) => a - b).map((id) => t.rows.get(id)).filter((r): r is Row => r !== undefined);
  }
}
