// Finding the shop object of each ERP key, once for every flow (issue #8): the identity map first, then the
// pipeline's `find` for the keys it does not know, 50 keys per call, several calls in flight (the client
// bounds the connections). Everything is resolved before the first write, so that two ERP keys that land
// on one shop object are both refused, naming each other (issue #7), instead of the last one winning.
import { Interrupted, RecordRejected } from '../errors.ts';
import type { AnyFilePipeline, FileContext, Found } from '../pipeline.ts';
import type { StopSignal } from './stop.ts';
import type { Planned } from './read-phase.ts';
import type { Tally } from './tally.ts';

export const FIND_BATCH = 50;
/** find() calls in flight at once: enough to keep the client's connections busy. */
const FINDS_IN_FLIGHT = 4;

export interface Resolved { target: unknown; fresh: boolean; shopId: string }

/** Targets by ERP key; the records whose key is refused are rejected in `tally` and left out of the result plan. */
export async function resolveAll(p: AnyFilePipeline, ctx: FileContext, plan: Planned[], tally: Tally, stop?: StopSignal): Promise<{ plan: Planned[]; targets: Map<string, Resolved> }> {
  const resolver = p.identity;
  const entity = p.entity;
  const targets = new Map<string, Resolved>();
  if (!resolver || !entity) return { plan, targets };
  const keys = plan.map((e) => e.rec.key);
  for (let i = 0; i < keys.length; i += 500) {
    for (const [key, known] of ctx.state.lookupMany(entity, keys.slice(i, i + 500))) {
      targets.set(key, { target: resolver.remembered(known.shopId, known.data), fresh: false, shopId: known.shopId });
    }
  }
  const unknown = keys.filter((k) => !targets.has(k));
  const refused = new Map<string, string>();
  const found = new Map<string, Found<unknown>>();
  const windows: string[][] = [];
  for (let i = 0; i < unknown.length; i += FIND_BATCH) windows.push(unknown.slice(i, i + FIND_BATCH));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < windows.length) {
      if (stop?.stopped) throw new Interrupted();
      const win = windows[next++]!;
      const answer = await resolver.find(win, ctx);
      for (const k of win) {
        const f = answer.get(k);
        if (f) found.set(k, f);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(FINDS_IN_FLIGHT, windows.length) }, worker));

  const learnt: Array<{ key: string; shopId: string; data?: Record<string, unknown> }> = [];
  for (const [key, f] of found) {
    if ('reject' in f) {
      refused.set(key, f.reject);
      continue;
    }
    targets.set(key, { target: f.target, fresh: true, shopId: f.shopId });
    learnt.push({ key, shopId: f.shopId, ...(f.data ? { data: f.data } : {}) });
  }

  // Two keys of this file on one shop object: both refused. A new key on an object the identity map already
  // gives to another key (seen in an earlier file): refused, naming it.
  const byShopId = new Map<string, string[]>();
  for (const [key, r] of targets) byShopId.set(r.shopId, [...(byShopId.get(r.shopId) ?? []), key]);
  for (const [shopId, ks] of byShopId) {
    if (ks.length > 1) {
      for (const k of ks) {
        const others = ks.filter((x) => x !== k).map((x) => `« ${x} »`).join(', ');
        refused.set(k, `« ${k} » et ${others} désignent le même objet de la boutique (id ${shopId}) : aucune n'est appliquée ; corrigez la clé en double dans l'ERP`);
      }
    }
  }
  for (const l of learnt) {
    if (refused.has(l.key)) continue;
    const others = ctx.state.keysOfShopObject(entity, l.shopId).filter((k) => k !== l.key);
    if (others.length > 0) {
      refused.set(l.key, `l'objet de la boutique (id ${l.shopId}) trouvé pour « ${l.key} » est déjà lié à la clé « ${others[0]} » : une seule clé ERP par objet de la boutique`);
    }
  }
  if (!ctx.dryRun) {
    ctx.state.transaction(() => {
      for (const l of learnt) if (!refused.has(l.key)) ctx.state.remember(entity, l.key, l.shopId, l.data);
    });
  }
  const kept: Planned[] = [];
  for (const e of plan) {
    const why = refused.get(e.rec.key);
    if (why === undefined) {
      kept.push(e);
      continue;
    }
    targets.delete(e.rec.key);
    tally.reject(e.rec.line, e.rec.key, why);
  }
  return { plan: kept, targets };
}

/** After ShopObjectGone: the key is forgotten and found again, alone. */
export async function findAgain(p: AnyFilePipeline, ctx: FileContext, key: string): Promise<Resolved | undefined> {
  const resolver = p.identity!;
  const entity = p.entity!;
  ctx.state.forget(entity, key);
  const f = (await resolver.find([key], ctx)).get(key);
  if (!f) return undefined;
  if ('reject' in f) throw new RecordRejected(f.reject, key);
  const others = ctx.state.keysOfShopObject(entity, f.shopId).filter((k) => k !== key);
  if (others.length > 0) {
    throw new RecordRejected(`l'objet de la boutique (id ${f.shopId}) trouvé pour « ${key} » est déjà lié à la clé « ${others[0]} » : une seule clé ERP par objet de la boutique`, key);
  }
  if (!ctx.dryRun) ctx.state.remember(entity, key, f.shopId, f.data);
  return { target: f.target, fresh: true, shopId: f.shopId };
}
