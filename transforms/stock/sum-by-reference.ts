// Warehouse lines → one quantity per reference, the number the shop will show. Pure, streaming: lines are
// folded into a Map as they come, so a 1,000,000-line export costs one small entry per distinct reference.
import type { StockLine } from './stock-line.ts';

export interface StockRecord {
  reference: string;
  quantity: number;
  /** First line of the reference in the file (the one a report names). */
  line: number;
  lines: number[];
  /** Warehouses that contributed, in file order, without repeats ('' when the file has no warehouse column). */
  warehouses: string[];
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
}

interface Acc {
  reference: string;
  quantity: number;
  first: number;
  // created on a reference's second line only: most references have one line, 1M arrays would double the memory
  more?: number[];
  warehouse: string;
  warehouses?: string[];
}

export class StockAccumulator {
  private readonly byRef = new Map<string, Acc>();
  private readonly wanted: Set<string> | undefined;
  /** Warehouse codes are few: one shared string each instead of one per line. */
  private readonly warehouseNames = new Map<string, string>();
  private ignored = 0;

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
      this.byRef.set(l.reference, { reference: l.reference, quantity: qty, first: l.line, warehouse });
      return;
    }
    acc.quantity += qty;
    (acc.more ??= []).push(l.line);
    if (acc.warehouse !== warehouse && !(acc.warehouses?.includes(warehouse) ?? false)) {
      (acc.warehouses ??= [acc.warehouse]).push(warehouse);
    }
  }

  /**
   * One record per reference, in order of first appearance. The sum is clamped to 0 per reference, after
   * summing the warehouses: over-reservation in one warehouse is served from the others' stock, so clamping
   * each line first would overstate what can be sold.
   */
  *records(): Generator<StockRecord> {
    for (const acc of this.byRef.values()) {
      yield {
        reference: acc.reference,
        quantity: acc.quantity < 0 ? 0 : acc.quantity,
        line: acc.first,
        lines: acc.more === undefined ? [acc.first] : [acc.first, ...acc.more],
        warehouses: acc.warehouses ?? [acc.warehouse],
      };
    }
  }

  /** Lines of warehouses not listed in `warehouses` (for the report: ignored, not rejected). */
  get ignoredLines(): number {
    return this.ignored;
  }

  /** References whose sum is negative (published as 0). */
  get clampedToZero(): number {
    let clamped = 0;
    for (const acc of this.byRef.values()) if (acc.quantity < 0) clamped++;
    return clamped;
  }

  get size(): number {
    return this.byRef.size;
  }

  stats(): StockSumStats {
    return { ignoredLines: this.ignoredLines, clampedToZero: this.clampedToZero };
  }
}

export function sumByReference(lines: Iterable<StockLine>, opts: StockSumOptions): StockRecord[] {
  return sumByReferenceWithStats(lines, opts).records;
}

export function sumByReferenceWithStats(lines: Iterable<StockLine>, opts: StockSumOptions): { records: StockRecord[]; stats: StockSumStats } {
  const summer = new StockAccumulator(opts);
  for (const l of lines) summer.add(l);
  return { records: [...summer.records()], stats: summer.stats() };
}
