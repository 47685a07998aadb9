// An article file described by a column mapping in the configuration (`erp.profile: generic`, or
// `erp.flows.products.columns` for an ERP without a known article export): any CSV, XLSX or XML whose
// columns the integrator names. Pure: the VAT as a rate or a code (`vatCodes`), activity from an `active`
// column in plain words; the other fields as every column export reads them (transforms/catalog/columns.ts).
import type { ProductsFlowProfile } from '../../src/erp/profile.ts';
import type { Row } from '../../src/parse/row.ts';
import type { Transformed } from '../../src/pipeline.ts';
import { columnVat, Refused, rowToProduct, type ProductRowOptions } from './columns.ts';
import type { ProductLine } from './types.ts';

const ACTIVE: Record<string, boolean> = {
  1: true, 0: false, oui: true, non: false, o: true, n: false, true: true, false: false, vrai: true, faux: false,
  actif: true, inactif: false, yes: true, no: false,
};

export function genericArticleToProduct(row: Row, flow: ProductsFlowProfile, options: ProductRowOptions = {}): Transformed<ProductLine> {
  const col = flow.columns.active;
  return rowToProduct(row, flow, options, {
    vat: (r) => columnVat(r, flow),
    active(r) {
      if (col === undefined) return true;
      const raw = (r.values[col] ?? '').trim();
      if (raw === '') return true;
      const active = ACTIVE[raw.toLowerCase()];
      if (active === undefined) throw new Refused(`actif « ${raw} » (${col}) : 1 ou 0, oui ou non attendu`);
      return active;
    },
  });
}
