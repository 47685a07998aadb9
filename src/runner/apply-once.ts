// Idempotent writes: a record whose desired state has the fingerprint of the last write is 'unchanged'
// and costs no webservice call (LESSONS D5, E1). The fingerprint is marked pending before the write and
// committed after it, so after a crash (kill -9) the pipeline knows to re-read the shop before writing
// again instead of trusting either side (LESSONS C5, E4).
// Pipelines that declare `entity` and `desired` get this from the record loop itself, in batches; this
// one-record form is for writes a load makes beside its main one.
import type { FileContext, LoadOutcome } from '../pipeline.ts';
import { fingerprintOf } from './fingerprint.ts';

export { fingerprintOf } from './fingerprint.ts';

export interface ApplyOnce {
  entity: string;
  key: string;
  /** What the shop must end up holding for this record; its fingerprint decides "unchanged". */
  desired: unknown;
  /** Does the write. `afterCrash` is true when an earlier write of this same value may have happened:
   *  re-read the shop and write only if it differs. */
  write(afterCrash: boolean): Promise<LoadOutcome>;
}

export async function applyOnce(ctx: Pick<FileContext, 'state' | 'dryRun'>, a: ApplyOnce): Promise<LoadOutcome> {
  const fp = fingerprintOf(a.desired);
  const prev = ctx.state.fingerprint(a.entity, a.key);
  if (prev?.fingerprint === fp && !prev.pending) return 'unchanged';
  if (ctx.dryRun) return a.write(false);
  ctx.state.markPending(a.entity, a.key, fp);
  const outcome = await a.write(prev?.pending === fp);
  ctx.state.commitFingerprint(a.entity, a.key, fp);
  return outcome;
}
