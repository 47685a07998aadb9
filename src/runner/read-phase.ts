// First phase of a file: parse → transform → combine → what changed. Rows travel in batches (an async step
// costs more than the work on a row, issue #6); the fingerprints of a batch are read in one statement. What
// is unchanged is counted and dropped; what changed is planned for the load phase, which starts only once
// every line is read, so that two lines of one key that disagree are both refused before either is written
// (issue #7: never write a value the ERP did not mean).
import { FileFatalError, ConfigError, RetriableError, errorMessage } from '../errors.ts';
import { isRejected, type AnyFilePipeline, type FileContext, type Keyed, type Many, type Transformed } from '../pipeline.ts';
import { describeFileFailure, fsErrorCode } from '../intake/fs-errors.ts';
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
  /** That pending mark was this file's own (an earlier attempt at it was interrupted). */
  markedByThisFile?: boolean;
}

export interface ReadOptions {
  fileId: number | null;
  /** Resumed after an interruption: fingerprints are read with the file that wrote them (no cache). */
  resumed?: boolean;
  onProgress?: (read: number) => void;
}

// Where the first occurrence of each key went (so that a later conflicting line can take it back), in flat
// arrays indexed by a slot per key: a 100,000-record file makes no object per key.
const UNCHANGED = -1;
const EARLIER_CREATED = -2;
const EARLIER_UPDATED = -3;

export async function readPhase(p: AnyFilePipeline, ctx: FileContext, tally: Tally, o: ReadOptions): Promise<Planned[]> {
  const plan: Array<Planned | null> = [];
  const slotOf = new Map<string, number>();
  const firstLine: number[] = [];
  const firstFp: string[] = [];
  /** ≥ 0: index in the plan; else UNCHANGED / EARLIER_*. */
  const placed: number[] = [];
  /** Lines of keys seen more than once with other values (rare: a Map, not an array per key). */
  const conflicts = new Map<number, number[]>();
  const duplicates: number[] = [];
  const entity = p.entity;
  const desired = p.desired;

  const conflict = (key: string, slot: number, line: number): void => {
    let lines = conflicts.get(slot);
    if (!lines) {
      lines = [firstLine[slot]!];
      conflicts.set(slot, lines);
      const at = placed[slot]!;
      if (at >= 0) plan[at] = null;
      else if (at === UNCHANGED) tally.uncount('unchanged', false);
      else tally.uncount(at === EARLIER_CREATED ? 'created' : 'updated', true);
    }
    lines.push(line);
    const reason = `clé « ${key} » présente plusieurs fois avec des valeurs différentes (${boundedLines(lines)}) : aucune de ces lignes n'est appliquée`;
    if (lines.length === 2) tally.reject(lines[0]!, key, reason);
    tally.reject(line, key, reason);
  };

  // A combine that yields each key once needs no map of the keys seen (a Map entry per key of the file).
  const once = p.combine !== undefined && p.combineYieldsKeysOnce === true;
  const json = p.desiredJson !== undefined
    ? p.desiredJson
    : (rec: Keyed<unknown>, c: FileContext): string => JSON.stringify(desired ? desired(rec, c) : rec.record) ?? 'null';
  const tracked = entity !== undefined && desired !== undefined;
  for await (const batch of combined(p, ctx, tally, o)) {
    // indices in `batch` of the first sight of each key, with their fingerprints and JSON
    const fresh: number[] = [];
    const keys: string[] = [];
    const fps: string[] = [];
    const values: string[] = [];
    for (let i = 0; i < batch.length; i++) {
      const rec = batch[i]!;
      const value = json(rec, ctx);
      const fp = fingerprintOfJson(value);
      if (!once) {
        const slot = slotOf.get(rec.key);
        if (slot !== undefined) {
          if (firstFp[slot] === fp && !conflicts.has(slot)) duplicates.push(rec.line);
          else conflict(rec.key, slot, rec.line);
          continue;
        }
        slotOf.set(rec.key, firstLine.length);
        firstLine.push(rec.line);
        firstFp.push(fp);
        placed.push(UNCHANGED);
      }
      fresh.push(i);
      keys.push(rec.key);
      fps.push(fp);
      values.push(value);
    }
    const prev = tracked ? ctx.state.compareFingerprints(entity, keys, fps, o.resumed ?? false) : undefined;
    let unchanged = 0;
    for (let f = 0; f < fresh.length; f++) {
      const rec = batch[fresh[f]!]!;
      const fp = fps[f]!;
      // undefined: the cache knows it unchanged; null: never written
      const before = prev === undefined ? null : prev[f];
      if (before === undefined) {
        unchanged++;
        continue;
      }
      const slot = once ? -1 : slotOf.get(rec.key)!;
      if (before !== null && before.fingerprint === fp && before.pending === null) {
        // Applied by an earlier, interrupted attempt at this very file: its outcome, not « inchangé ».
        if (o.fileId !== null && before.file_id === o.fileId && (before.outcome === 'created' || before.outcome === 'updated')) {
          tally.count(before.outcome, true);
          if (!once) placed[slot] = before.outcome === 'created' ? EARLIER_CREATED : EARLIER_UPDATED;
        } else {
          unchanged++;
        }
        continue;
      }
      if (!once) placed[slot] = plan.length;
      const afterCrash = before !== null && before.pending === fp;
      const e: Planned = desired ? { rec, fp, value: values[f]!, afterCrash } : { rec, afterCrash };
      if (afterCrash && o.fileId !== null && before.file_id === o.fileId) e.markedByThisFile = true;
      plan.push(e);
    }
    tally.records.unchanged += unchanged;
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
  const why = fsErrorCode(err) ? describeFileFailure(err) : errorMessage(err);
  return new FileFatalError(`fichier illisible : ${why}`, { cause: err });
}

function lineOf(row: unknown): number {
  const line = (row as { line?: unknown } | null)?.line;
  return typeof line === 'number' ? line : 0;
}
