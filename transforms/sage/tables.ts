// The reference tables a Format Sage transform reads (`ctx.document.tables`: this export's rows over the
// earlier exports'), typed, and the catalogue's labels → node index.
import { normalizeKey } from '../common/numbers.ts';
import { looseLabel } from './keys.ts';
import type { SageCatalogueRow, SageFamilyRow, SageTaxRow, SageUnitRow } from './rows.ts';

export type SageTables = ReadonlyMap<string, ReadonlyMap<string, unknown>>;

function table<T>(tables: SageTables, name: string): ReadonlyMap<string, T> {
  return (tables.get(name) as ReadonlyMap<string, T> | undefined) ?? new Map<string, T>();
}

export const taxes = (t: SageTables, code: string) => table<SageTaxRow>(t, 'taxes').get(normalizeKey(code));
export const family = (t: SageTables, code: string) => table<SageFamilyRow>(t, 'families').get(normalizeKey(code));
export const unit = (t: SageTables, index: string) => table<SageUnitRow>(t, 'units').get(index.trim());
export const defaultAccountingCategory = (t: SageTables) =>
  (table<{ accountingCategory: string }>(t, 'settings').get('CCOM')?.accountingCategory ?? '').trim() || undefined;

export function hasCatalogue(t: SageTables): boolean {
  return table(t, 'catalogue').size > 0;
}

const indexes = new WeakMap<object, Map<string, string[]>>();
/** The node a path of labels names (compared as Sage does: case-insensitive, trimmed), as its own labels. */
export function catalogueNode(t: SageTables, labels: readonly string[]): string[] | undefined {
  const nodes = table<SageCatalogueRow>(t, 'catalogue');
  let index = indexes.get(nodes);
  if (!index) {
    index = new Map();
    for (const n of nodes.values()) if (n.path) index.set(n.path.map(looseLabel).join('\u0000'), n.path);
    indexes.set(nodes, index);
  }
  return index.get(labels.map(looseLabel).join('\u0000'));
}
