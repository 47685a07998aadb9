// One row of a column export (EBP, Divalto: one value per named column, as the flow's profile declares
// them) → a canonical category or product line. Pure. A value that cannot be read for sure is a reject
// naming its column: a price read wrong would be on sale.
import type { CategoriesFlowProfile, ProductsFlowProfile } from '../../src/erp/profile.ts';
import type { Row } from '../../src/parse/row.ts';
import type { Transformed } from '../../src/pipeline.ts';
import { normalizeKey, parseDecimal } from '../common/numbers.ts';
import type { CategoryLine, ProductLine } from './types.ts';
import { splitImageCell } from '../images/sources.ts';

export function familyKey(code: string): string {
  return `FAM:${normalizeKey(code)}`;
}

/** A sub-family code is unique in its ERP (EBP ItemSubFamily.Id), not only under its family. */
export function subFamilyKey(code: string): string {
  return `SFAM:${normalizeKey(code)}`;
}

export interface ProductRowOptions {
  /** The shop's default language: it gets the designation (the only name these exports carry). */
  defaultLanguage?: string;
  /** VAT rates the shop can apply ('20.000'); another rate is a reject naming it. Absent: not checked here. */
  rates?: ReadonlySet<string>;
  /** Today, yyyy-mm-dd: an article whose end of validity is today or earlier is inactive. Needed when the
   *  flow declares an endDate column. */
  today?: string;
}

export class Refused extends Error {}

/** A family (no parent column, or an empty one: under the root) or a sub-family (under its family). */
export function rowToCategory(row: Row, columns: CategoriesFlowProfile['columns'], kind: 'famille' | 'sous-famille'): Transformed<CategoryLine> {
  const code = normalizeKey(row.values[columns.code] ?? '');
  const key = code === '' ? undefined : kind === 'famille' ? familyKey(code) : subFamilyKey(code);
  if (row.error !== undefined) return { line: row.line, ...(key ? { key } : {}), reject: row.error };
  if (key === undefined) return { line: row.line, reject: `${kind} sans code (${columns.code} vide)` };
  const name = (row.values[columns.name] ?? '').trim();
  if (name === '') return { line: row.line, key, reject: `${kind} ${code} sans libellé (${columns.name} vide)` };
  const parent = columns.parent === undefined ? '' : normalizeKey(row.values[columns.parent] ?? '');
  if (kind === 'sous-famille' && parent === '') return { line: row.line, key, reject: `sous-famille ${code} sans famille (${columns.parent ?? 'colonne de la famille'} vide) : elle ne peut pas être placée dans l'arbre` };
  const parentKey = parent === '' || (kind === 'famille' && parent === code) ? null : familyKey(parent);
  return { line: row.line, key, record: { key, name, parentKey, active: true } };
}

/** What an ERP reads its own way; both throw Refused for a value they cannot read for sure. */
export interface ErpReading {
  /** The VAT rate ('20.000') and where it was read (for the reject naming it); null: the ERP gives none. */
  vat(row: Row): { rate: string; where: string } | null;
  active(row: Row): boolean;
}

/** Every field the flow declares, read from its column; VAT and activity the ERP's way. */
export function rowToProduct(row: Row, flow: ProductsFlowProfile, o: ProductRowOptions, erp: ErpReading): Transformed<ProductLine> {
  const cols = flow.columns;
  const reference = normalizeKey(row.values[cols.reference] ?? '');
  if (row.error !== undefined) return { line: row.line, ...(reference ? { key: reference } : {}), reject: row.error };
  if (reference === '') return { line: row.line, reject: `article sans référence (${cols.reference} vide)` };
  try {
    const name = (row.values[cols.name] ?? '').trim();
    if (name === '') throw new Refused(`désignation vide (${cols.name})`);
    const vat = erp.vat(row);
    if (vat !== null && o.rates && !o.rates.has(vat.rate)) {
      throw new Refused(`taux de TVA ${vat.rate.replace('.', ',')} % (${vat.where}) : aucun groupe de taxes de la boutique pour ce taux`);
    }
    const record: ProductLine = {
      reference,
      name,
      names: o.defaultLanguage ? { [o.defaultLanguage]: name } : {},
      priceTaxExcl: price(row, flow),
      vatRate: vat?.rate ?? null,
      categoryKeys: categoryKeys(row, flow),
      active: erp.active(row),
    };
    const unity = cols.unity === undefined ? '' : (row.values[cols.unity] ?? '').trim();
    if (unity) {
      record.unity = unity;
      record.unitPriceRatio = unitPriceRatio(row, flow);
    }
    const weight = weightKg(row, flow);
    if (weight !== undefined) record.weightKg = weight;
    const images = cols.images === undefined ? [] : splitImageCell(row.values[cols.images] ?? '');
    if (images.length > 0) record.images = images;
    const ean = cols.ean13 === undefined ? '' : (row.values[cols.ean13] ?? '').trim();
    if (/^\d{13}$/.test(ean)) record.ean13 = ean;
    return { line: row.line, key: reference, record };
  } catch (err) {
    if (err instanceof Refused) return { line: row.line, key: reference, reject: `article ${reference} : ${err.message}` };
    throw err;
  }
}

