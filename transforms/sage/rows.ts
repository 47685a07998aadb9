// Format Sage records → named rows, by the line numbers of SAGE_MASTER_DATA.md (#VER 33). Values stay as
// Sage wrote them (never trimmed: the mapping trims); rows are plain JSON, since the engine spools them.
// The only place that knows which line holds what.
import type { SageRecord } from '../../src/erp/format-sage/read.ts';

/** Field `n` as the layout tables number it (line 1 = first line after the flag). */
function at(r: SageRecord, n: number): string {
  return r.fields[n - 1] ?? '';
}

/** One 14-line block of #CACP / #CFAC (§6): the sales VAT code is block line 5 of a type-1 block. */
export interface AccountingBlock {
  /** 1 ventes, 2 achats, 3 stocks */
  type: string;
  /** catégorie comptable 1–50 */
  category: string;
  account: string;
  taxCode1: string;
  /** date from which taxCode1 applies (JJMMAA); before it, oldTaxCode1 */
  taxDate1: string;
  oldTaxCode1: string;
  /** physical line of the block's first line */
  line: number;
}

function blocks(records: readonly SageRecord[]): AccountingBlock[] {
  const out: AccountingBlock[] = [];
  for (const r of records) {
    for (let k = 0; 14 * k < r.fields.length; k++) {
      const b = 14 * k;
      out.push({ type: at(r, b + 1), category: at(r, b + 2), account: at(r, b + 3), taxCode1: at(r, b + 5), taxDate1: at(r, b + 9), oldTaxCode1: at(r, b + 12), line: r.line + b + 1 });
    }
  }
  return out;
}

/** #MTAX (§7): a tax code and its rate. */
export interface SageTaxRow { code: string; label: string; rateType: string; rate: string; taxType: string; direction: string; line: number }
export function taxRow(r: SageRecord): SageTaxRow {
  return { code: at(r, 6), label: at(r, 1), rateType: at(r, 2), rate: at(r, 3), taxType: at(r, 4), direction: at(r, 8), line: r.line };
}

/** #CCCL (§11): 32 price categories, line 2n−1 label, 2n 0 HT / 1 TTC. Empty labels are unused slots. */
export interface SagePriceCategoryRow { index: string; label: string; priceType: string }
export function priceCategoryRows(r: SageRecord): SagePriceCategoryRow[] {
  const out: SagePriceCategoryRow[] = [];
  for (let n = 1; 2 * n <= r.fields.length; n++) {
    const label = at(r, 2 * n - 1);
    if (label.trim() !== '') out.push({ index: String(n), label, priceType: at(r, 2 * n) });
  }
  return out;
}

/** #CPAI (§11): a country by its label (what #CCLI 13 and #CCDL 7 name). */
export interface SageCountryRow { label: string; code: string; iso2: string; zone: string }
export function countryRow(r: SageRecord): SageCountryRow {
  return { label: at(r, 1), code: at(r, 2), iso2: at(r, 6), zone: at(r, 8) };
}

/** #CUAV (§11): 30 units × 5 lines; the article's unit is its index (#CART 10). */
export interface SageUnitRow { index: string; label: string }
export function unitRows(r: SageRecord): SageUnitRow[] {
  const out: SageUnitRow[] = [];
  for (let n = 1; 5 * n <= r.fields.length; n++) {
    const label = at(r, 5 * n - 4);
    if (label.trim() !== '') out.push({ index: String(n), label });
  }
  return out;
}

/** #CCOM (§11): the defaults for web customers — catégorie tarifaire 1, catégorie comptable 2. */
export interface SageSettingsRow { priceCategory: string; accountingCategory: string }
export function settingsRow(r: SageRecord): SageSettingsRow {
  return { priceCategory: at(r, 1), accountingCategory: at(r, 2) };
}

/** #CCATAL (§4): a catalogue node. `path`: the labels root → this node (trimmed), resolved by the reader
 *  from the nodes before it; null (and `problem` says why) when it cannot be placed. */
export interface SageCatalogueRow {
  label: string; code: string; level: string; parentLabel: string; path: string[] | null; problem?: string; line: number;
  /** The path the node had in the earlier exports, when it moved (transforms/sage/moves.ts). */
  movedFrom?: string[];
  /** In the reference table, the row of a path a node left: that path and where the node went. */
  oldPath?: string[];
  movedTo?: string[];
}
export function catalogueRow(r: SageRecord, path: string[] | null, problem?: string): SageCatalogueRow {
  return { label: at(r, 1), code: at(r, 2), level: at(r, 4), parentLabel: at(r, 5), path, ...(problem ? { problem } : {}), line: r.line };
}

/** #CFAM (§2) with its #CFAC blocks (§2.1). */
export interface SageFamilyRow {
  code: string; type: string; label: string; weightUnit: string; centralising: string; published: string;
  /** #CFAM 34–37: the family's default catalogue labels */
  catalogue: string[];
  accounting: AccountingBlock[];
  line: number;
}
export function familyRow(r: SageRecord): SageFamilyRow {
  return {
    code: at(r, 1), type: at(r, 2), label: at(r, 3), weightUnit: at(r, 16), centralising: at(r, 10), published: at(r, 31),
    catalogue: [at(r, 34), at(r, 35), at(r, 36), at(r, 37)],
    accounting: blocks(r.children.filter((c) => c.flag === '#CFAC')),
    line: r.line,
  };
}

