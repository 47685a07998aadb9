// A Sage tariff (#CACL with its #CATQ brackets, SAGE_MASTER_DATA.md §8 and §3.1) → the specific prices of
// one article for one price category or one customer (transforms/prices/types.ts). Positions verified
// against §8: 1 catégorie (0 = client of line 9), 2 prix de vente, 3 coefficient, 4 remise %, 6 gamme
// remise (≠ 0 ⇒ #CATQ), 7 HT / TTC, 8 devise, 9 n° client, 13 date application; #CATQ groups of 4 lines:
// type (0 quantité / 1 montant / 2 prix net — [INF] in §3.1), borne supérieure, remise (value + % F U, +
// for a cascade), prix net. What Sage computes and we cannot verify (a coefficient's base, a TTC price
// without the article's rate here) is a reject naming its line, never a guess: a wrong price would be on sale.
import type { Transformed } from '../../src/pipeline.ts';
import { normalizeKey, parseDecimal } from '../common/numbers.ts';
import { customerKeyOf, groupKeyOfPriceCategory, setKey, sixDecimals, type PriceFor, type PriceLine, type PriceSet } from '../prices/types.ts';
import type { SageTariffRow } from './rows.ts';

class Refused extends Error {}

export function sageTariffToPrices(row: SageTariffRow): Transformed<PriceSet> {
  const reference = normalizeKey(row.article);
  if (reference === '') return { line: row.line, reject: `tarif (#CACL) d'un article sans référence (article ligne ${row.articleLine})` };
  const who = targetOf(row);
  if ('reject' in who) return { line: row.line, reject: `article ${reference} : ${who.reject}` };
  const set: PriceSet = { reference, for: who.for, label: who.label, prices: [], remarks: [] };
  const key = setKey(reference, who.for);
  try {
    fill(set, row);
  } catch (err) {
    if (!(err instanceof Refused)) throw err;
    return { line: row.line, key, record: { ...set, prices: [], problem: `article ${reference}, ${who.label} : ${err.message}` } };
  }
  return { line: row.line, key, record: set };
}

function targetOf(row: SageTariffRow): { for: PriceFor; label: string } | { reject: string } {
  const raw = row.category.trim();
  if (raw === '0') {
    const code = customerKeyOf(row.client);
    if (code === '') return { reject: `tarif client (catégorie 0) sans n° de client (ligne ${row.line + 9})` };
    return { for: { customer: code }, label: `client ${code}` };
  }
  const n = Number(raw);
  if (!/^\d{1,2}$/.test(raw) || n < 1 || n > 32) return { reject: `catégorie tarifaire « ${raw} » (ligne ${row.line + 1}) : 0 (client) ou 1 à 32 attendu` };
  return { for: { group: groupKeyOfPriceCategory(n) }, label: `catégorie tarifaire ${n}` };
}

/** An empty value is 0 (Sage writes « 0,00 » but a hand-edited file may not); `line` when it is known. */
function num(raw: string, what: string, line?: number): number {
  const where = line === undefined ? what : `${what} (ligne ${line})`;
  const p = parseDecimal(raw.trim() === '' ? '0' : raw, { decimal: ',' });
  if (!p.ok) throw new Refused(`${where} : ${p.reason}`);
  if (p.value < 0) throw new Refused(`${where} : valeur négative ${raw.trim()}`);
  return p.value;
}

