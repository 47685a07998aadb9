// The record loop: parse → transform → (combine) → load, one record at a time through the pipeline,
// a bounded number of loads in flight. A bad record is rejected with its line and reason and the rest
// goes on; what must stop the file (retriable, configuration, fatal) is thrown to the file runner.
import { ConfigError, FileFatalError, RecordRejected, RetriableError, errorMessage } from '../errors.ts';
import { isRejected, type AnyFilePipeline, type FileContext, type Keyed, type LoadOutcome, type Rejected, type Transformed } from '../pipeline.ts';
import { emptyCounts, type RecordCounts } from '../report.ts';

export class Interrupted extends Error {
  override readonly name = 'Interrupted';
  constructor() {
    super('arrêt demandé : le fichier reprendra au prochain démarrage');
  }
}

export interface StopSignal { stopped: boolean }

export interface RecordLoopResult {
  records: RecordCounts;
  rejects: Array<{ line: number; key?: string; reason: string }>;
}

export interface RecordLoopOptions {
  concurrency: number;
  stop?: StopSignal;
  onProgress?: (read: number) => void;
}

export async function runRecords(p: AnyFilePipeline, ctx: FileContext, opts: RecordLoopOptions): Promise<RecordLoopResult> {
  const records = emptyCounts();
  const rejects: RecordLoopResult['rejects'] = [];
  const reject = (r: Rejected) => {
    records.rejected++;
    rejects.push({ line: r.line, ...(r.key !== undefined ? { key: r.key } : {}), reason: r.reject });
  };

  // parse + transform, streaming; rejects are counted as they come
  async function* transformed(): AsyncGenerator<Keyed<unknown>> {
    let rows: AsyncIterable<unknown>;
    try {
      rows = p.parse(ctx.file.path, ctx);
    } catch (err) {
      throw asFileFatal(err);
    }
    const it = rows[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<unknown>;
      try {
        next = await it.next();
      } catch (err) {
        throw asFileFatal(err);
      }
      if (next.done) return;
      records.read++;
      opts.onProgress?.(records.read);
      let t: Transformed<unknown>;
      try {
        t = p.transform(next.value, ctx);
      } catch (err) {
        // A transform is pure: an exception is a defect of ours on this row, not a reason to stop the file.
        ctx.log.error('unexpected error while transforming a row', { line: lineOf(next.value), err });
        t = { line: lineOf(next.value), reject: `erreur interne : ${errorMessage(err)}` };
      }
      if (isRejected(t)) reject(t);
      else yield t;
    }
  }

  async function* combined(): AsyncGenerator<Keyed<unknown>> {
    if (!p.combine) {
      yield* transformed();
      return;
    }
    for await (const t of p.combine(transformed(), ctx)) {
      if (isRejected(t)) reject(t);
      else yield t;
    }
  }

  // A counting semaphore: Promise.race over the loads in flight would cost O(concurrency) per record.
  let inFlight = 0;
  let slotFreed: (() => void) | undefined;
  let failure: unknown;
  const settle = () => {
    inFlight--;
    const wake = slotFreed;
    slotFreed = undefined;
    wake?.();
  };
  const onError = (rec: Keyed<unknown>, err: unknown) => {
    if (err instanceof RecordRejected) reject({ line: rec.line, key: err.key ?? rec.key, reject: err.reason });
    else if (err instanceof RetriableError || err instanceof ConfigError) failure ??= err;
    else {
      // A defect of ours on one record must not sink the file: reject it, keep the stack in the log.
      ctx.log.error('unexpected error while loading a record', { key: rec.key, line: rec.line, err });
      reject({ line: rec.line, key: rec.key, reject: `erreur interne : ${errorMessage(err)}` });
    }
  };

  for await (const rec of combined()) {
    if (failure || opts.stop?.stopped) break;
    inFlight++;
    p.load(rec, ctx).then((outcome: LoadOutcome) => { records[outcome]++; }, (err: unknown) => onError(rec, err)).finally(settle);
    while (inFlight >= opts.concurrency) await new Promise<void>((r) => { slotFreed = r; });
  }
  while (inFlight > 0) await new Promise<void>((r) => { slotFreed = r; });
  if (failure) throw failure;
  if (opts.stop?.stopped) throw new Interrupted();
  rejects.sort((a, b) => a.line - b.line);
  return { records, rejects };
}

function asFileFatal(err: unknown): Error {
  if (err instanceof FileFatalError || err instanceof ConfigError || err instanceof RetriableError) return err;
  return new FileFatalError(`fichier illisible : ${errorMessage(err)}`, { cause: err });
}

function lineOf(row: unknown): number {
  const line = (row as { line?: unknown } | null)?.line;
  return typeof line === 'number' ? line : 0;
}
