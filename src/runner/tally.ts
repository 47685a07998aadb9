// What a file did, as the record loop counts it: lines read, records created / updated / unchanged /
// rejected (with line and reason), and what an earlier, interrupted attempt at the same file
// had already applied (issue #7: the report of a resumed file says what the file did across its runs).
import { emptyCounts, type RecordCounts } from '../report.ts';
import type { LoadOutcome } from '../pipeline.ts';

export interface RejectEntry { line: number; key?: string; reason: string }

export class Tally {
  readonly records: RecordCounts = emptyCounts();
  readonly rejects: RejectEntry[] = [];
  /** Records an earlier attempt at this file applied (their fingerprints carry this file's id). */
  readonly earlier = { records: 0 };
  readonly warnings: string[] = [];

  reject(line: number, key: string | undefined, reason: string): void {
    this.records.rejected++;
    this.rejects.push({ line, ...(key !== undefined ? { key } : {}), reason });
  }

  /** An outcome of this attempt, or (`earlier`) one an interrupted attempt had reached. */
  count(outcome: LoadOutcome, earlier = false): void {
    this.records[outcome]++;
    if (earlier) this.earlier.records++;
  }

  /** Takes back an outcome counted before a later line showed a conflict on the same key. */
  uncount(outcome: LoadOutcome, earlier: boolean): void {
    this.records[outcome]--;
    if (earlier) this.earlier.records--;
  }

  sortedRejects(): RejectEntry[] {
    return this.rejects.sort((a, b) => a.line - b.line);
  }
}
