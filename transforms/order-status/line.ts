// One row of the ERP's document export → one stage of one web order, or a reason. Pure.
//   Sage 100 (F_DOCENTETE): DO_Piece;DO_Type;DO_Date;DO_NoWeb;DO_Ref;NumSuivi (config/profiles/sage100.yaml)
import type { OrderStatusFlowProfile } from '../../src/erp/profile.ts';
import type { Row } from '../../src/parse/row.ts';
import { parseErpDate } from './dates.ts';
import { idFromDocumentNumber, isDocumentNumber, orderReferenceOf } from './link.ts';
import { type ErpStage } from './stages.ts';
import { splitTracking, trackingProblem } from './tracking.ts';

export interface StatusLine {
  line: number;
  /** The ERP's document number (BL00012), for the report. */
  document: string;
  stage: ErpStage;
  /** id_order read from our document number (WEB000042) in any linking column. */
  idOrder?: number;
  /** Shop order reference (upper case), when the export gives one. */
  reference?: string;
  /** ISO date, when the export has a date column. */
  date?: string;
  tracking: string[];
}

export type StatusRow =
  | { kind: 'line'; value: StatusLine }
  | { kind: 'reject'; reject: string; key?: string }
  /** Not a web order (no link at all): counted in the report, not rejected. */
  | { kind: 'ignored' };

export function toStatusLine(row: Row, flow: OrderStatusFlowProfile, documentPrefix: string): StatusRow {
  const c = flow.columns;
  const get = (col: string | undefined): string => (col === undefined ? '' : (row.values[col] ?? '').trim());
  const document = get(c.document);
  const linkTexts = [get(c.orderReference), get(c.reference), document];
  const idOrder = linkTexts.map((t) => idFromDocumentNumber(t, documentPrefix)).find((id) => id !== undefined);
  const refText = [get(c.orderReference), get(c.reference)].find((t) => t !== '' && !isDocumentNumber(orderReferenceOf(t), documentPrefix));
  const reference = refText === undefined ? undefined : orderReferenceOf(refText);
  const key = reference ?? (idOrder !== undefined ? `${documentPrefix}${String(idOrder).padStart(6, '0')}` : document || undefined);
  const reject = (reason: string): StatusRow => ({ kind: 'reject', reject: reason, ...(key !== undefined ? { key } : {}) });

  if (row.error !== undefined) return reject(row.error);
  if (idOrder === undefined && (reference === undefined || reference === '')) return { kind: 'ignored' };

  const status = get(c.status);
  let stage: ErpStage | undefined;
  if (status !== '' && flow.cancelledValues.some((v) => v.toLowerCase() === status.toLowerCase())) stage = 'ANNULE';
  else {
    const type = get(c.type);
    if (type === '') return reject(`type de pièce vide (colonne ${c.type})`);
    stage = flow.stages[type];
    if (stage === undefined) {
      const known = Object.entries(flow.stages).map(([v, s]) => `${v} ${s}`).join(', ');
      return reject(`type de pièce « ${type} » inconnu (colonne ${c.type} ; types suivis : ${known})`);
    }
  }

  let date: string | undefined;
  const rawDate = get(c.date);
  if (rawDate !== '') {
    const parsed = parseErpDate(rawDate, flow.dateFormat);
    if (!parsed.ok) return reject(`${parsed.reason} (colonne ${c.date})`);
    date = parsed.value;
  }

  const tracking = splitTracking(get(c.tracking));
  for (const n of tracking) {
    const problem = trackingProblem(n);
    if (problem) return reject(problem);
  }

  return {
    kind: 'line',
    value: {
      line: row.line, document, stage, tracking,
      ...(idOrder !== undefined ? { idOrder } : {}),
      ...(reference !== undefined ? { reference } : {}),
      ...(date !== undefined ? { date } : {}),
    },
  };
}