/** #CART (§3) with its #CACP blocks (§6). */
export interface SageArticleRow {
  reference: string; designation: string; family: string;
  weightUnit: string; netWeight: string; grossWeight: string; salesUnit: string;
  price: string; priceType: string; asleep: string;
  language1: string; language2: string; barcode: string; published: string;
  /** #CART 60–63: catalogue labels, level 1 → 4 */
  catalogue: string[];
  /** false: no #CACP at all (the family's #CFAC applies) */
  hasAccounting: boolean;
  accounting: AccountingBlock[];
  line: number;
}
export function articleRow(r: SageRecord): SageArticleRow {
  const acp = r.children.filter((c) => c.flag === '#CACP');
  return {
    reference: at(r, 1), designation: at(r, 2), family: at(r, 3),
    weightUnit: at(r, 7), netWeight: at(r, 8), grossWeight: at(r, 9), salesUnit: at(r, 10),
    price: at(r, 13), priceType: at(r, 24), asleep: at(r, 28),
    language1: at(r, 31), language2: at(r, 32), barcode: at(r, 34), published: at(r, 49),
    catalogue: [at(r, 60), at(r, 61), at(r, 62), at(r, 63)],
    hasAccounting: acp.length > 0,
    accounting: blocks(acp),
    line: r.line,
  };
}

/** #CACL (§8) of an article, with its #CATQ brackets and #CATG range-value prices. */
export interface SageTariffRow {
  article: string; articleLine: number;
  /** 0: a client's own tariff (client = line 9); 1–32: a price category (#CCCL) */
  category: string; price: string; coefficient: string; discount: string; roundMode: string;
  discountRange: string; priceType: string; currency: string; client: string; newPriceDate: string;
  brackets: Array<{ type: string; upper: string; discount: string; netPrice: string }>;
  rangePrices: Array<{ value1: string; value2: string; price: string }>;
  line: number;
}
export function tariffRow(r: SageRecord, article: SageRecord): SageTariffRow {
  const brackets: SageTariffRow['brackets'] = [];
  const rangePrices: SageTariffRow['rangePrices'] = [];
  for (const c of r.children) {
    if (c.flag === '#CATQ') for (let b = 0; b + 4 <= c.fields.length; b += 4) brackets.push({ type: at(c, b + 1), upper: at(c, b + 2), discount: at(c, b + 3), netPrice: at(c, b + 4) });
    if (c.flag === '#CATG') for (let b = 0; b + 6 <= c.fields.length; b += 6) rangePrices.push({ value1: at(c, b + 1), value2: at(c, b + 2), price: at(c, b + 3) });
  }
  return {
    article: at(article, 1), articleLine: article.line,
    category: at(r, 1), price: at(r, 2), coefficient: at(r, 3), discount: at(r, 4), roundMode: at(r, 5),
    discountRange: at(r, 6), priceType: at(r, 7), currency: at(r, 8), client: at(r, 9), newPriceDate: at(r, 13),
    brackets, rangePrices, line: r.line,
  };
}

/** #CCLI (§9) with its delivery places #CCDL (§10) and contacts #MCTT. */
export interface SageClientRow {
  number: string; prospect: string; quality: string; name: string; shortName: string; contact: string;
  address: string; address2: string; postcode: string; city: string; region: string; country: string;
  accountingCategory: string; priceCategory: string; siret: string; vatNumber: string; creditControl: string;
  asleep: string; phone: string; email: string; taxStatus: string;
  /** #CCLI 14–23: énumérés statistiques 1–10 */
  statistics: string[];
  deliveries: Array<{ label: string; address: string; address2: string; postcode: string; city: string; region: string; country: string; contact: string; main: string; phone: string; email: string; billing: string; line: number }>;
  contacts: Array<{ lastName: string; firstName: string; phone: string; mobile: string; email: string; civility: string; line: number }>;
  line: number;
}
export function clientRow(r: SageRecord): SageClientRow {
  return {
    number: at(r, 1), prospect: at(r, 2), quality: at(r, 4), name: at(r, 5), shortName: at(r, 6), contact: at(r, 7),
    address: at(r, 8), address2: at(r, 9), postcode: at(r, 10), city: at(r, 11), region: at(r, 12), country: at(r, 13),
    accountingCategory: at(r, 32), priceCategory: at(r, 37), siret: at(r, 43), vatNumber: at(r, 45), creditControl: at(r, 49),
    asleep: at(r, 51), phone: at(r, 55), email: at(r, 57), taxStatus: at(r, 112),
    statistics: Array.from({ length: 10 }, (_, i) => at(r, 14 + i)),
    deliveries: r.children.filter((c) => c.flag === '#CCDL').map((d) => ({
      label: at(d, 1), address: at(d, 2), address2: at(d, 3), postcode: at(d, 4), city: at(d, 5), region: at(d, 6), country: at(d, 7),
      contact: at(d, 8), main: at(d, 11), phone: at(d, 12), email: at(d, 14), billing: at(d, 17), line: d.line,
    })),
    contacts: r.children.filter((c) => c.flag === '#MCTT').map((m) => ({
      lastName: at(m, 1), firstName: at(m, 2), phone: at(m, 5), mobile: at(m, 6), email: at(m, 8), civility: at(m, 9), line: m.line,
    })),
    line: r.line,
  };
}

/** Children a row above carries; any other child is counted as « non utilisé » by its flag. */
export const CARRIED_CHILDREN: Readonly<Record<string, readonly string[]>> = {
  '#CFAM': ['#CFAC'],
  '#CART': ['#CACP', '#CACL'],
  '#CACL': ['#CATQ', '#CATG'],
  '#CCLI': ['#CCDL', '#MCTT'],
};
