// Divalto Infinity article workbook (« Import - Export » sheet whose FICHE column gives each row's record
// type, EBP_DIVALTO.md §2.4) → the catalogue's product lines (transforms/catalog/types.ts). Only the `ART`
// rows are articles; field names are the ART table's (§2.5). Pure.
import type { ProductsFlowProfile } from '../../src/erp/profile.ts';
import type { Row } from '../../src/parse/row.ts';
import type { Transformed } from '../../src/pipeline.ts';
import { normalizeKey } from '../common/numbers.ts';
import { columnVat, Refused, rowToProduct, type ProductRowOptions } from '../catalog/columns.ts';
import type { ProductLine } from '../catalog/types.ts';

export interface DivaltoProductOptions extends ProductRowOptions {
  /** yyyy-mm-dd: an article whose end of validity (ART.HSDT) is today or earlier is inactive. */
  today: string;
}

/**
 * An `ART` row → a product: REF, ART.DES (every language), the sale price tax excluded, the VAT code
 * ART.TVAART through the profile's `vatCodes`, ART.FAM_0001 → ['FAM:…'] when the profile declares it,
 * ART.EAN when it has 13 digits, ART.POIN in kg, ART.VENUN, inactive from ART.HSDT. Another record type
 * (LART, SART…) is reported, not read.
 */
export function divaltoArticleToProduct(row: Row, flow: ProductsFlowProfile, options: DivaltoProductOptions): Transformed<ProductLine> {
  const cols = flow.columns;
  if (cols.recordType !== undefined && row.error === undefined) {
    const type = (row.values[cols.recordType] ?? '').trim();
    if (!flow.recordTypes.some((t) => t.toUpperCase() === type.toUpperCase())) {
      const reference = normalizeKey(row.values[cols.reference] ?? '');
      const what = type === '' ? `${cols.recordType} vide` : `fiche « ${type} »`;
      return { line: row.line, ...(reference ? { key: reference } : {}), reject: `${what} : pas un article (seules les fiches ${flow.recordTypes.join(', ')} sont lues)` };
    }
  }
  return rowToProduct(row, flow, options, {
    vat: (r) => columnVat(r, flow),
    active(r) {
      if (cols.endDate === undefined) return true;
      const raw = (r.values[cols.endDate] ?? '').trim();
      if (raw === '') return true;
      return isoDay(raw, cols.endDate) > options.today;
    },
  });
}

/** A workbook date cell comes out ISO (src/parse/xlsx); a text cell may hold dd/mm/yyyy. */
function isoDay(raw: string, col: string): string {
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$/.exec(raw);
  const fr = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(raw);
  const day = iso ? `${iso[1]}-${iso[2]}-${iso[3]}` : fr ? `${fr[3]}-${fr[2]}-${fr[1]}` : '';
  // a day that does not exist (31/02) is refused rather than rolled over into March
  const time = day === '' ? NaN : Date.parse(`${day}T00:00:00Z`);
  if (!Number.isNaN(time) && new Date(time).toISOString().startsWith(day)) return day;
  throw new Refused(`date de fin de validité « ${raw} » (${col}) : date attendue (aaaa-mm-jj ou jj/mm/aaaa)`);
}

/**
 * The rows that describe articles (FICHE ART): a Divalto workbook also carries LART, SART… rows (texts,
 * stocks of the article) that are not products. Those are left out and counted by type in `skipped`, for a
 * remark — not rejects, which would make every such workbook « partiel ». A row already in error is kept
 * (its reason is reported).
 */
export function articleRecordsOnly(rows: readonly Row[], flow: ProductsFlowProfile, skipped: Map<string, number>): Row[] {
  const col = flow.columns.recordType;
  if (col === undefined) return rows as Row[];
  const wanted = new Set(flow.recordTypes.map((t) => t.toUpperCase()));
  return rows.filter((r) => {
    const type = (r.values[col] ?? '').trim().toUpperCase();
    if (r.error !== undefined || type === '' || wanted.has(type)) return true;
    skipped.set(type, (skipped.get(type) ?? 0) + 1);
    return false;
  });
}