function fill(set: PriceSet, row: SageTariffRow): void {
  const L = row.line;
  const currency = row.currency.trim();
  if (currency !== '' && currency !== '0') throw new Refused(`tarif en devise n° ${currency} (ligne ${L + 8}) : seuls les tarifs dans la devise de la boutique sont repris`);
  const price = num(row.price, 'prix de vente', L + 2);
  const coefficient = num(row.coefficient, 'coefficient', L + 3);
  const discount = num(row.discount, 'remise', L + 4);
  const ttc = row.priceType.trim() === '1';
  if (price > 0 && ttc) throw new Refused(`prix TTC (ligne ${L + 7} = 1) : les prix spécifiques sont envoyés HT ; passez ce tarif en HT dans Sage`);
  if (price === 0 && coefficient !== 0) {
    throw new Refused(`prix calculé par un coefficient (${row.coefficient.trim()}, ligne ${L + 3}) sans prix de vente : la base du calcul Sage n'est pas vérifiée, saisissez un prix ou une remise`);
  }
  if (discount > 100) throw new Refused(`remise ${row.discount.trim()} % (ligne ${L + 4}) : plus de 100 %`);
  if (row.newPriceDate.trim() !== '') set.remarks.push(`${set.reference}, ${set.label} : nouveau prix au ${row.newPriceDate.trim()} (ligne ${L + 13}) non repris ; l'export suivant cette date le donnera`);
  if (row.rangePrices.length > 0) set.remarks.push(`${set.reference}, ${set.label} : ${row.rangePrices.length} prix par énuméré de gamme (#CATG) non repris (déclinaisons pas encore reliées)`);
  const fixed = price > 0 ? sixDecimals(price) : null;
  const range = row.discountRange.trim();
  if (range === '' || range === '0') {
    if (fixed !== null || discount > 0) set.prices.push(line(set, 1, fixed, sixDecimals(discount / 100), 'percentage'));
    return;
  }
  if (row.brackets.length === 0) throw new Refused(`gamme de remise ${range} (ligne ${L + 6}) sans paliers #CATQ`);
  // [INF] with a discount range, each bracket carries its own discount: the tariff's (line 4) is not added to it
  if (discount > 0) set.remarks.push(`${set.reference}, ${set.label} : remise ${row.discount.trim()} % (ligne ${L + 4}) remplacée par celles des paliers`);
  let from = 1;
  for (const [i, b] of row.brackets.entries()) {
    const n = i + 1;
    const upper = num(b.upper, `palier ${n} de la gamme de remise, borne supérieure`);
    if (upper < from) throw new Refused(`palier ${n} de la gamme de remise : borne supérieure ${b.upper.trim()} inférieure à la quantité ${from} où il commence (paliers non croissants)`);
    const type = b.type.trim();
    if (type === '1') throw new Refused(`palier ${n} : remise par montant de commande, que PrestaShop ne connaît pas (seulement par quantité)`);
    if (type === '2') {
      const net = num(b.netPrice, `palier ${n}, prix net`);
      if (net === 0) throw new Refused(`palier ${n} : prix net à 0`);
      if (ttc) throw new Refused(`palier ${n} : prix net TTC (ligne ${L + 7} = 1), les prix spécifiques sont envoyés HT`);
      set.prices.push(line(set, from, sixDecimals(net), '0.000000', 'percentage'));
    } else if (type === '0' || type === '') {
      const r = remise(b.discount, n);
      if (fixed !== null || r.value > 0) set.prices.push(line(set, from, fixed, sixDecimals(r.value), r.type));
    } else {
      throw new Refused(`palier ${n} : type « ${type} » inconnu (0 quantité, 1 montant, 2 prix net)`);
    }
    from = Math.floor(upper) + 1;
  }
}

/** A #CATQ discount: `5,0000%` (percent), `2,00U` (an amount per unit); `F` (a lump sum per line) and a
 *  cascade `10%+5%` have no PrestaShop equivalent. */
function remise(raw: string, n: number): { type: 'percentage' | 'amount'; value: number } {
  const s = raw.trim();
  if (s === '') return { type: 'percentage', value: 0 };
  if (s.includes('+')) throw new Refused(`palier ${n} : remise en cascade « ${s} », que PrestaShop ne sait pas appliquer`);
  const unit = s.slice(-1).toUpperCase();
  const value = num(s.slice(0, -1), `palier ${n}, remise`);
  if (unit === '%') {
    if (value > 100) throw new Refused(`palier ${n} : remise ${s} de plus de 100 %`);
    return { type: 'percentage', value: value / 100 };
  }
  if (unit === 'U') return { type: 'amount', value };
  if (unit === 'F') throw new Refused(`palier ${n} : remise forfaitaire « ${s} » (par ligne de commande), que PrestaShop n'a pas`);
  throw new Refused(`palier ${n} : remise « ${s} » sans unité (% ou U attendu)`);
}

function line(set: PriceSet, fromQuantity: number, price: string | null, reduction: string, reductionType: 'percentage' | 'amount'): PriceLine {
  return { reference: set.reference, for: set.for, fromQuantity, price, reduction, reductionType, from: null, to: null };
}
