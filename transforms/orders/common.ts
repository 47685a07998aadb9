// What every ERP writer shares: file names, the document number, the customer code, dates, the held-order error.
import { RecordRejected } from '../../src/errors.ts';
import type { OrdersConfig } from '../../src/erp/orders-config.ts';
import { shopDocumentOf } from '../../src/config/multistore.ts';
import type { ErpOrder } from './model.ts';

export type ErpKind = 'sage' | 'ebp' | 'divalto';

export interface ErpFile {
  fileName: string;
  bytes: Buffer;
}

/** An order whose exported lines do not add up (or cannot be expressed): not exported, shown in the report. */
export class OrderHeld extends RecordRejected {
  constructor(reason: string, readonly idOrder: number) {
    super(reason, String(idOrder));
  }
}

function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 40) || 'SANSREF';
}

/** `CMD-<id_order>-<reference>.<ext>`: the id makes it unique (references are not, LESSONS.md A2, A8). */
export function orderFileName(o: Pick<ErpOrder, 'idOrder' | 'reference'>, ext: string): string {
  return `CMD-${o.idOrder}-${fileSafe(o.reference)}.${ext}`;
}

/** `CMD-BATCH-<first id>-<last id>.<ext>`. */
export function batchFileName(orders: Pick<ErpOrder, 'idOrder'>[], ext: string): string {
  const ids = orders.map((o) => o.idOrder);
  return `CMD-BATCH-${Math.min(...ids)}-${Math.max(...ids)}.${ext}`;
}

export function fileNameFor(orders: ErpOrder[], ext: string): string {
  const [first] = orders;
  if (!first) throw new RecordRejected('aucune commande à écrire');
  return orders.length === 1 ? orderFileName(first, ext) : batchFileName(orders, ext);
}

/** Deterministic ERP document number from id_order (LESSONS.md A2: `REF-<id_order>`), e.g. WEB000042; in
 *  multistore the shop's own prefix when orders.shops gives one (the id alone keeps it unique). */
export function documentNumber(o: Pick<ErpOrder, 'idOrder' | 'shopId'>, cfg: OrdersConfig): string {
  const prefix = shopDocumentOf(cfg.shops, o.shopId).documentPrefix ?? cfg.documentPrefix;
  return `${prefix}${String(o.idOrder).padStart(6, '0')}`;
}

/** The shop's name in the document (Sage affaire, EBP shop column, Divalto {shop}); '' when none is configured. */
export function shopLabel(o: Pick<ErpOrder, 'shopId'>, cfg: OrdersConfig): string {
  return shopDocumentOf(cfg.shops, o.shopId).label ?? '';
}

/** Code of the customer created in the same file (Sage, newCustomer: create). */
export function newCustomerCode(o: ErpOrder, cfg: OrdersConfig): string {
  return `${cfg.sage.customerCodePrefix}${String(o.customer.idCustomer).padStart(6, '0')}`;
}

/** Whether the Sage file must create this order's customer (#CCLI + #CCDL). */
export function createsCustomer(o: ErpOrder, cfg: OrdersConfig, erp: ErpKind): boolean {
  return erp === 'sage' && o.customer.erpCode === undefined && cfg.newCustomer === 'create';
}

/** The customer's ERP code: its own when the ERP created it, else a new one (Sage create) or the generic account. */
export function customerCodeFor(o: ErpOrder, cfg: OrdersConfig, erp: ErpKind): string {
  if (o.customer.erpCode !== undefined) return o.customer.erpCode;
  return createsCustomer(o, cfg, erp) ? newCustomerCode(o, cfg) : cfg.genericCustomerCode;
}

interface DateParts { year: string; month: string; day: string; time: string }

function dateParts(date: string): DateParts {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}:\d{2}:\d{2}))?/.exec(date);
  if (!m) throw new RecordRejected(`date de commande illisible : « ${date} »`);
  return { year: m[1] ?? '', month: m[2] ?? '', day: m[3] ?? '', time: m[4] ?? '00:00:00' };
}

/** JJMMAA (Format Sage, ERP_FORMATS.md §1.1). */
export function dateJJMMAA(date: string): string {
  const p = dateParts(date);
  return `${p.day}${p.month}${p.year.slice(2)}`;
}

/** dd/mm/yyyy (EBP, Divalto ENT.PIDT). */
export function dateDMY(date: string): string {
  const p = dateParts(date);
  return `${p.day}/${p.month}/${p.year}`;
}

export function timeOf(date: string): string {
  return dateParts(date).time;
}

export function fullName(a: { firstname: string; lastname: string }): string {
  return `${a.firstname} ${a.lastname}`.trim();
}
