// A line of an hourly price file (reference;price, columns named by the profile's `prices` flow) → the
// base price of an article. Pure. A price that cannot be read for sure is a reject naming its line and
// column: a wrong price would be on sale.
import type { PricesFlowProfile } from '../../src/erp/profile.ts';
import type { Row } from '../../src/parse/row.ts';
import type { Transformed } from '../../src/pipeline.ts';
import { normalizeKey, parseDecimal } from '../common/numbers.ts';
import { sixDecimals, type BasePriceLine } from './types.ts';

export function basePriceRow(row: Row, flow: PricesFlowProfile): Transformed<BasePriceLine> {
  if (row.error) return { line: row.line, reject: row.error };
  const cols = flow.columns;
  const reference = normalizeKey(row.values[cols.reference] ?? '');
  if (reference === '') return { line: row.line, reject: `référence vide (colonne ${cols.reference})` };
  const raw = row.values[cols.price] ?? '';
  const p = parseDecimal(raw, { decimal: flow.decimal });
  if (!p.ok) return { line: row.line, key: reference, reject: `article ${reference} : prix (colonne ${cols.price}) : ${p.reason}` };
  if (p.value < 0) return { line: row.line, key: reference, reject: `article ${reference} : prix négatif (colonne ${cols.price}) : ${raw.trim()}` };
  return { line: row.line, key: reference, record: { reference, priceTaxExcl: sixDecimals(p.value) } };
}
