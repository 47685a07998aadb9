// A Sage article (#CART with its #CACP) → a product line (transforms/catalog/types.ts), field by field
// after SAGE_MASTER_DATA.md §3, §6, §7. A value that cannot be read for sure is a reject naming its line:
// a price read wrong would be on sale.
import type { Transformed } from '../../src/pipeline.ts';
import { normalizeKey, parseDecimal } from '../common/numbers.ts';
import type { ProductLine } from '../catalog/types.ts';
import { catalogueKey, familyKey } from './keys.ts';
import type { AccountingBlock, SageArticleRow } from './rows.ts';
import { catalogueNode, defaultAccountingCategory, family, hasCatalogue, taxes, unit, type SageTables } from './tables.ts';

export interface SageProductOptions {
  /** Shop languages (iso) of the designations « Langue 1 » (#CART 31) and « Langue 2 » (#CART 32). */
  languages: { langue1: string; langue2: string };
  /** The shop's default language: always the designation (#CART 2). */
  defaultLanguage?: string;
  /** Catégorie comptable whose sales block gives the VAT; default #CCOM 2, else 1. */
  accountingCategory?: string;
  /** VAT rates the shop can apply ('20.000'); another rate is a reject naming it. Absent: not checked here. */
  rates?: ReadonlySet<string>;
}

/** #CART 7 → kilograms per unit (1 t, 2 q, 3 kg, 4 g, 5 mg; file codes are 1-based). */
const KG_PER_UNIT: Record<string, number> = { '1': 1000, '2': 100, '3': 1, '4': 0.001, '5': 0.000001 };
/** #MTAX 4: TVA sur les débits, sur les encaissements, TVA CEE; the others (TP, surtaxe, IRPF…) are not VAT. */
const VAT_TYPES = new Set(['0', '1', '5']);

class Refused extends Error {}

export function sageArticleToProduct(row: SageArticleRow, tables: SageTables, options: SageProductOptions): Transformed<ProductLine> {
  const reference = normalizeKey(row.reference);
  if (reference === '') return { line: row.line, reject: `article sans référence (ligne ${row.line + 1})` };
  try {
    const name = row.designation.trim();
    if (name === '') throw new Refused(`désignation vide (ligne ${row.line + 2})`);
    const vat = vatOf(row, tables, options);
    const record: ProductLine = {
      reference,
      name,
      names: names(row, name, options),
      priceTaxExcl: priceTaxExcl(row, vat),
      vatRate: vat?.rate ?? null,
      categoryKeys: categoryKeys(row, tables),
      active: row.asleep.trim() !== '1' && row.published.trim() === '1',
    };
    const unity = unit(tables, row.salesUnit)?.label.trim();
    if (unity) {
      // #CUAV gives a unit's label, not a content: the price of #CART 13 is the price of one sales unit
      record.unity = unity;
      record.unitPriceRatio = '1';
    }
    const weight = weightKg(row);
    if (weight !== undefined) record.weightKg = weight;
    const ean = row.barcode.trim();
    if (/^\d{13}$/.test(ean)) record.ean13 = ean;
    return { line: row.line, key: reference, record };
  } catch (err) {
    if (err instanceof Refused) return { line: row.line, key: reference, reject: `article ${reference} : ${err.message}` };
    throw err;
  }
}

function names(row: SageArticleRow, name: string, o: SageProductOptions): Record<string, string> {
  const out: Record<string, string> = {};
  out[o.languages.langue1] = row.language1.trim() || name;
  out[o.languages.langue2] = row.language2.trim() || name;
  if (o.defaultLanguage) out[o.defaultLanguage] = name;
  return out;
}

function decimal(raw: string, what: string, line: number): number {
  const p = parseDecimal(raw, { decimal: ',' });
  if (!p.ok) throw new Refused(`${what} (ligne ${line}) : ${p.reason}`);
  return p.value;
}

function fixed(x: number, digits: number): string {
  const f = 10 ** digits;
  return (Math.round(x * f) / f).toFixed(digits);
}

/** #CART 13, tax excluded when #CART 24 = 0, else tax included: divided by (1 + rate). */
function priceTaxExcl(row: SageArticleRow, vat: { rate: string } | undefined): string {
  const price = decimal(row.price, 'prix de vente', row.line + 13);
  if (price < 0) throw new Refused(`prix de vente négatif (ligne ${row.line + 13}) : ${row.price.trim()}`);
  const type = row.priceType.trim();
  if (type === '0') return fixed(price, 6);
  if (type !== '1') throw new Refused(`type de prix « ${type} » (ligne ${row.line + 24}) : 0 (HT) ou 1 (TTC) attendu`);
  if (!vat) throw new Refused(`prix TTC (ligne ${row.line + 24} = 1) sans taux de TVA connu pour en retirer la taxe`);
  return fixed(price / (1 + Number(vat.rate) / 100), 6);
}

