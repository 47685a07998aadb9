// EBP Gestion commerciale: a `;` file for the import model saved once in EBP on table SaleOrders (EBP_DIVALTO.md
// §1.2, §1.4). The model — not EBP — defines the columns, so header text and column order are frozen here.
// Header values are repeated on every line; EBP groups lines by "Document - Numéro du document" and keeps it
// as "Document importé n° …" in its own reference.
import type { OrdersConfig } from '../../src/erp/orders-config.ts';
import { checkTotals, type CheckResult } from './check.ts';
import { customerCodeFor, dateDMY, documentNumber, fileNameFor, OrderHeld, shopLabel, type ErpFile } from './common.ts';
import { applyPercent, formatEuros, formatMicros, formatMicrosTrimmed, roundMicros, roundToCent, type Micros } from './money.ts';
import type { ErpAddress, ErpOrder, ErpOrderLine } from './model.ts';
import { customerCodeOrigin, erpKey, KEY_ORIGINS, type KeyOrigin, type KeyRules } from './keys.ts';
import { encode, fitToEncoding, neutraliseFormula, singleLine } from './text.ts';

/** The frozen header (EBP_DIVALTO.md §1.4): the README gives the EBP model `Commandes_Web` built from it. */
export const EBP_ORDER_HEADER = [
  'Document - Numéro du document',
  'Document - Date',
  'Document - Code client',
  'Document - Nom du client',
  'Document - Référence',
  'Document - Adresse 1 (facturation)',
  'Document - Code postal (facturation)',
  'Document - Ville (facturation)',
  'Document - Code Pays (facturation)',
  'Document - E-mail (facturation)',
  'Document - Nom (adresse) (livraison)',
  'Document - Adresse 1 (livraison)',
  'Document - Code postal (livraison)',
  'Document - Ville (livraison)',
  'Document - Code Pays (livraison)',
  'Document - Téléphone portable (livraison)',
  'Document - Frais de port HT',
  'Document - % remise',
  'Ligne - Code article',
  'Ligne - Description commerciale en clair',
  'Ligne - Quantité',
  'Ligne - PV HT',
  'Ligne - % remise unitaire cumulé',
  'Ligne - Taux de TVA',
] as const;

interface EbpLine {
  line: ErpOrderLine;
  unitPrice: Micros;
  percent: number;
  amountTaxExcl: Micros;
}

interface EbpDocument {
  lines: EbpLine[];
  discountPercent: number;
  check: CheckResult;
}

function percentText(percent: number): string {
  return formatMicrosTrimmed(Math.round(percent * 1_000_000), 0, 4);
}

/** EBP's line arithmetic (EBP_DIVALTO.md §1.3, from real rows): unit discount rounded to the cent, then × quantity. */
function ebpLineAmount(unitPrice: Micros, percent: number, quantity: number): Micros {
  const unitDiscount = roundToCent(applyPercent(unitPrice, percent));
  return roundToCent((unitPrice - unitDiscount) * quantity);
}

function ebpLine(line: ErpOrderLine, cfg: OrdersConfig): EbpLine {
  const decimals = cfg.ebp.priceDecimals;
  const net = roundMicros(line.netUnitPriceTaxExcl, decimals);
  const d = line.discount;
  if (d && 'percent' in d) {
    const unitPrice = roundMicros(line.unitPriceTaxExcl, decimals);
    const withPercent = { line, unitPrice, percent: d.percent, amountTaxExcl: ebpLineAmount(unitPrice, d.percent, line.quantity) };
    // EBP rounds the unit discount to the cent; the shop may not have (8,25 € − 10 % × 3 = 22,26 in EBP, 22,28 in
    // the shop). Then the line goes at its net price, so that the document still adds up to the shop's total.
    const atNet = { line, unitPrice: net, percent: 0, amountTaxExcl: ebpLineAmount(net, 0, line.quantity) };
    const shopTotal = roundToCent(line.totalTaxExcl);
    return withPercent.amountTaxExcl !== shopTotal && atNet.amountTaxExcl === shopTotal ? atNet : withPercent;
  }
  if (d) {
    // The model has a % column only: an amount becomes the % that gives the same unit discount to the cent
    // (2 decimals), else the line is sent at its net price without a discount.
    const unitPrice = roundMicros(line.unitPriceTaxExcl, decimals);
    const percent = unitPrice > 0 ? Math.round((d.amountTaxExcl / unitPrice) * 10_000) / 100 : 0;
    if (percent > 0 && roundToCent(applyPercent(unitPrice, percent)) === roundToCent(d.amountTaxExcl)) {
      return { line, unitPrice, percent, amountTaxExcl: ebpLineAmount(unitPrice, percent, line.quantity) };
    }
  }
  return { line, unitPrice: net, percent: 0, amountTaxExcl: ebpLineAmount(net, 0, line.quantity) };
}

