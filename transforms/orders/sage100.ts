// Sage 100 Gestion commerciale, "Format Sage" import file (ERP_FORMATS.md §1.1-1.5): #FLG 000, #VER 33,
// [#CCLI + #CCDL for a new customer], #CHEN + one #CHLI per line (+ shipping and order-discount lines on the
// article codes of the config), #FIN. One field per line, CP850, CRLF, decimal comma, JJMMAA.
import type { OrdersConfig } from '../../src/erp/orders-config.ts';
import { checkTotals, type CheckResult, type ExportedAmount } from './check.ts';
import {
  createsCustomer, customerCodeFor, documentNumber, fileNameFor, OrderHeld, type ErpFile,
} from './common.ts';
import { applyPercent, formatMicrosTrimmed, roundMicros, roundToCent, type Micros } from './money.ts';
import type { ErpOrder } from './model.ts';
import { customerCodeOrigin, KEY_ORIGINS, type KeyOrigin } from './keys.ts';
import { ccdlRecord, ccliRecord, chenRecord, chliRecord, deliveryPlaceLabel, sagePercent, sageText } from './sage100-records.ts';
import { encode } from './text.ts';

export interface SageLine {
  article: string;
  /** A product's reference, or the shipping / discount article of the config: for a held order's reason. */
  articleOrigin: KeyOrigin;
  designation: string;
  quantity: number;
  /** Unit price as written (rounded to sage.priceDecimals). */
  unitPrice: Micros;
  /** #CHLI 19 "Remise": `10%`, `1,50U` (per unit amount [INF]) or empty. */
  discount: string;
  vatRate: number;
  /** Line amount tax excluded as Sage computes it from the written values. */
  amountTaxExcl: Micros;
}

function mostCommonRate(o: ErpOrder): number {
  const counts = new Map<number, number>();
  for (const l of o.lines) counts.set(l.vatRate, (counts.get(l.vatRate) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
}

/** The #CHLI lines of an order: products, then shipping (PORT), then one line per cart rule (REMISE, negative price). */
export function sageLines(o: ErpOrder, cfg: OrdersConfig): SageLine[] {
  const decimals = cfg.sage.priceDecimals;
  const lines: SageLine[] = o.lines.map((l) => {
    const unitPrice = roundMicros(l.unitPriceTaxExcl, decimals);
    const gross = unitPrice * l.quantity;
    if (l.discount && 'percent' in l.discount) {
      return {
        article: l.reference, articleOrigin: KEY_ORIGINS.article, designation: l.designation, quantity: l.quantity, unitPrice, vatRate: l.vatRate,
        discount: sagePercent(l.discount.percent),
        amountTaxExcl: roundToCent(gross - applyPercent(gross, l.discount.percent)),
      };
    }
    if (l.discount) {
      const perUnit = roundMicros(l.discount.amountTaxExcl, decimals);
      return {
        article: l.reference, articleOrigin: KEY_ORIGINS.article, designation: l.designation, quantity: l.quantity, unitPrice, vatRate: l.vatRate,
        discount: `${formatMicrosTrimmed(perUnit, 2, decimals)}U`,
        amountTaxExcl: roundToCent((unitPrice - perUnit) * l.quantity),
      };
    }
    return {
      article: l.reference, articleOrigin: KEY_ORIGINS.article, designation: l.designation, quantity: l.quantity, unitPrice, vatRate: l.vatRate,
      discount: '', amountTaxExcl: roundToCent(gross),
    };
  });
  if (o.shippingTaxExcl !== 0) {
    const price = roundMicros(o.shippingTaxExcl, decimals);
    lines.push({
      article: cfg.articles.shipping, articleOrigin: KEY_ORIGINS.shippingArticle, designation: o.carrierName !== '' ? `Frais de port ${o.carrierName}` : 'Frais de port',
      quantity: 1, unitPrice: price, discount: '', vatRate: o.shippingVatRate, amountTaxExcl: roundToCent(price),
    });
  }
  const fallbackRate = mostCommonRate(o);
  for (const d of o.orderDiscounts) {
    const price = -roundMicros(d.amountTaxExcl, decimals);
    lines.push({
      article: cfg.articles.discount, articleOrigin: KEY_ORIGINS.discountArticle, designation: d.name !== '' ? d.name : 'Remise', quantity: 1, unitPrice: price,
      discount: '', vatRate: d.vatRate ?? fallbackRate, amountTaxExcl: roundToCent(price),
    });
  }
  return lines;
}

/** Held (with its reason) when the lines Sage will compute do not give the order's total HT. */
export function checkSageOrder(o: ErpOrder, cfg: OrdersConfig): CheckResult {
  if (o.currency !== 'EUR') {
    return { held: true, exportedTaxExcl: 0, reason: `devise ${o.currency} non gérée : le fichier Sage est écrit dans la devise du dossier (EUR)` };
  }
  const amounts: ExportedAmount[] = sageLines(o, cfg).map((l) => ({ label: l.article, amountTaxExcl: l.amountTaxExcl }));
  return checkTotals(o, amounts);
}

function orderRecords(o: ErpOrder, cfg: OrdersConfig): string[] {
  const check = checkSageOrder(o, cfg);
  if (check.held) throw new OrderHeld(check.reason, o.idOrder);
  const key = String(o.idOrder);
  const customerCode = customerCodeFor(o, cfg, 'sage');
  const customerOrigin = customerCodeOrigin(o, cfg, 'sage');
  const creates = createsCustomer(o, cfg, 'sage');
  const out: string[] = [];
  if (creates) out.push('#CCLI', ...ccliRecord(o, cfg, customerCode), '#CCDL', ...ccdlRecord(o, cfg));
  // Without a #CCDL of ours, the delivery place stays empty: Sage takes the customer's main one [INF].
  const deliveryPlace = creates ? sageText(deliveryPlaceLabel(o.deliveryAddress), 35, 'le lieu de livraison', key) : '';
  out.push('#CHEN', ...chenRecord({ o, cfg, docNumber: documentNumber(o, cfg), customerCode, customerOrigin, deliveryPlace }));
  for (const l of sageLines(o, cfg)) out.push('#CHLI', ...chliRecord({ o, cfg, customerCode, customerOrigin, ...l }));
  return out;
}

/**
 * One order → `CMD-<id>-<ref>.txt`; several (orders.batch) → `CMD-BATCH-<first>-<last>.txt`, one #CHEN per order.
 * Throws OrderHeld (a RecordRejected) for an order that does not add up or has a character CP850 cannot hold:
 * call checkSageOrder first to leave such orders out of a batch.
 */
export function writeSage100(orders: ErpOrder | ErpOrder[], cfg: OrdersConfig): ErpFile {
  const list = Array.isArray(orders) ? orders : [orders];
  const lines = ['#FLG 000', `#VER ${cfg.sage.version}`];
  for (const o of list) lines.push(...orderRecords(o, cfg));
  lines.push('#FIN');
  return { fileName: fileNameFor(list, 'txt'), bytes: encode(`${lines.join('\r\n')}\r\n`, 'cp850') };
}
