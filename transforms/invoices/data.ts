// Invoice data exported by the ERP (one line per invoice line, header fields repeated) → one invoice to
// render: lines, VAT summary, totals in cents. What the ERP computed (line amounts, total including tax)
// is what the customer sees; a total that does not add up rejects the invoice rather than printing a
// wrong figure. Pure.
import type { InvoicesFlowProfile } from '../../src/erp/profile.ts';
import type { Row } from '../../src/parse/row.ts';
import { parseDecimal, type Parsed } from '../common/numbers.ts';
import { parseErpDate } from '../order-status/dates.ts';

export interface InvoiceCustomer { name: string; address: string; postcode: string; city: string; country: string }

export interface InvoiceItem {
  reference: string;
  designation: string;
  /** undefined for a comment line (EBP line types 4 and 9: text only). */
  amounts?: { quantity: number; unitPrice: number; discountPercent: number; vatRate: number; totalCents: number };
}

export interface InvoiceDataLine {
  line: number;
  invoice: string;
  date: string;
  orderText: string;
  customer: InvoiceCustomer;
  item: InvoiceItem;
  shipping?: { cents: number; vatRate: number };
  documentTotalCents?: number;
}

export interface VatRow { rate: number; baseCents: number; vatCents: number }

export interface InvoiceData {
  line: number;
  invoice: string;
  date: string;
  orderText: string;
  customer: InvoiceCustomer;
  items: InvoiceItem[];
  shipping?: { cents: number; vatRate: number };
  vat: VatRow[];
  totalExclCents: number;
  totalVatCents: number;
  totalInclCents: number;
}

type LineResult = { ok: true; value: InvoiceDataLine } | { ok: false; reason: string; key?: string };

export function toInvoiceDataLine(row: Row, flow: InvoicesFlowProfile): LineResult {
  const c = flow.columns;
  const get = (col: string | undefined): string => (col === undefined ? '' : (row.values[col] ?? '').trim());
  const invoice = get(c.invoice);
  const key = invoice || undefined;
  const fail = (reason: string): LineResult => ({ ok: false, reason, ...(key ? { key } : {}) });
  if (row.error !== undefined) return fail(row.error);
  if (invoice === '') return fail(`numéro de facture vide (colonne ${c.invoice})`);
  const date = parseErpDate(get(c.date), flow.dateFormat);
  if (!date.ok) return fail(`${date.reason} (colonne ${c.date})`);
  const orderText = get(c.orderReference);
  if (orderText === '') return fail(`référence de commande vide (colonne ${c.orderReference})`);
  const name = get(c.customerName);
  if (name === '') return fail(`nom du client vide (colonne ${c.customerName})`);
  const num = (col: string | undefined, what: string, blank?: number): Parsed<number> => {
    const raw = get(col);
    if (raw === '' && blank !== undefined) return { ok: true, value: blank };
    const p = parseDecimal(raw, { decimal: flow.decimal });
    return p.ok ? p : { ok: false, reason: `${what} (colonne ${col}) : ${p.reason}` };
  };

  const designation = get(c.designation);
  const item: InvoiceItem = { reference: get(c.lineReference), designation };
  const hasAmounts = [c.quantity, c.unitPrice, c.lineTotal].some((col) => get(col) !== '');
  if (hasAmounts) {
    const quantity = num(c.quantity, 'quantité');
    if (!quantity.ok) return fail(quantity.reason);
    const unitPrice = num(c.unitPrice, 'prix unitaire HT');
    if (!unitPrice.ok) return fail(unitPrice.reason);
    const vatRate = num(c.vatRate, 'taux de TVA');
    if (!vatRate.ok) return fail(vatRate.reason);
    if (vatRate.value < 0 || vatRate.value > 100) return fail(`taux de TVA impossible : ${vatRate.value} %`);
    const discount = num(c.discountPercent, 'remise %', 0);
    if (!discount.ok) return fail(discount.reason);
    let totalCents = Math.round(quantity.value * unitPrice.value * (1 - discount.value / 100) * 100);
    if (c.lineTotal !== undefined && get(c.lineTotal) !== '') {
      const total = num(c.lineTotal, 'montant HT de la ligne');
      if (!total.ok) return fail(total.reason);
      // The ERP's own line amount is the invoice's figure (its rounding of unit discounts is its own).
      totalCents = Math.round(total.value * 100);
    }
    // Without a discount column, a net amount below quantity × price shows the discount it implies
    // (Sage: DL_PrixUnitaire gross, DL_MontantHT net), so that the printed line reads right.
    const gross = quantity.value * unitPrice.value * 100;
    const shown = c.discountPercent === undefined && gross > 0 && totalCents < Math.round(gross) ? Math.round((1 - totalCents / gross) * 10000) / 100 : discount.value;
    item.amounts = { quantity: quantity.value, unitPrice: unitPrice.value, discountPercent: shown, vatRate: vatRate.value, totalCents };
  } else if (designation === '') {
    return fail('ligne sans désignation ni montant');
  }

  const out: InvoiceDataLine = {
    line: row.line, invoice, date: date.value, orderText, item,
    customer: { name, address: get(c.customerAddress), postcode: get(c.customerPostcode), city: get(c.customerCity), country: get(c.customerCountry) },
  };
  if (c.shipping !== undefined && get(c.shipping) !== '') {
    const shipping = num(c.shipping, 'frais de port HT');
    if (!shipping.ok) return fail(shipping.reason);
    const rate = num(c.shippingVatRate, 'taux de TVA du port', 0);
    if (!rate.ok) return fail(rate.reason);
    if (shipping.value !== 0) out.shipping = { cents: Math.round(shipping.value * 100), vatRate: rate.value };
  }
  if (c.documentTotal !== undefined && get(c.documentTotal) !== '') {
    const total = num(c.documentTotal, 'total TTC');
    if (!total.ok) return fail(total.reason);
    out.documentTotalCents = Math.round(total.value * 100);
  }
  return { ok: true, value: out };
}

