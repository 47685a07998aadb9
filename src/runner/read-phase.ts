// First phase of a file: parse → transform → combine → what changed. Rows travel in batches (an async step
// costs more than the work on a row, issue #6); the fingerprints of a batch are read in one statement. What
// is unchanged is counted and dropped; what changed is planned for the load phase, which starts only once
// every line is read, so that two lines of one key that disagree are both refused before either is written
// (issue #7: never write a value the ERP did not mean).
import { FileFatalError, ConfigError, RetriableError, errorMessage } from '../errors.ts';
import { isRejected, type AnyFilePipeline, type FileContext, type Keyed, type LoadOutcome, type Many, type Transformed } from '../pipeline.ts';
import type { FingerprintRow } from '../state/store.ts';
import { boundedLines } from './lines.ts';
import { fingerprintOfJson } from './fingerprint.ts';
import type { Tally } from './tally.ts';

export interface Planned {
  rec: Keyed<unknown>;
  /** Fingerprint and JSON of the desired state (pipelines that declare `desired`). */
  fp?: string;
  value?: string;
  /** The same desired state was marked pending by an attempt that did not commit it: re-read first. */
  afterCrash: boolean;
}

export interface ReadOptions {
  fileId: number | null;
  onProgress?: (read: number) => void;
}

/** Where the first occurrence of a key went, so that a later conflicting line can take it back. */
interface Seen {
  line: number;
  fp: string;
  /** Index in the plan, or how it was counted (unchanged, or applied by an earlier attempt). */
  at: number | { outcome: LoadOutcome; writes: number; earlier: boolean };
  lines?: number[];
  conflicted?: boolean;
}

export async function readPhase(p: AnyFilePipeline, ctx: FileContext, tally: Tally, o: ReadOptions): Promise<Planned[]> {
  const plan: Array<Planned | null> = [];
  const seen = new Map<string, Seen>();
  const duplicates: number[] = [];
  const entity = p.entity;
  const desired = p.desired;

  const conflict = (key: string, first: Seen, line: number): void => {
    first.lines = [...(first.lines ?? [first.line]), line];
    const where = boundedLines(first.lines);
    const reason = `clé « ${key} » présente plusieurs fois avec des valeurs différentes (${where}) : aucune de ces lignes n'est appliquée`;
    if (!first.conflicted) {
      first.conflicted = true;
      if (typeof first.at === 'number') plan[first.at] = null;
      else tally.uncount(first.at.outcome, first.at.writes, first.at.earlier);
      tally.reject(first.line, key, reason);
    }
    tally.reject(line, key, reason);
  };

  for await (const batch of combined(p, ctx, tally, o)) {
    const fps: string[] = [];
    const values: string[] = [];
    const fresh: Array<Keyed<unknown>> = [];
    for (const rec of batch) {
      const value = JSON.stringify(desired ? desired(rec, ctx) : rec.record) ?? 'null';
      const fp = fingerprintOfJson(value);
      const first = seen.get(rec.key);
      if (first) {
        if (first.fp === fp && !first.conflicted) duplicates.push(rec.line);
        else conflict(rec.key, first, rec.line);
        continue;
      }
      seen.set(rec.key, { line: rec.line, fp, at: -1 });
      fresh.push(rec);
      fps.push(fp);
      values.push(value);
    }
    const prev: Map<string, FingerprintRow> = entity && desired ? ctx.state.fingerprintsOf(entity, fresh.map((r) => r.key)) : new Map();
    fresh.forEach((rec, i) => {
      const fp = fps[i]!;
      const s = seen.get(rec.key)!;
      const before = prev.get(rec.key);
      if (before && before.fingerprint === fp && before.pending === null) {
        // Applied by an earlier, interrupted attempt at this very file: its outcome, not « inchangé ».
        const earlier = o.fileId !== null && before.file_id === o.fileId && (before.outcome === 'created' || before.outcome === 'updated');
        const outcome: LoadOutcome = earlier ? (before.outcome as LoadOutcome) : 'unchanged';
        const writes = earlier ? before.writes : 0;
        tally.count(outcome, writes, earlier);
        s.at = { outcome, writes, earlier };
        return;
      }
      s.at = plan.length;
      plan.push({ rec, ...(desired ? { fp, value: values[i]! } : {}), afterCrash: before?.pending === fp });
    });
  }
  if (duplicates.length > 0) {
    tally.warnings.push(`${duplicates.length} ligne(s) répétant une ligne précédente à l'identique, appliquée(s) une seule fois (${boundedLines(duplicates)})`);
  }
  return plan.filter((x): x is Planned => x !== null);
}

/** Records after parse, transform and combine, in batches, rejects counted on the way. */
async function* combined(p: AnyFilePipeline, ctx: FileContext, tally: Tally, o: ReadOptions): AsyncGenerator<ReadonlyArray<Keyed<unknown>>> {
  const lines = transformed(p, ctx, tally, o);
  if (!p.combine) {
    yield* lines;
    return;
  }
  for await (const item of p.combine(lines, ctx)) {
    const out: Array<Keyed<unknown>> = [];
    for (const t of asArray(item)) {
      if (isRejected(t)) tally.reject(t.line, t.key, t.reject);
      else out.push(t);
    }
    if (out.length > 0) yield out;
  }
}

async function* transformed(p: AnyFilePipeline, ctx: FileContext, tally: Tally, o: ReadOptions): AsyncGenerator<ReadonlyArray<Keyed<unknown>>> {
  let it: AsyncIterator<Many<unknown>>;
  try {
    it = p.parse(ctx.file.path, ctx)[Symbol.asyncIterator]();
  } catch (err) {
    throw asFileFatal(err);
  }
  for (;;) {
    let next: IteratorResult<Many<unknown>>;
    try {
      next = await it.next();
    } catch (err) {
      throw asFileFatal(err);
    }
    if (next.done) return;
    const rows = asArray(next.value);
    tally.records.read += rows.length;
    o.onProgress?.(tally.records.read);
    const out: Array<Keyed<unknown>> = [];
    for (const row of rows) {
      let t: Transformed<unknown>;
      try {
        t = p.transform(row, ctx);
      } catch (err) {
        // A transform is pure: an exception is a defect of ours on this row, not a reason to stop the file.
        ctx.log.error('unexpected error while transforming a row', { line: lineOf(row), err });
        t = { line: lineOf(row), reject: `erreur interne : ${errorMessage(err)}` };
      }
      if (isRejected(t)) tally.reject(t.line, t.key, t.reject);
      else out.push(t);
    }
    if (out.length > 0) yield out;
  }
}

function asArray<T>(item: Many<T>): readonly T[] {
  return Array.isArray(item) ? (item as readonly T[]) : [item as T];
}

export function asFileFatal(err: unknown): Error {
  if (err instanceof FileFatalError || err instanceof ConfigError || err instanceof RetriableError) return err;
  return new FileFatalError(`fichier illisible : ${errorMessage(err)}`, { cause: err });
}

function lineOf(row: unknown): number {
  const line = (row as { line?: unknown } | null)?.line;
  return typeof line === 'number' ? line : 0;
}
