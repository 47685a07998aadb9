// One row of an ERP stock export → one warehouse line of one article, or a reason to reject the row. Pure.
import { frNumber } from '../common/format.ts';
import type { StockFlowProfile } from '../../src/erp/profile.ts';
import type { Row } from '../../src/parse/row.ts';
import { normalizeKey, parseQuantity, wholeQuantity } from '../common/numbers.ts';
import { MAX_QUANTITY } from './sum-by-reference.ts';

export interface StockLine {
  line: number;
  reference: string;
  /** '' when the export has no warehouse column (one line per reference). */
  warehouse: string;
  real: number;
  reserved: number;
}

export interface StockReject { reject: string; key?: string }

export function isStockReject(x: StockLine | StockReject): x is StockReject {
  return (x as StockReject).reject !== undefined;
}

export function toStockLine(row: Row, flow: StockFlowProfile): StockLine | StockReject {
  const cols = flow.columns;
  const reference = normalizeKey(row.values[cols.reference] ?? '');
  const key = reference === '' ? undefined : reference;
  if (row.error !== undefined) return { reject: row.error, key };
  if (reference === '') return { reject: 'référence article vide' };

  // the flow carries `decimal`: no options object per line
  const realRaw = row.values[cols.real] ?? '';
  let real = wholeQuantity(realRaw, flow);
  if (real === undefined) {
    const parsed = parseQuantity(realRaw, flow);
    if (!parsed.ok) return { reject: `stock réel (${cols.real}) : ${parsed.reason}`, key };
    real = parsed.value;
  }
  if (Math.abs(real) > MAX_QUANTITY) return { reject: `stock réel (${cols.real}) : ${outOfRange(real)}`, key };

  let reserved = 0;
  if (cols.reserved !== undefined) {
    const raw = row.values[cols.reserved] ?? '';
    // a blank reserved cell means nothing is reserved; a blank real stock is not read as 0 (rejected above)
    let value = wholeQuantity(raw, flow);
    if (value === undefined && raw.trim() !== '') {
      const parsed = parseQuantity(raw, flow);
      if (!parsed.ok) return { reject: `quantité réservée (${cols.reserved}) : ${parsed.reason}`, key };
      value = parsed.value;
    }
    if (value !== undefined) {
      // Negative reserved stock would make « available » higher than the real stock.
      if (value < 0) return { reject: `quantité réservée (${cols.reserved}) négative : ${raw.trim()} — une réservation ne peut pas être négative, vérifiez l'export`, key };
      if (value > MAX_QUANTITY) return { reject: `quantité réservée (${cols.reserved}) : ${outOfRange(value)}`, key };
      reserved = value;
    }
  }
  const warehouse = cols.warehouse === undefined ? '' : normalizeKey(row.values[cols.warehouse] ?? '');
  return { line: row.line, reference, warehouse, real, reserved };
}


function outOfRange(v: number): string {
  return `${frNumber(v)} hors limites : PrestaShop n'accepte que des quantités de ${frNumber(-MAX_QUANTITY - 1)} à ${frNumber(MAX_QUANTITY)}`;
}
