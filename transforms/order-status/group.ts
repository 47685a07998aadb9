// The lines of one web order (BC, then PL, BL… each a document of its own in the ERP) → what the shop
// must show: the furthest stage, its state, every parcel number once. Pure.
import { orderStages, type StageMap } from './decide.ts';
import type { StatusLine } from './line.ts';
import { STAGE_RANK, type ErpStage } from './stages.ts';
import { dedupeTracking } from './tracking.ts';

export interface OrderFollowUp {
  /** File line of the furthest stage (the one the report names). */
  line: number;
  idOrder?: number;
  reference?: string;
  furthest: ErpStage;
  /** The stage whose state the order must reach; undefined when none of its stages changes the state. */
  target?: ErpStage;
  documents: string[];
  tracking: string[];
}

export function followUpOf(lines: readonly StatusLine[], map: StageMap): OrderFollowUp {
  if (lines.length === 0) throw new RangeError('followUpOf needs at least one line');
  const stages = orderStages(lines.map((l) => l.stage), map);
  const at = [...lines].sort((a, b) => STAGE_RANK[b.stage] - STAGE_RANK[a.stage] || a.line - b.line)[0]!;
  const idOrder = lines.find((l) => l.idOrder !== undefined)?.idOrder;
  const reference = lines.find((l) => l.reference !== undefined)?.reference;
  return {
    line: at.line,
    ...(idOrder !== undefined ? { idOrder } : {}),
    ...(reference !== undefined ? { reference } : {}),
    furthest: stages.furthest,
    ...(stages.target !== undefined ? { target: stages.target } : {}),
    documents: [...new Set(lines.map((l) => l.document).filter((d) => d !== ''))],
    tracking: dedupeTracking(lines.flatMap((l) => l.tracking)),
  };
}