export function decimal(raw: string, what: string, decimalSeparator: ',' | '.'): number {
  const p = parseDecimal(raw, { decimal: decimalSeparator });
  if (!p.ok) throw new Refused(`${what} : ${p.reason}`);
  return p.value;
}

export function fixed(x: number, digits: number): string {
  const f = 10 ** digits;
  return (Math.round(x * f) / f).toFixed(digits);
}

/** The VAT of a row: a rate column (percent), else a code column through the flow's `vatCodes`. */
export function columnVat(r: Row, flow: ProductsFlowProfile): { rate: string; where: string } | null {
  const cols = flow.columns;
  if (cols.vatRate !== undefined) {
    const raw = r.values[cols.vatRate] ?? '';
    if (raw.trim() !== '') return { rate: vatRateText(decimal(raw, `taux de TVA (${cols.vatRate})`, flow.decimal), cols.vatRate, raw), where: cols.vatRate };
  }
  if (cols.vatCode === undefined) return null;
  const code = (r.values[cols.vatCode] ?? '').trim();
  if (code === '') return null;
  const rate = flow.vatCodes[code];
  const where = `code TVA « ${code} » de ${cols.vatCode}`;
  if (rate === undefined) throw new Refused(`${where} absent de erp.flows.products.vatCodes (codes connus : ${Object.keys(flow.vatCodes).join(', ') || 'aucun'}) : taux de TVA inconnu`);
  return { rate: vatRateText(decimal(rate.replace(',', '.'), `taux du ${where}`, '.'), where, rate), where };
}

/** A rate in percent as the catalogue writes it ('20.000'), refused outside 0–100. */
export function vatRateText(rate: number, what: string, raw: string): string {
  if (rate < 0 || rate >= 100) throw new Refused(`taux de TVA hors limites (${what}) : ${raw.trim()}`);
  return fixed(rate, 3);
}

function price(row: Row, flow: ProductsFlowProfile): string {
  const col = flow.columns.priceTaxExcl;
  const raw = row.values[col] ?? '';
  if (raw.trim() === '') throw new Refused(`prix de vente HT vide (${col})`);
  const p = decimal(raw, `prix de vente HT (${col})`, flow.decimal);
  if (p < 0) throw new Refused(`prix de vente HT négatif (${col}) : ${raw.trim()}`);
  return fixed(p, 6);
}

/** How many sales units one item holds (0,25 for 250 g sold by the kg); '1' without the column or value. */
function unitPriceRatio(row: Row, flow: ProductsFlowProfile): string {
  const col = flow.columns.unitPriceRatio;
  const raw = col === undefined ? '' : (row.values[col] ?? '').trim();
  if (raw === '') return '1';
  const r = decimal(raw, `quantité d'unités de vente (${col})`, flow.decimal);
  if (!(r > 0)) throw new Refused(`quantité d'unités de vente nulle ou négative (${col}) : ${raw} — le prix unitaire serait infini`);
  return fixed(r, 6);
}

function weightKg(row: Row, flow: ProductsFlowProfile): string | undefined {
  const col = flow.columns.weightKg;
  if (col === undefined) return undefined;
  const raw = row.values[col] ?? '';
  if (raw.trim() === '') return undefined;
  const w = decimal(raw, `poids net (${col})`, flow.decimal);
  if (w < 0) throw new Refused(`poids net négatif (${col}) : ${raw.trim()}`);
  return fixed(w, 6);
}

/** Root → deepest: the family, then the sub-family under it. */
function categoryKeys(row: Row, flow: ProductsFlowProfile): string[] {
  const { family: famCol, subFamily: subCol } = flow.columns;
  const family = famCol === undefined ? '' : normalizeKey(row.values[famCol] ?? '');
  const sub = subCol === undefined ? '' : normalizeKey(row.values[subCol] ?? '');
  if (sub !== '' && family === '') throw new Refused(`sous-famille « ${sub} » (${subCol}) sans famille (${famCol ?? 'colonne de la famille non déclarée'}) : chemin de catégories incomplet`);
  const keys: string[] = [];
  if (family !== '') keys.push(familyKey(family));
  if (sub !== '') keys.push(subFamilyKey(sub));
  return keys;
}
