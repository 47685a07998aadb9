// Divalto Infinity, "Import de pièces par tableur" (EBP_DIVALTO.md §2.1 [V-real, 3 writers]): one sheet, free
// title on row 1, headers on row 3, then one row per record — IPAR (import parameters), ENT (piece header),
// MOUV (one per line; shipping and order discounts as lines on the config's articles). The columns come from the
// `orders.divalto.columns` template (divalto-template.ts).
import type { OrdersConfig } from '../../src/erp/orders-config.ts';
import { checkTotals, type CheckResult } from './check.ts';
import { customerCodeFor, dateDMY, documentNumber, fullName, orderFileName, OrderHeld, shopLabel, type ErpFile } from './common.ts';
import { applyPercent, microsToNumber, roundMicros, roundToCent, type Micros } from './money.ts';
import type { ErpAddress, ErpOrder } from './model.ts';
import { placeholdersIn, type DivaltoColumn, type DivaltoRecord } from './divalto-template.ts';
import { customerCodeOrigin, erpKey, KEY_ORIGINS, type KeyOrigin, type KeyRules } from './keys.ts';
import { singleLine } from './text.ts';

/** Divalto piece type (ENT.PICOD / TYPE_PIECE): 1 devis, 2 commande [V-real, EBP_DIVALTO.md §2.5]. */
export const DIVALTO_TYPE_PIECE = { quote: 1, order: 2 } as const;

type CellValue = string | number;

interface DivaltoLine {
  reference: string;
  referenceOrigin: KeyOrigin;
  designation: string;
  quantity: number;
  netUnitPrice: Micros;
  grossUnitPrice: Micros;
  discountPercent: number;
  vatRate: number;
}

function divaltoLines(o: ErpOrder, cfg: OrdersConfig): DivaltoLine[] {
  const decimals = cfg.divalto.priceDecimals;
  const lines: DivaltoLine[] = o.lines.map((l) => {
    const percent = l.discount && 'percent' in l.discount ? l.discount.percent : 0;
    const net = roundMicros(l.netUnitPriceTaxExcl, decimals);
    return {
      reference: l.reference, referenceOrigin: KEY_ORIGINS.article, designation: l.designation, quantity: l.quantity, vatRate: l.vatRate, netUnitPrice: net,
      // An amount discount has no % form: the pair (gross, %) falls back to (net, 0) so it stays consistent.
      grossUnitPrice: percent > 0 ? roundMicros(l.unitPriceTaxExcl, decimals) : net,
      discountPercent: percent,
    };
  });
  const flat = (reference: string, referenceOrigin: KeyOrigin, designation: string, price: Micros, vatRate: number): DivaltoLine => ({
    reference, referenceOrigin, designation, quantity: 1, netUnitPrice: price, grossUnitPrice: price, discountPercent: 0, vatRate,
  });
  if (o.shippingTaxExcl !== 0) {
    lines.push(flat(cfg.articles.shipping, KEY_ORIGINS.shippingArticle, o.carrierName !== '' ? `Frais de port ${o.carrierName}` : 'Frais de port',
      roundMicros(o.shippingTaxExcl, decimals), o.shippingVatRate));
  }
  for (const d of o.orderDiscounts) {
    lines.push(flat(cfg.articles.discount, KEY_ORIGINS.discountArticle, d.name !== '' ? d.name : 'Remise', -roundMicros(d.amountTaxExcl, decimals),
      d.vatRate ?? o.lines[0]?.vatRate ?? 0));
  }
  return lines;
}

/** How Divalto will price a MOUV row, read from the template: MOUV.PUB net, or gross with MOUV.REM_0001-like %. */
function lineAmount(l: DivaltoLine, columns: DivaltoColumn[]): Micros {
  const pub = columns.find((c) => c.header.toUpperCase() === 'MOUV.PUB')?.MOUV ?? '{netUnitPrice}';
  const hasPercent = columns.some((c) => c.MOUV !== undefined && placeholdersIn(c.MOUV).includes('discountPercent'));
  if (pub.includes('{grossUnitPrice}')) {
    const gross = l.grossUnitPrice * l.quantity;
    return roundToCent(hasPercent ? gross - applyPercent(gross, l.discountPercent) : gross);
  }
  return roundToCent(l.netUnitPrice * l.quantity);
}

// A workbook cell takes any text, and exceljs writes a string as a text cell (never a formula): a key that looks
// like a formula or a number stays that text. Only what would change it in Divalto's grid — a line break, a
// control character, spaces at its ends — holds the order.
const DIVALTO_KEYS: KeyRules = { erp: 'divalto', encoding: 'utf-8' };

/** Throws OrderHeld when a key of the order cannot go into its cell exactly as it is. */
function checkDivaltoKeys(o: ErpOrder, cfg: OrdersConfig, lines: DivaltoLine[]): void {
  erpKey(documentNumber(o, cfg), KEY_ORIGINS.document, DIVALTO_KEYS, o.idOrder);
  erpKey(customerCodeFor(o, cfg, 'divalto'), customerCodeOrigin(o, cfg, 'divalto'), DIVALTO_KEYS, o.idOrder);
  for (const l of lines) erpKey(l.reference, l.referenceOrigin, DIVALTO_KEYS, o.idOrder);
  const shop = shopLabel(o, cfg);
  if (shop !== '') erpKey(shop, KEY_ORIGINS.shop, DIVALTO_KEYS, o.idOrder);
}

