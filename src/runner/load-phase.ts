// Second phase of a file: the records that changed go to the shop, a bounded number in flight. Each window
// of records is marked pending in one transaction before any of its writes, and fingerprints are committed
// in batches after them: a kill -9 between a write and its commit leaves the record pending, and the next
// attempt re-reads the shop before writing (LESSONS C5, E4). On a stop (SIGTERM) nothing new starts.
import { ConfigError, Interrupted, RecordRejected, RetriableError, ShopObjectGone, errorMessage } from '../errors.ts';
import type { AnyFilePipeline, FileContext, LoadOutcome, LoadResult, LoadStep } from '../pipeline.ts';
import type { Commit } from '../state/store.ts';
import { crashPoint } from '../testing/crash-points.ts';
import { findAgain, type Resolved } from './identity.ts';
import type { Planned } from './read-phase.ts';
import type { StopSignal } from './stop.ts';
import type { Tally } from './tally.ts';

/** Records marked pending together, and fingerprints committed together. */
const WINDOW = 200;

export interface LoadOptions {
  fileId: number | null;
  concurrency: number;
  stop?: StopSignal;
}

export async function loadPhase(p: AnyFilePipeline, ctx: FileContext, plan: Planned[], targets: Map<string, Resolved>, tally: Tally, o: LoadOptions): Promise<void> {
  const entity = p.entity;
  const tracked = entity !== undefined && p.desired !== undefined && !ctx.dryRun;
  let commits: Commit[] = [];
  const flush = (): void => {
    if (!tracked || commits.length === 0) return;
    ctx.state.commitMany(entity, o.fileId, commits);
    commits = [];
  };

  let inFlight = 0;
  let slotFreed: (() => void) | undefined;
  let failure: unknown;
  let interrupted = false;
  const settle = (): void => {
    inFlight--;
    const wake = slotFreed;
    slotFreed = undefined;
    wake?.();
  };

  const loadOne = async (e: Planned): Promise<LoadOutcome | LoadResult> => {
    const r = targets.get(e.rec.key);
    const step: LoadStep<unknown> = { ...(r ? { target: r.target } : {}), fresh: r?.fresh ?? false, afterCrash: e.afterCrash };
    try {
      return await p.load(e.rec, ctx, step);
    } catch (err) {
      // The remembered object was deleted in the back office: find the key again, once.
      if (!(err instanceof ShopObjectGone) || step.fresh || !p.identity) throw err;
      const again = await findAgain(p, ctx, e.rec.key);
      return p.load(e.rec, ctx, { ...(again ? { target: again.target } : {}), fresh: true, afterCrash: e.afterCrash });
    }
  };

  const done = (e: Planned, res: LoadOutcome | LoadResult): void => {
    let outcome = typeof res === 'string' ? res : res.outcome;
    // Already in the shop after a kill of this very file's earlier attempt, which had marked it: that
    // attempt wrote it; the report of the file says so rather than « inchangé ».
    const earlier = outcome === 'unchanged' && e.afterCrash && e.markedByThisFile === true;
    if (earlier) outcome = 'updated';
    if (typeof res !== 'string' && res.identity && entity && !ctx.dryRun) {
      ctx.state.remember(entity, e.rec.key, res.identity.shopId, res.identity.data);
    }
    tally.count(outcome, earlier);
    if (tracked) {
      commits.push({ key: e.rec.key, fingerprint: e.fp!, value: e.value!, outcome });
      if (commits.length >= WINDOW) flush();
    }
    crashPoint('load.done');
  };

  const failed = (e: Planned, err: unknown): void => {
    if (err instanceof Interrupted) interrupted = true;
    else if (err instanceof RecordRejected) tally.reject(e.rec.line, err.key ?? e.rec.key, err.reason);
    else if (err instanceof RetriableError || err instanceof ConfigError) failure ??= err;
    else {
      // A defect of ours on one record must not sink the file: reject it, keep the stack in the log.
      ctx.log.error('unexpected error while loading a record', { key: e.rec.key, line: e.rec.line, err });
      tally.reject(e.rec.line, e.rec.key, `erreur interne : ${errorMessage(err)}`);
    }
  };

  for (let w = 0; w < plan.length; w += WINDOW) {
    if (failure || interrupted || o.stop?.stopped) break;
    const window = plan.slice(w, w + WINDOW);
    if (tracked) ctx.state.markPendingMany(entity, o.fileId, window.map((e) => ({ key: e.rec.key, fingerprint: e.fp! })));
    for (const e of window) {
      if (failure || interrupted || o.stop?.stopped) break;
      inFlight++;
      loadOne(e).then((res) => done(e, res), (err: unknown) => failed(e, err)).finally(settle);
      while (inFlight >= o.concurrency) await new Promise<void>((r) => { slotFreed = r; });
    }
  }
  while (inFlight > 0) await new Promise<void>((r) => { slotFreed = r; });
  flush();
  if (failure) throw failure;
  if (interrupted || o.stop?.stopped) throw new Interrupted();
}
