// The sum of what the ERP will compute from the file must equal the order's total tax excluded to the cent;
// otherwise the order is held (issue 3), because an ERP document with another total is worse than no document.
import { formatEuros, roundToCent, type Micros } from './money.ts';
import type { ErpOrder } from './model.ts';

/** One amount the ERP will compute from the file (a line net amount, shipping, a discount as a negative). */
export interface ExportedAmount {
  label: string;
  amountTaxExcl: Micros;
}

export type CheckResult = { held: false; exportedTaxExcl: Micros } | { held: true; reason: string; exportedTaxExcl: Micros };

export function checkTotals(o: ErpOrder, exported: ExportedAmount[]): CheckResult {
  const sum = roundToCent(exported.reduce((acc, e) => acc + e.amountTaxExcl, 0));
  const expected = roundToCent(o.totals.paidTaxExcl);
  if (sum === expected) return { held: false, exportedTaxExcl: sum };
  return {
    held: true,
    exportedTaxExcl: sum,
    reason: `total des lignes ${formatEuros(sum, o.currency)} ≠ total HT de la commande ${formatEuros(expected, o.currency)}`,
  };
}
