// Warehouse lines → one quantity per reference, the number the shop will show. Pure, streaming: lines are
// folded as they come into typed columns, so a 1,000,000-line export costs a few numbers per line and one
// Map entry per distinct reference.
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

/** Typed columns that grow by doubling: a 1,000,000-line export keeps numbers here, not an object per line,
 *  so that memory is a few bytes per line and the garbage collector has nothing to walk (issue #6). */
class Column<A extends Int32Array | Float64Array> {
  constructor(public data: A) {}
  ensure(n: number): A {
    if (n > this.data.length) {
      const bigger = new (this.data.constructor as new (length: number) => A)(Math.max(n, this.data.length * 2));
      bigger.set(this.data);
      this.data = bigger;
    }
    return this.data;
  }
}

export class StockAccumulator {
  /** Reference → its slot; per slot: its reference, running sum, first line, first and last of its lines. */
  private readonly slotOf = new Map<string, number>();
  private readonly references: string[] = [];
  private readonly sum = new Column(new Float64Array(1024));
  private readonly first = new Column(new Int32Array(1024));
  private readonly head = new Column(new Int32Array(1024));
  private readonly tail = new Column(new Int32Array(1024));
  /** Set when the file contradicts itself for a reference (by slot): why. Rare: a Map. */
  private readonly conflicts = new Map<number, string>();
  /** One entry per warehouse line counted, chained per reference in file order. */
  private entries = 0;
  private readonly eWarehouse = new Column(new Int32Array(4096));
  private readonly eLine = new Column(new Int32Array(4096));
  private readonly eNext = new Column(new Int32Array(4096));
  private readonly eReal = new Column(new Float64Array(4096));
  private readonly eReserved = new Column(new Float64Array(4096));
  private readonly wanted: Set<string> | undefined;
  /** Warehouse codes are few: each one a small number. */
  private readonly warehouseIds = new Map<string, number>();
  private readonly warehouseNames: string[] = [];
  private readonly real: boolean;
  private ignored = 0;
  private readonly repeated: number[] = [];

  constructor(opts: StockSumOptions) {
    this.wanted = opts.warehouses.length > 0 ? new Set(opts.warehouses) : undefined;
    this.real = opts.quantity === 'real';
  }

  add(l: StockLine): void {
    if (this.wanted !== undefined && !this.wanted.has(l.warehouse)) {
      this.ignored++;
      return;
    }
    let warehouse = this.warehouseIds.get(l.warehouse);
    if (warehouse === undefined) {
      warehouse = this.warehouseNames.length;
      this.warehouseIds.set(l.warehouse, warehouse);
      this.warehouseNames.push(l.warehouse);
    }
    const qty = this.real ? l.real : l.real - l.reserved;
    const slot = this.slotOf.get(l.reference);
    if (slot === undefined) {
      const s = this.references.length;
      this.slotOf.set(l.reference, s);
      this.references.push(l.reference);
      this.sum.ensure(s + 1)[s] = qty;
      this.first.ensure(s + 1)[s] = l.line;
      const e = this.entry(warehouse, l);
      this.head.ensure(s + 1)[s] = e;
      this.tail.ensure(s + 1)[s] = e;
      return;
    }
    const wh = this.eWarehouse.data;
    const next = this.eNext.data;
    for (let e = this.head.data[slot]!; e !== -1; e = next[e]!) {
      if (wh[e] !== warehouse) continue;
      const real = this.eReal.data[e]!;
      if (real === l.real && this.eReserved.data[e] === l.reserved) {
        this.repeated.push(l.line);
        return;
      }
      if (!this.conflicts.has(slot)) {
        const where = l.warehouse === '' ? '' : `l'entrepôt ${l.warehouse} `;
        this.conflicts.set(slot, `${where}figure deux fois avec des quantités différentes (lignes ${frNumber(this.eLine.data[e]!)} : ${frNumber(real)}, et ${frNumber(l.line)} : ${frNumber(l.real)})`);
      }
    }
    this.sum.data[slot]! += qty;
    const e = this.entry(warehouse, l);
    this.eNext.data[this.tail.data[slot]!] = e;
    this.tail.data[slot] = e;
  }

  private entry(warehouse: number, l: StockLine): number {
    const e = this.entries++;
    const n = e + 1;
    this.eWarehouse.ensure(n)[e] = warehouse;
    this.eLine.ensure(n)[e] = l.line;
    this.eNext.ensure(n)[e] = -1;
    this.eReal.ensure(n)[e] = l.real;
    this.eReserved.ensure(n)[e] = l.reserved;
    return e;
  }

  /**
   * One record per reference, in order of first appearance, or a reject per line of a reference the file
   * contradicts. The sum is clamped to 0 per reference, after summing the warehouses: over-reservation in one
   * warehouse is served from the others' stock, so clamping each line first would overstate what can be sold.
   */
  *results(): Generator<StockRecord | StockLineReject> {
    const sum = this.sum.data;
    const first = this.first.data;
    for (let s = 0; s < this.references.length; s++) {
      const reference = this.references[s]!;
      const conflict = this.conflicts.get(s);
      if (conflict !== undefined) {
        for (let e = this.head.data[s]!; e !== -1; e = this.eNext.data[e]!) {
          yield { line: this.eLine.data[e]!, key: reference, reject: `référence ${reference} : ${conflict} — stock non mis à jour, corrigez l'export` };
        }
        continue;
      }
      const quantity = sum[s]!;
      if (quantity > MAX_QUANTITY) {
        yield { line: first[s]!, key: reference, reject: `stock total de ${frNumber(quantity)} : au-delà de ce que PrestaShop accepte (${frNumber(MAX_QUANTITY)} au plus)` };
        continue;
      }
      yield { reference, quantity: quantity < 0 ? 0 : quantity, line: first[s]! };
    }
  }

  /** Lines of warehouses not listed in `warehouses` (for the report: ignored, not rejected). */
  get ignoredLines(): number {
    return this.ignored;
  }

  /** References whose sum is negative (published as 0). */
  get clampedToZero(): number {
    let clamped = 0;
    const sum = this.sum.data;
    for (let s = 0; s < this.references.length; s++) if (sum[s]! < 0 && !this.conflicts.has(s)) clamped++;
    return clamped;
  }

  get repeatedLines(): number[] {
    return this.repeated;
  }

  get size(): number {
    return this.references.length;
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
