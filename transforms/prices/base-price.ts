// A line of an hourly price file (columns named by the profile's `prices` flow) → an article's base price,
// or, on a line that names a group or a customer, one specific price (a PriceSet of one line: the lines of
// one article × group / customer together make its set, quantity breaks included). Pure. A value that
// cannot be read for sure is a reject naming its line and column: a wrong price would be on sale.
import type { PricesFlowProfile } from '../../src/erp/profile.ts';
import type { Row } from '../../src/parse/row.ts';
import type { Transformed } from '../../src/pipeline.ts';
import { normalizeKey, parseDecimal } from '../common/numbers.ts';
import { customerKeyOf, setKey, sixDecimals, type BasePriceLine, type PriceFor, type PriceSet } from './types.ts';

export type PriceFileLine = { base: BasePriceLine } | { set: PriceSet };

class Refused extends Error {}

export function priceFileRow(row: Row, flow: PricesFlowProfile): Transformed<PriceFileLine> {
  if (row.error) return { line: row.line, reject: row.error };
  const cols = flow.columns;
  const cell = (c: string | undefined): string => (c === undefined ? '' : (row.values[c] ?? '').trim());
  const reference = normalizeKey(cell(cols.reference));
  if (reference === '') return { line: row.line, reject: `référence vide (colonne ${cols.reference})` };
  const groupCode = cell(cols.group);
  const customerCode = cell(cols.customer);
  const who: { for: PriceFor; label: string } | undefined = groupCode !== ''
    ? { for: { group: `${flow.groupKey}:${normalizeKey(groupCode).toUpperCase()}` }, label: `${flow.groupKey === 'tarif' ? 'tarif' : 'famille client'} ${groupCode}` }
    : customerCode !== '' ? { for: { customer: customerKeyOf(customerCode) }, label: `client ${customerKeyOf(customerCode)}` } : undefined;
  const key = who ? setKey(reference, who.for) : reference;
  try {
    if (groupCode !== '' && customerCode !== '') throw new Refused(`un groupe (${cols.group}) et un client (${cols.customer}) sur la même ligne : l'un ou l'autre`);
    for (const c of [cols.subReference1, cols.subReference2]) {
      if (cell(c) !== '') throw new Refused(`prix d'une déclinaison (${c} = ${cell(c)}) : les déclinaisons ne sont pas encore reliées, ligne non reprise`);
    }
    // a tariff line may give only a discount; a base price line must give its price
    const rawPrice = cell(cols.price);
    const price = who && rawPrice === '' ? 0 : amount(rawPrice, cols.price, flow) / divisor(cell(cols.priceUnit), cols.priceUnit, flow);
    if (!who) return { line: row.line, key: `${reference}|prix de base`, record: { base: { reference, priceTaxExcl: sixDecimals(price) } } };
    const discount = cols.discount === undefined ? 0 : amount(cell(cols.discount), cols.discount, flow);
    if (discount > 100) throw new Refused(`remise ${cell(cols.discount)} % (colonne ${cols.discount}) : plus de 100 %`);
    const fromQuantity = quantity(cell(cols.fromQuantity), cols.fromQuantity);
    const from = day(cell(cols.from), cols.from);
    const to = day(cell(cols.to), cols.to);
    if (from !== null && to !== null && to < from) throw new Refused(`fin ${to} avant le début ${from}`);
    const set: PriceSet = { reference, for: who.for, label: who.label, prices: [], remarks: [] };
    if (price > 0 || discount > 0) {
      set.prices.push({
        reference, for: who.for, fromQuantity, price: price > 0 ? sixDecimals(price) : null, reduction: sixDecimals(discount / 100), reductionType: 'percentage',
        from: from === null ? null : `${from} 00:00:00`, to: to === null ? null : `${to} 23:59:59`,
      });
    }
    return { line: row.line, key, record: { set } };
  } catch (err) {
    if (!(err instanceof Refused)) throw err;
    const reason = `article ${reference}${who ? `, ${who.label}` : ''} : ${err.message}`;
    // a tariff line that cannot be read is its set's problem: the set then deletes nothing, even when full
    if (!who) return { line: row.line, key, reject: reason };
    return { line: row.line, key, record: { set: { reference, for: who.for, label: who.label, prices: [], remarks: [], problem: reason } } };
  }
}

function amount(raw: string, col: string | undefined, flow: PricesFlowProfile): number {
  if (raw === '' && col !== undefined && col !== flow.columns.price) return 0;
  const p = parseDecimal(raw, { decimal: flow.decimal });
  if (!p.ok) throw new Refused(`${col === flow.columns.price ? 'prix' : 'valeur'} (colonne ${col}) : ${p.reason}`);
  if (p.value < 0) throw new Refused(`valeur négative (colonne ${col}) : ${raw}`);
  return p.value;
}

function divisor(raw: string, col: string | undefined, flow: PricesFlowProfile): number {
  if (raw === '') return 1;
  const p = parseDecimal(raw, { decimal: flow.decimal });
  if (!p.ok || p.value <= 0) throw new Refused(`prix par « ${raw} » (colonne ${col}) : nombre positif attendu`);
  return p.value;
}

function quantity(raw: string, col: string | undefined): number {
  if (raw === '') return 1;
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : /^\d{1,9}[,.]0*$/.test(raw) ? Number(raw.replace(/[,.].*/, '')) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new Refused(`quantité « ${raw} » (colonne ${col}) : nombre entier à partir de 1 attendu`);
  return n;
}

/** yyyy-mm-dd or dd/mm/yyyy → yyyy-mm-dd; a day that does not exist (31/02) is refused, not rolled over. */
function day(raw: string, col: string | undefined): string | null {
  if (raw === '') return null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$/.exec(raw);
  const fr = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(raw);
  const d = iso ? `${iso[1]}-${iso[2]}-${iso[3]}` : fr ? `${fr[3]}-${fr[2]}-${fr[1]}` : '';
  const time = d === '' ? NaN : Date.parse(`${d}T00:00:00Z`);
  if (!Number.isNaN(time) && new Date(time).toISOString().startsWith(d)) return d;
  throw new Refused(`date « ${raw} » (colonne ${col}) : aaaa-mm-jj ou jj/mm/aaaa attendu`);
}