/** The % of "Document - % remise" that gives the cart rules' amount to the cent, or undefined if none does. */
function documentPercent(base: Micros, discount: Micros, decimals: number): number | undefined {
  if (discount === 0) return 0;
  if (base <= 0) return undefined;
  const scale = 10 ** decimals;
  const guess = Math.round((discount / base) * 100 * scale);
  for (const candidate of [guess, guess - 1, guess + 1]) {
    const percent = candidate / scale;
    if (percent > 0 && percent <= 100 && roundToCent(applyPercent(base, percent)) === roundToCent(discount)) return percent;
  }
  return undefined;
}

function ebpDocument(o: ErpOrder, cfg: OrdersConfig): EbpDocument {
  const lines = o.lines.map((l) => ebpLine(l, cfg));
  const base = lines.reduce((acc, l) => acc + l.amountTaxExcl, 0);
  const discount = o.orderDiscounts.reduce((acc, d) => acc + d.amountTaxExcl, 0);
  const percent = documentPercent(base, discount, cfg.ebp.discountPercentDecimals);
  if (percent === undefined) {
    return {
      lines, discountPercent: 0,
      check: {
        held: true, exportedTaxExcl: base,
        reason: `remise de commande ${formatEuros(discount, o.currency)} impossible à exprimer en « % remise » `
          + `(${cfg.ebp.discountPercentDecimals} décimales) sur ${formatEuros(base, o.currency)} au centime près`,
      },
    };
  }
  // EBP: Total Brut HT = Σ net lines − document discount + shipping (EBP_DIVALTO.md §1.3, checked on real documents).
  const check = checkTotals(o, [
    ...lines.map((l) => ({ label: l.line.reference, amountTaxExcl: l.amountTaxExcl })),
    { label: 'Document - % remise', amountTaxExcl: -roundToCent(applyPercent(base, percent)) },
    { label: 'Document - Frais de port HT', amountTaxExcl: roundToCent(o.shippingTaxExcl) },
  ]);
  return { lines, discountPercent: percent, check };
}

export function checkEbpOrder(o: ErpOrder, cfg: OrdersConfig): CheckResult {
  return ebpDocument(o, cfg).check;
}

/**
 * A free-text value (never a key) for the `;` file: one line, no `;` (field separator) nor `"` (EBP's quote), in the file's
 * encoding, and no leading = + - @ that a spreadsheet would run (numbers are formatted apart and stay numbers).
 */