export type InvoiceResult = { ok: true; value: InvoiceData } | { ok: false; reason: string };

/** The lines of one invoice (same number) → the invoice; its header fields must agree on every line. */
export function toInvoice(lines: readonly InvoiceDataLine[]): InvoiceResult {
  const first = lines[0];
  if (!first) return { ok: false, reason: 'facture sans ligne' };
  for (const l of lines) {
    if (l.date !== first.date || l.orderText !== first.orderText || l.customer.name !== first.customer.name) {
      return { ok: false, reason: `facture ${first.invoice} : la ligne ${l.line} ne porte pas la même date, commande ou client que la ligne ${first.line}` };
    }
  }
  const shipping = lines.find((l) => l.shipping)?.shipping;
  const bases = new Map<number, number>();
  for (const l of lines) {
    const a = l.item.amounts;
    if (a) bases.set(a.vatRate, (bases.get(a.vatRate) ?? 0) + a.totalCents);
  }
  if (shipping) bases.set(shipping.vatRate, (bases.get(shipping.vatRate) ?? 0) + shipping.cents);
  const vat = [...bases.entries()].sort((a, b) => a[0] - b[0])
    .map(([rate, baseCents]) => ({ rate, baseCents, vatCents: Math.round((baseCents * rate) / 100) }));
  const totalExclCents = vat.reduce((s, v) => s + v.baseCents, 0);
  const totalVatCents = vat.reduce((s, v) => s + v.vatCents, 0);
  const totalInclCents = totalExclCents + totalVatCents;
  const given = lines.find((l) => l.documentTotalCents !== undefined)?.documentTotalCents;
  // One cent per rate: the ERP may round its VAT per line rather than per rate.
  if (given !== undefined && Math.abs(given - totalInclCents) > Math.max(1, vat.length)) {
    return { ok: false, reason: `facture ${first.invoice} : total TTC de l’ERP ${euros(given)} ≠ total recalculé ${euros(totalInclCents)} (remise de pied, escompte ?) : facture non publiée` };
  }
  if (given !== undefined && given !== totalInclCents) {
    // Within the tolerance: the ERP's total stands, and the largest VAT line takes the cent.
    const largest = vat.reduce((a, b) => (b.vatCents > a.vatCents ? b : a), vat[0]!);
    largest.vatCents += given - totalInclCents;
  }
  return {
    ok: true,
    value: {
      line: first.line, invoice: first.invoice, date: first.date, orderText: first.orderText, customer: first.customer,
      items: lines.map((l) => l.item), ...(shipping ? { shipping } : {}), vat, totalExclCents,
      totalVatCents: given !== undefined ? given - totalExclCents : totalVatCents, totalInclCents: given ?? totalInclCents,
    },
  };
}

/** 123456 → « 1 234,56 € », grouped with a no-break space (Intl's narrow one is not in the PDF fonts' WinAnsi). */
export function euros(cents: number): string {
  return `${(cents / 100).toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).replace(/\u202f/g, '\u00a0')}\u00a0€`;
}
