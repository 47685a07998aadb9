// EBP Gestion commerciale exports → the catalogue's canonical lines (transforms/catalog/types.ts): the
// families and sub-families (`ItemFamilies`, `ItemSubFamilies` saved export models) → category lines, the
// article export (`Items`) → product lines. Column captions come from the profile (config/profiles/ebp.yaml,
// EBP_DIVALTO.md §1.5). Pure.
import type { CategoriesFlowProfile, ProductsFlowProfile } from '../../src/erp/profile.ts';
import type { Row } from '../../src/parse/row.ts';
import type { Transformed } from '../../src/pipeline.ts';
import { decimal, Refused, rowToCategory, rowToProduct, vatRateText, type ProductRowOptions } from '../catalog/columns.ts';
import type { CategoryLine, ProductLine } from '../catalog/types.ts';

export type EbpProductOptions = ProductRowOptions;

/**
 * A row of the families export → a category under the root; a row of the sub-families export → a category
 * under its family. `flow`: the profile's categories flow, or the layout `categoriesFileFlow` chose for the
 * file (src/erp/read-flow.ts); a row is a sub-family's when it carries the sub-family code column.
 */
export function ebpCategoryRow(row: Row, flow: CategoriesFlowProfile): Transformed<CategoryLine> {
  const sub = flow.subFamilies;
  if (sub !== undefined && row.values[sub.code] !== undefined) return rowToCategory(row, sub, 'sous-famille');
  return rowToCategory(row, flow.columns, 'famille');
}

/** ActiveState of an EBP item (ERP_FORMATS.md §2.3, database field; its export caption is not known). */
const ACTIVE_STATES: Record<string, boolean> = { '0': true, '1': false, '2': false, '3': false };

/**
 * A row of the article export → a product: `Code article`, `Libellé` (every language: EBP has one
 * designation), `PV HT` (tax excluded, 6 decimals), `Taux de TVA` (8,50 → '8.500'), family / sub-family
 * codes → ['FAM:…', 'SFAM:…'], `Code barre` kept when it has 13 digits. A variant of a range (`Code
 * article gamme`) is its own article in EBP, with its own code: it becomes its own product.
 */
export function ebpArticleToProduct(row: Row, flow: ProductsFlowProfile, options: EbpProductOptions = {}): Transformed<ProductLine> {
  const cols = flow.columns;
  return rowToProduct(row, flow, options, {
    vat(r) {
      if (cols.vatRate === undefined) return null;
      const raw = r.values[cols.vatRate] ?? '';
      if (raw.trim() === '') return null;
      return { rate: vatRateText(decimal(raw, `taux de TVA (${cols.vatRate})`, flow.decimal), cols.vatRate, raw), where: cols.vatRate };
    },
    active(r) {
      if (cols.state === undefined) return true;
      const raw = (r.values[cols.state] ?? '').trim();
      if (raw === '') return true;
      const active = ACTIVE_STATES[raw];
      if (active === undefined) throw new Refused(`état « ${raw} » (${cols.state}) : 0 (actif), 1 (en sommeil), 2 (bloqué) ou 3 (partiellement bloqué) attendu`);
      return active;
    },
  });
}
