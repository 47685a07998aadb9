// One entry point per ERP for the engine: is this order exportable (and why not), and the files of a run.
import { RecordRejected } from '../../src/errors.ts';
import type { OrdersConfig } from '../../src/erp/orders-config.ts';
import type { CheckResult } from './check.ts';
import type { ErpFile, ErpKind } from './common.ts';
import { checkDivaltoOrder, writeDivalto } from './divalto.ts';
import { checkEbpOrder, writeEbp } from './ebp.ts';
import type { ErpOrder } from './model.ts';
import { checkSageOrder, writeSage100 } from './sage100.ts';

/**
 * Held or not, with the reason in French: totals that do not add up, a discount EBP cannot express, a currency,
 * or a character the ERP's encoding cannot hold (the writer is dry-run to find the latter).
 */
export function checkOrderFor(erp: ErpKind, o: ErpOrder, cfg: OrdersConfig): CheckResult {
  const check = erp === 'sage' ? checkSageOrder(o, cfg) : erp === 'ebp' ? checkEbpOrder(o, cfg) : checkDivaltoOrder(o, cfg);
  if (check.held || erp === 'divalto') return check;
  try {
    if (erp === 'sage') writeSage100(o, cfg);
    else writeEbp(o, cfg);
    return check;
  } catch (err) {
    if (err instanceof RecordRejected) return { held: true, reason: err.reason, exportedTaxExcl: check.exportedTaxExcl };
    throw err;
  }
}

/**
 * The files for orders already checked: one per order, or with orders.batch one for all (Sage, EBP).
 * Divalto always writes one workbook per piece (its import takes one piece per workbook).
 */
export async function writeOrdersFor(erp: ErpKind, orders: ErpOrder[], cfg: OrdersConfig): Promise<ErpFile[]> {
  if (orders.length === 0) return [];
  if (erp === 'divalto') {
    const files: ErpFile[] = [];
    for (const o of orders) files.push(await writeDivalto(o, cfg));
    return files;
  }
  const write = erp === 'sage' ? writeSage100 : writeEbp;
  return cfg.batch ? [write(orders, cfg)] : orders.map((o) => write(o, cfg));
}