function ebpText(value: string | undefined, cfg: OrdersConfig, what: string, key: string): string {
  const flat = singleLine(value ?? '').replace(/;/g, ',').replace(/"/g, '\'').trim();
  const fitted = cfg.ebp.encoding === 'windows-1252' ? fitToEncoding(flat, 'windows-1252', what, key) : flat;
  return neutraliseFormula(fitted);
}

/** An ERP key goes out as it is (never « '+VIS »): one EBP cannot carry unchanged holds the order. */
function ebpKey(value: string, origin: KeyOrigin, cfg: OrdersConfig, idOrder: number): string {
  const rules: KeyRules = { erp: 'ebp', encoding: cfg.ebp.encoding === 'windows-1252' ? 'windows-1252' : 'utf-8', separators: [';', '"'] };
  return erpKey(value, origin, rules, idOrder);
}

function addressLine(a: ErpAddress): string {
  return a.address2 !== undefined ? `${a.address1}, ${a.address2}` : a.address1;
}

function nameOf(a: { firstname: string; lastname: string; company?: string }): string {
  return a.company ?? `${a.lastname.toUpperCase()} ${a.firstname}`.trim();
}

function orderRows(o: ErpOrder, cfg: OrdersConfig): string[][] {
  const doc = ebpDocument(o, cfg);
  if (doc.check.held) throw new OrderHeld(doc.check.reason, o.idOrder);
  const key = String(o.idOrder);
  const t = (v: string | undefined, what: string): string => ebpText(v, cfg, what, key);
  const b = o.billingAddress;
  const d = o.deliveryAddress;
  const header = [
    ebpKey(documentNumber(o, cfg), KEY_ORIGINS.document, cfg, o.idOrder),
    dateDMY(o.date),
    ebpKey(customerCodeFor(o, cfg, 'ebp'), customerCodeOrigin(o, cfg, 'ebp'), cfg, o.idOrder),
    t(nameOf(o.customer), 'le nom du client'),
    t(o.reference, 'la référence'),
    t(addressLine(b), 'l\'adresse de facturation'),
    t(b.postcode, 'le code postal'),
    t(b.city, 'la ville'),
    t(b.countryIso, 'le pays'),
    t(o.customer.email, 'l\'e-mail'),
    t(nameOf(d), 'le nom de livraison'),
    t(addressLine(d), 'l\'adresse de livraison'),
    t(d.postcode, 'le code postal de livraison'),
    t(d.city, 'la ville de livraison'),
    t(d.countryIso, 'le pays de livraison'),
    t(d.phone, 'le téléphone de livraison'),
    formatMicros(o.shippingTaxExcl, 2),
    percentText(doc.discountPercent),
  ];
  return doc.lines.map((l) => [
    ...header,
    ebpKey(l.line.reference, KEY_ORIGINS.article, cfg, o.idOrder),
    t(l.line.designation, 'la désignation'),
    String(l.line.quantity),
    formatMicrosTrimmed(l.unitPrice, 2, cfg.ebp.priceDecimals),
    percentText(l.percent),
    formatMicros(Math.round(l.line.vatRate * 1_000_000), 2),
    ...(cfg.ebp.shopColumn !== undefined ? [shopCell(o, cfg)] : []),
  ]);
}

/** Multistore: the shop's name in the column orders.ebp.shopColumn adds at the end (the frozen header stays
 *  as it is without it). An empty cell when the shop has no label. */
function shopCell(o: ErpOrder, cfg: OrdersConfig): string {
  const label = shopLabel(o, cfg);
  return label === '' ? '' : ebpKey(label, KEY_ORIGINS.shop, cfg, o.idOrder);
}

/** The header line: the frozen one, and the shop column when orders.ebp.shopColumn asks for it. */
export function ebpHeader(cfg: OrdersConfig): string[] {
  return cfg.ebp.shopColumn !== undefined ? [...EBP_ORDER_HEADER, cfg.ebp.shopColumn] : [...EBP_ORDER_HEADER];
}

/** One order → `CMD-<id>-<ref>.csv`; several (orders.batch) → one file, rows grouped by document number. */
export function writeEbp(orders: ErpOrder | ErpOrder[], cfg: OrdersConfig): ErpFile {
  const list = Array.isArray(orders) ? orders : [orders];
  const rows = [ebpHeader(cfg), ...list.flatMap((o) => orderRows(o, cfg))];
  const text = `${rows.map((r) => r.join(';')).join('\r\n')}\r\n`;
  const bytes = cfg.ebp.encoding === 'utf-8-bom' ? encode(text, 'utf-8', true) : encode(text, 'windows-1252');
  return { fileName: fileNameFor(list, 'csv'), bytes };
}

/**
 * EBP decides order vs quote by the TABLE the model imports into, not by a column: SaleOrders [V-real]; the
 * quotes table is not documented publicly — SaleQuotes by analogy with SaleOrders/SaleInvoices [INF, to check
 * on the customer's EBP]. The file itself is the same in both modes.
 */
export const EBP_IMPORT_TABLE = { order: 'SaleOrders', quote: 'SaleQuotes' } as const;

/** The batch line an integrator schedules (EBP_DIVALTO.md §1.1): `/Import="<file>";SaleOrders;<model>;stop`. */
export function ebpImportCommand(filePath: string, model: string, cfg: OrdersConfig): string {
  return `/Import="${filePath}";${EBP_IMPORT_TABLE[cfg.documentType]};${model};stop`;
}
