// Which shop state an order moves to, given what the ERP says and where the order stands. Never a step
// back (a « préparation » after « expédiée » is ignored and reported), never the same state twice
// (POST order_histories would add a second history row and mail again: transcripts 107/108, LESSONS C4),
// never out of a final state. Pure.
import { ERP_STAGES, STAGE_RANK, type ErpStage } from './stages.ts';

export interface StageTarget { state: number; email: boolean }
export type StageMap = Readonly<Record<ErpStage, StageTarget>>;

export interface OrderStages {
  /** The furthest stage the ERP shows. */
  furthest: ErpStage;
  /** The furthest stage that maps to a state (FA maps to none by default: then BL, if the export shows it). */
  target?: ErpStage;
}

/** The furthest stage among an order's lines, and the furthest that changes the state. */
export function orderStages(stages: readonly ErpStage[], map: StageMap): OrderStages {
  const sorted = [...new Set(stages)].sort((a, b) => STAGE_RANK[b] - STAGE_RANK[a]);
  const furthest = sorted[0]!;
  const target = sorted.find((s) => map[s].state > 0);
  return target === undefined ? { furthest } : { furthest, target };
}

/** How far a shop state is in the ERP's progression: the furthest stage that maps to it; 0 when none does. */
export function stateRank(state: number, map: StageMap): number {
  let rank = 0;
  for (const s of ERP_STAGES) if (map[s].state === state) rank = Math.max(rank, STAGE_RANK[s]);
  return rank;
}

export type StateDecision =
  | { kind: 'none' }
  | { kind: 'same' }
  | { kind: 'move'; state: number; email: boolean }
  | { kind: 'backwards'; current: number; wanted: number }
  | { kind: 'final'; current: number; wanted: number };

export function decideState(current: number, target: ErpStage | undefined, map: StageMap, finalStates: readonly number[]): StateDecision {
  if (target === undefined) return { kind: 'none' };
  const wanted = map[target];
  if (current === wanted.state) return { kind: 'same' };
  if (finalStates.includes(current)) return { kind: 'final', current, wanted: wanted.state };
  if (stateRank(current, map) >= STAGE_RANK[target]) return { kind: 'backwards', current, wanted: wanted.state };
  return { kind: 'move', state: wanted.state, email: wanted.email };
}
