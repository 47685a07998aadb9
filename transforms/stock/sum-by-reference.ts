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

/** `a` itself when it holds `n`, else a copy twice as long: typed columns hold numbers, not an object per
 *  line, so that a 1,000,000-line export costs a few bytes per line and the garbage collector nothing. */
function room<A extends Int32Array | Float64Array>(a: A, n: number): A {
  if (n <= a.length) return a;
  const bigger = (a instanceof Int32Array ? new Int32Array(Math.max(n, a.length * 2)) : new Float64Array(Math.max(n, a.length * 2))) as A;
  bigger.set(a);
  return bigger;
}

export class StockAccumulator {
  /** Reference → its slot. Per slot: its reference, running sum, and its first line (line, warehouse, real,
   *  reserved); its other lines are entries chained from `head` to `tail` in file order (-1: none). */
  private readonly slotOf = new Map<string, number>();
  private readonly references: string[] = [];
  private sum = new Float64Array(1024);
  private first = new Int32Array(1024);
  private firstWarehouse = new Int32Array(1024);
  private firstReal = new Float64Array(1024);
  private firstReserved = new Float64Array(1024);
  private head = new Int32Array(1024);
  private tail = new Int32Array(1024);
  /** Set when the file contradicts itself for a reference (by slot): why. Rare: a Map. */
  private readonly conflicts = new Map<number, string>();
  private entries = 0;
  private eLine = new Int32Array(1024);
  private eWarehouse = new Int32Array(1024);
  private eReal = new Float64Array(1024);
  private eReserved = new Float64Array(1024);
  private eNext = new Int32Array(1024);
  private readonly wanted: Set<string> | undefined;
  /** Warehouse codes are few: each one a small number. */
  private readonly warehouseIds = new Map<string, number>();
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
      warehouse = this.warehouseIds.size;
      this.warehouseIds.set(l.warehouse, warehouse);
    }
    const qty = this.real ? l.real : l.real - l.reserved;
    const slot = this.slotOf.get(l.reference);
    if (slot === undefined) this.firstLine(l, warehouse, qty);
    else this.otherLine(l, warehouse, qty, slot);
  }

  private firstLine(l: StockLine, warehouse: number, qty: number): void {
    const s = this.references.length;
    this.slotOf.set(l.reference, s);
    this.references.push(l.reference);
    if (s >= this.sum.length) {
      const n = s + 1;
      this.sum = room(this.sum, n);
      this.first = room(this.first, n);
      this.firstWarehouse = room(this.firstWarehouse, n);
      this.firstReal = room(this.firstReal, n);
      this.firstReserved = room(this.firstReserved, n);
      this.head = room(this.head, n);
      this.tail = room(this.tail, n);
    }
    this.sum[s] = qty;
    this.first[s] = l.line;
    this.firstWarehouse[s] = warehouse;
    this.firstReal[s] = l.real;
    this.firstReserved[s] = l.reserved;
    this.head[s] = -1;
    this.tail[s] = -1;
  }

  private otherLine(l: StockLine, warehouse: number, qty: number, slot: number): void {
    // every earlier line of the reference, in file order: the first, then the entries
    for (let e = -2; e !== -1; e = e === -2 ? this.head[slot]! : this.eNext[e]!) {
      const first = e === -2;
      if ((first ? this.firstWarehouse[slot] : this.eWarehouse[e]) !== warehouse) continue;
      const real = first ? this.firstReal[slot]! : this.eReal[e]!;
      if (real === l.real && (first ? this.firstReserved[slot] : this.eReserved[e]) === l.reserved) {
        this.repeated.push(l.line);
        return;
      }
      if (!this.conflicts.has(slot)) {
        const where = l.warehouse === '' ? '' : `l'entrepôt ${l.warehouse} `;
        const line = first ? this.first[slot]! : this.eLine[e]!;
        this.conflicts.set(slot, `${where}figure deux fois avec des quantités différentes (lignes ${frNumber(line)} : ${frNumber(real)}, et ${frNumber(l.line)} : ${frNumber(l.real)})`);
      }
    }
    this.sum[slot]! += qty;
    const e = this.entries++;
    if (e >= this.eLine.length) {
      this.eLine = room(this.eLine, e + 1);
      this.eWarehouse = room(this.eWarehouse, e + 1);
      this.eReal = room(this.eReal, e + 1);
      this.eReserved = room(this.eReserved, e + 1);
      this.eNext = room(this.eNext, e + 1);
    }
    this.eLine[e] = l.line;
    this.eWarehouse[e] = warehouse;
    this.eReal[e] = l.real;
    this.eReserved[e] = l.reserved;
    this.eNext[e] = -1;
    const tail = this.tail[slot]!;
    if (tail === -1) this.head[slot] = e;
    else this.eNext[tail] = e;
    this.tail[slot] = e;
  }

  /**
   * One record per reference, in order of first appearance, or a reject per line of a reference the file
   * contradicts. The sum is clamped to 0 per reference, after summing the warehouses: over-reservation in one
   * warehouse is served from the others' stock, so clamping each line first would overstate what can be sold.
   */
  *results(): Generator<StockRecord | StockLineReject> {
    const sum = this.sum;
    const first = this.first;
    for (let s = 0; s < this.references.length; s++) {
      const reference = this.references[s]!;
      const conflict = this.conflicts.get(s);
      if (conflict !== undefined) {
        const reject = `référence ${reference} : ${conflict} — stock non mis à jour, corrigez l'export`;
        yield { line: first[s]!, key: reference, reject };
        for (let e = this.head[s]!; e !== -1; e = this.eNext[e]!) yield { line: this.eLine[e]!, key: reference, reject };
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
    const sum = this.sum;
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