/** #CART 8 in the unit of #CART 7 → kg; no weight when it is 0. */
function weightKg(row: SageArticleRow): string | undefined {
  if (row.netWeight.trim() === '') return undefined;
  const w = decimal(row.netWeight, 'poids net', row.line + 8);
  if (w === 0) return fixed(0, 6);
  if (w < 0) throw new Refused(`poids net négatif (ligne ${row.line + 8}) : ${row.netWeight.trim()}`);
  const u = row.weightUnit.trim();
  const k = KG_PER_UNIT[u];
  if (k === undefined) throw new Refused(`unité de poids « ${u} » (ligne ${row.line + 7}) : 1 (t), 2 (q), 3 (kg), 4 (g) ou 5 (mg) attendu`);
  return fixed(w * k, 6);
}

/** The sales VAT code of the article's block for the catégorie comptable (#CACP line 14k+5 of the type-1
 *  block), else its family's #CFAC, → the rate in #MTAX (line 6 code, line 3 rate). */
function vatOf(row: SageArticleRow, tables: SageTables, o: SageProductOptions): { rate: string } | undefined {
  const category = (o.accountingCategory ?? defaultAccountingCategory(tables) ?? '1').trim();
  const sales = (blocks: readonly AccountingBlock[]) => blocks.find((b) => b.type.trim() === '1' && b.category.trim() === category);
  let block = sales(row.accounting);
  let from = 'de l\'article (#CACP)';
  if (!block) {
    const fam = family(tables, row.family);
    if (!fam && !row.hasAccounting) throw new Refused(`TVA inconnue : pas de comptabilité article (#CACP) et famille « ${row.family.trim()} » (ligne ${row.line + 3}) absente de cet export et des précédents`);
    block = fam ? sales(fam.accounting) : undefined;
    from = `de la famille ${row.family.trim()} (#CFAC)`;
  }
  if (!block) return undefined;
  const code = block.taxCode1.trim();
  if (code === '') return undefined;
  const tax = taxes(tables, code);
  const where = `code taxe « ${code} » ${from}, ligne ${block.line + 4}`;
  if (!tax) throw new Refused(`${where} absent des taux de taxes (#MTAX) reçus : taux de TVA inconnu`);
  if (tax.rateType.trim() !== '0') throw new Refused(`${where} : taux en montant (#MTAX ligne ${tax.line + 2} = ${tax.rateType.trim()}), pas un pourcentage de TVA`);
  if (!VAT_TYPES.has(tax.taxType.trim())) throw new Refused(`${where} : taxe de type ${tax.taxType.trim()} (#MTAX ligne ${tax.line + 4}), pas une TVA`);
  const rate = fixed(decimal(tax.rate, `taux du code taxe « ${code} » (#MTAX)`, tax.line + 3), 3);
  if (o.rates && !o.rates.has(rate)) throw new Refused(`taux de TVA ${rate.replace('.', ',')} % (${where}) : aucun groupe de taxes de la boutique pour ce taux`);
  return { rate };
}

/** Root → deepest: the article's catalogue path (#CART 60–63), else its family's (#CFAM 34–37), else —
 *  in a dossier without catalogue — its family under its centralising family. */
function categoryKeys(row: SageArticleRow, tables: SageTables): string[] {
  const own = labels(row.catalogue, row.line + 60);
  const fam = family(tables, row.family);
  const path = own.length > 0 ? own : fam ? labels(fam.catalogue, fam.line + 34) : [];
  if (path.length > 0) {
    const keys: string[] = [];
    for (let i = 1; i <= path.length; i++) {
      const node = catalogueNode(tables, path.slice(0, i));
      if (!node) throw new Refused(`catalogue « ${path.slice(0, i).join(' > ')} » (${own.length > 0 ? `lignes ${row.line + 60}–${row.line + 59 + path.length}` : `famille ${row.family.trim()}`}) absent de l'arbre #CCATAL reçu`);
      keys.push(catalogueKey(node));
    }
    return keys;
  }
  if (hasCatalogue(tables) || row.family.trim() === '') return [];
  const central = fam?.centralising.trim();
  return central && normalizeKey(central) !== normalizeKey(row.family) ? [familyKey(central), familyKey(row.family)] : [familyKey(row.family)];
}

/** Non-empty labels level 1 → n; a level after an empty one is a hole, refused rather than guessed. */
function labels(raw: readonly string[], firstLine: number): string[] {
  const t = raw.map((l) => l.trim());
  const n = t.findIndex((l) => l === '');
  const path = n === -1 ? t : t.slice(0, n);
  if (n !== -1 && t.slice(n).some((l) => l !== '')) throw new Refused(`catalogue incomplet (ligne ${firstLine + n} vide, un niveau plus bas renseigné)`);
  return path;
}
