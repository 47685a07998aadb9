// Warehouse lines → one quantity per reference, the number the shop will show. Pure, streaming: lines are
// folded into a Map as they come, so a 1,000,000-line export costs one small entry per distinct reference.
// A reference whose file contradicts itself (one warehouse twice with other quantities) is refused, every
// line of it, rather than summed into a value the ERP did not mean (issue #7).
import { frNumber } from '../common/format.ts';
import type { StockLine } from './stock-line.ts';

/** PrestaShop's stock_availables.quantity is a signed 32-bit integer (resources.json range). */
export const MAX_QUANTITY = 2_147_483_647;

export interface StockRecord {
  reference: string;
  quantity: number;
  /** First line of the reference in the file (the one a report names). */
  line: number;
}

export interface StockSumOptions {
  /** available = real − reserved (default in config); real = physical stock. */
  quantity: 'available' | 'real';
  /** Warehouses to count; empty = all. Lines of other warehouses are ignored (counted, not rejected). */
  warehouses: readonly string[];
}

export interface StockSumStats {
  /** Lines of warehouses not listed in `warehouses`. */
  ignoredLines: number;
  /** References whose sum was negative and is published as 0. */
  clampedToZero: number;
  /** Lines repeating an earlier line of the same reference and warehouse exactly: counted once. */
  repeatedLines: number[];
}

export interface StockLineReject { line: number; key: string; reject: string }

interface Acc {
  quantity: number;
  first: number;
  /** Per warehouse seen: its code, line, real and reserved (flat, 4 slots each). */
  seen: Array<string | number>;
  /** Set when the file contradicts itself for this reference: why. */
  conflict?: string;
}


export class StockAccumulator {
  private readonly byRef = new Map<string, Acc>();
  private readonly wanted: Set<string> | undefined;
  /** Warehouse codes are few: one shared string each instead of one per line. */
  private readonly warehouseNames = new Map<string, string>();
  private ignored = 0;
  private readonly repeated: number[] = [];

  constructor(private readonly opts: StockSumOptions) {
    this.wanted = opts.warehouses.length > 0 ? new Set(opts.warehouses) : undefined;
  }

  add(l: StockLine): void {
    if (this.wanted !== undefined && !this.wanted.has(l.warehouse)) {
      this.ignored++;
      return;
    }
    const qty = this.opts.quantity === 'real' ? l.real : l.real - l.reserved;
    let warehouse = this.warehouseNames.get(l.warehouse);
    if (warehouse === undefined) {
      warehouse = l.warehouse;
      this.warehouseNames.set(warehouse, warehouse);
    }
    const acc = this.byRef.get(l.reference);
    if (acc === undefined) {
      this.byRef.set(l.reference, { quantity: qty, first: l.line, seen: [warehouse, l.line, l.real, l.reserved] });
      return;
    }
    for (let i = 0; i < acc.seen.length; i += 4) {
      if (acc.seen[i] !== warehouse) continue;
      if (acc.seen[i + 2] === l.real && acc.seen[i + 3] === l.reserved) {
        this.repeated.push(l.line);
        return;
      }
      const where = warehouse === '' ? '' : `l'entrepôt ${warehouse} `;
      acc.conflict ??= `${where}figure deux fois avec des quantités différentes (lignes ${frNumber(Number(acc.seen[i + 1]))} : ${frNumber(Number(acc.seen[i + 2]))}, et ${frNumber(l.line)} : ${frNumber(l.real)})`;
    }
    acc.quantity += qty;
    acc.seen.push(warehouse, l.line, l.real, l.reserved);
  }

  /**
   * One record per reference, in order of first appearance, or a reject per line of a reference the file
   * contradicts. The sum is clamped to 0 per reference, after summing the warehouses: over-reservation in one
   * warehouse is served from the others' stock, so clamping each line first would overstate what can be sold.
   */
  *results(): Generator<StockRecord | StockLineReject> {
    for (const [reference, acc] of this.byRef) {
      if (acc.conflict !== undefined) {
        for (let i = 1; i < acc.seen.length; i += 4) {
          yield { line: Number(acc.seen[i]), key: reference, reject: `référence ${reference} : ${acc.conflict} — stock non mis à jour, corrigez l'export` };
        }
        continue;
      }
      if (acc.quantity > MAX_QUANTITY) {
        yield { line: acc.first, key: reference, reject: `stock total de ${frNumber(acc.quantity)} : au-delà de ce que PrestaShop accepte (${frNumber(MAX_QUANTITY)} au plus)` };
        continue;
      }
      yield { reference, quantity: acc.quantity < 0 ? 0 : acc.quantity, line: acc.first };
    }
  }

  /** Lines of warehouses not listed in `warehouses` (for the report: ignored, not rejected). */
  get ignoredLines(): number {
    return this.ignored;
  }

  /** References whose sum is negative (published as 0). */
  get clampedToZero(): number {
    let clamped = 0;
    for (const acc of this.byRef.values()) if (acc.quantity < 0 && acc.conflict === undefined) clamped++;
    return clamped;
  }

  get repeatedLines(): number[] {
    return this.repeated;
  }

  get size(): number {
    return this.byRef.size;
  }

  stats(): StockSumStats {
    return { ignoredLines: this.ignoredLines, clampedToZero: this.clampedToZero, repeatedLines: this.repeated };
  }
}

export function isStockLineReject(r: StockRecord | StockLineReject): r is StockLineReject {
  return (r as StockLineReject).reject !== undefined;
}

export function sumByReference(lines: Iterable<StockLine>, opts: StockSumOptions): Array<StockRecord | StockLineReject> {
  return sumByReferenceWithStats(lines, opts).records;
}

export function sumByReferenceWithStats(lines: Iterable<StockLine>, opts: StockSumOptions): { records: Array<StockRecord | StockLineReject>; stats: StockSumStats } {
  const summer = new StockAccumulator(opts);
  for (const l of lines) summer.add(l);
  return { records: [...summer.results()], stats: summer.stats() };
}
