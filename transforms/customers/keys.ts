// Identity map keys of the groups the customers flow owns (contract of issue 9 with the prices flow):
// `tarif:<n>` Sage price category n (no leading zeros), `famille:<CODE>` EBP customer family,
// `tarif:<CODE>` Divalto tariff code, `compta:<x>` an accounting category / territoriality mapped in
// customers.accountingGroups.
import { normalizeKey } from '../common/numbers.ts';

export function groupKeyOfPriceCategory(n: string | number): string {
  return `tarif:${Number(n)}`;
}
export function groupKeyOfCustomerFamily(code: string): string {
  return `famille:${normalizeKey(code).toUpperCase()}`;
}
export function groupKeyOfAccountingCategory(c: string | number): string {
  const t = String(c).trim();
  return `compta:${/^\d+$/.test(t) ? Number(t) : normalizeKey(t).toUpperCase()}`;
}
/** The customer key of an ERP account code, as the identity map stores it (entity `customer`). */
export function customerKeyOf(code: string): string {
  return normalizeKey(code).toUpperCase();
}