export function checkDivaltoOrder(o: ErpOrder, cfg: OrdersConfig): CheckResult {
  const lines = divaltoLines(o, cfg);
  const check = checkTotals(o, lines.map((l) => ({ label: l.reference, amountTaxExcl: lineAmount(l, cfg.divalto.columns) })));
  if (check.held) return check;
  try {
    checkDivaltoKeys(o, cfg, lines);
  } catch (err) {
    if (err instanceof OrderHeld) return { held: true, reason: err.reason, exportedTaxExcl: check.exportedTaxExcl };
    throw err;
  }
  return check;
}

function addressValues(prefix: 'billing' | 'delivery', a: ErpAddress): Record<string, CellValue> {
  return {
    [`${prefix}Name`]: fullName(a), [`${prefix}Company`]: a.company ?? '', [`${prefix}Address1`]: a.address1,
    [`${prefix}Address2`]: a.address2 ?? '', [`${prefix}Postcode`]: a.postcode, [`${prefix}City`]: a.city,
    [`${prefix}Country`]: a.countryIso, [`${prefix}Phone`]: a.phone ?? '',
  };
}

function documentValues(o: ErpOrder, cfg: OrdersConfig): Record<string, CellValue> {
  return {
    dossier: cfg.divalto.dossier, etablissement: cfg.divalto.etablissement, depot: cfg.divalto.depot,
    documentNumber: documentNumber(o, cfg), typePiece: DIVALTO_TYPE_PIECE[cfg.documentType],
    customerCode: customerCodeFor(o, cfg, 'divalto'), date: dateDMY(o.date), reference: o.reference, idOrder: o.idOrder,
    carrier: o.carrierName, payment: o.paymentLabel, email: o.customer.email, shop: shopLabel(o, cfg),
    ...addressValues('billing', o.billingAddress), ...addressValues('delivery', o.deliveryAddress),
  };
}

function lineValues(l: DivaltoLine): Record<string, CellValue> {
  return {
    lineReference: l.reference, designation: l.designation, quantity: l.quantity,
    netUnitPrice: microsToNumber(l.netUnitPrice, 4), grossUnitPrice: microsToNumber(l.grossUnitPrice, 4),
    discountPercent: l.discountPercent, vatRate: l.vatRate, lineTotal: microsToNumber(roundToCent(l.netUnitPrice * l.quantity), 2),
  };
}

/** A template value: exactly one placeholder keeps its type (numbers stay numeric cells); else text. */
function render(template: string | undefined, values: Record<string, CellValue>): CellValue | undefined {
  if (template === undefined || template === '') return undefined;
  const single = /^\{([A-Za-z0-9]+)\}$/.exec(template);
  if (single) return values[single[1] ?? ''] ?? '';
  return template.replace(/\{([A-Za-z0-9]+)\}/g, (_, name: string) => String(values[name] ?? ''));
}

function rowFor(record: DivaltoRecord, columns: DivaltoColumn[], values: Record<string, CellValue>): CellValue[] {
  return columns.map((c, i) => {
    if (i === 0) return record;
    const v = render(c[record], values);
    if (v === undefined) return '';
    // A cell is one value: a line break would split the text in Divalto's grid.
    return typeof v === 'string' ? singleLine(v) : v;
  });
}

/** One piece → one workbook `CMD-<id>-<ref>.xlsx`. Throws OrderHeld when the lines do not add up. */
export async function writeDivalto(o: ErpOrder, cfg: OrdersConfig): Promise<ErpFile> {
  const check = checkDivaltoOrder(o, cfg);
  if (check.held) throw new OrderHeld(check.reason, o.idOrder);
  const columns = cfg.divalto.columns;
  const doc = documentValues(o, cfg);
  const rows: CellValue[][] = [
    rowFor('IPAR', columns, doc),
    rowFor('ENT', columns, doc),
    ...divaltoLines(o, cfg).map((l) => rowFor('MOUV', columns, { ...doc, ...lineValues(l) })),
  ];

  // exceljs takes ~0.6 s to load: only a Divalto order export pays for it, not every start (issue #6)
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const fixedDate = new Date(Date.UTC(2000, 0, 1)); // same order → same workbook content, whenever it is written
  workbook.created = fixedDate;
  workbook.modified = fixedDate;
  const sheet = workbook.addWorksheet('Piece');
  sheet.getCell(1, 3).value = `Intégration de pièce : ${cfg.documentType === 'quote' ? 'devis' : 'commande'} web ${String(doc.documentNumber)}`;
  columns.forEach((c, i) => { sheet.getCell(3, i + 1).value = c.header; });
  rows.forEach((row, r) => {
    row.forEach((value, i) => {
      if (value === '') return;
      // Plain string or number assignments only: exceljs writes a formula solely from a { formula } object,
      // so a designation like "=cmd" stays inert text (formula injection).
      sheet.getCell(4 + r, i + 1).value = value;
    });
  });
  const buffer = await workbook.xlsx.writeBuffer();
  return { fileName: orderFileName(o, 'xlsx'), bytes: Buffer.from(buffer as ArrayBuffer) };
}

/**
 * Batch mode: Divalto imports one piece per workbook, so a batch is written as one workbook PER ORDER
 * (same names as single mode), not refused: `orders.batch: true` stays valid for a Divalto profile.
 */
export async function writeDivaltoBatch(orders: ErpOrder[], cfg: OrdersConfig): Promise<ErpFile[]> {
  const files: ErpFile[] = [];
  for (const o of orders) files.push(await writeDivalto(o, cfg));
  return files;
}
