// The record loop of one pipeline over one file: read (parse → transform → combine → what changed), find
// the shop objects of the changed keys, load them. Bad records are rejected with their line and reason and
// the rest goes on; what must stop the file (retriable, configuration, fatal, a stop) is thrown to the
// file runner.
import type { AnyFilePipeline, FileContext } from '../pipeline.ts';
import type { RecordCounts } from '../report.ts';
import { resolveAll } from './identity.ts';
import { loadPhase } from './load-phase.ts';
import { readPhase } from './read-phase.ts';
import type { StopSignal } from './stop.ts';
import { Tally, type RejectEntry } from './tally.ts';

export type { StopSignal } from './stop.ts';
export { Interrupted } from '../errors.ts';

export interface RecordLoopResult {
  records: RecordCounts;
  rejects: RejectEntry[];
  /** What an earlier, interrupted attempt at this file had applied (counted in `records`). */
  earlier: { records: number };
  warnings: string[];
}

export interface RecordLoopOptions {
  /** Loads in flight; the shop client bounds the requests themselves (shop.concurrency). */
  concurrency: number;
  /** The files journal id: fingerprints say which file wrote them (resumed files' reports). */
  fileId?: number | null;
  /** The file was claimed by an attempt that did not finish: count what that attempt applied. */
  resumed?: boolean;
  stop?: StopSignal;
  onProgress?: (read: number) => void;
}

export async function runRecords(p: AnyFilePipeline, ctx: FileContext, opts: RecordLoopOptions): Promise<RecordLoopResult> {
  const tally = new Tally();
  const fileId = opts.fileId ?? null;
  const planned = await readPhase(p, ctx, tally, { fileId, resumed: opts.resumed ?? false, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  const { plan, targets } = await resolveAll(p, ctx, planned, tally, opts.stop);
  await loadPhase(p, ctx, plan, targets, tally, { fileId, concurrency: opts.concurrency, ...(opts.stop ? { stop: opts.stop } : {}) });
  return { records: tally.records, rejects: tally.sortedRejects(), earlier: tally.earlier, warnings: tally.warnings };
}
