// The order-status transforms on the ERPs' document exports, in their real encodings.
import { expect } from 'chai';
import { loadProfile, type OrderStatusFlowProfile } from '../../../src/erp/profile.ts';
import { readFlowRows } from '../../../src/erp/read-flow.ts';
import { sniffFlow } from '../../../src/erp/sniff.ts';
import { matchFlow } from '../../../src/erp/profile.ts';
import { readFileSync } from 'node:fs';
import { parseOrdersConfig } from '../../../src/erp/orders-config.ts';
import { orderStatusConfigSchema } from '../../../src/config/follow-up.ts';
import { toStatusLine, type StatusRow } from '../../../transforms/order-status/line.ts';
import { decideState, orderStages } from '../../../transforms/order-status/decide.ts';
import { followUpOf } from '../../../transforms/order-status/group.ts';
import { idFromDocumentNumber, orderReferenceOf } from '../../../transforms/order-status/link.ts';
import { dedupeTracking, mergeTracking, splitTracking, trackingProblem } from '../../../transforms/order-status/tracking.ts';
import { parseErpDate } from '../../../transforms/order-status/dates.ts';

const FIXTURES = new URL('../../fixtures/erp/', import.meta.url).pathname;
const PREFIX = parseOrdersConfig(undefined).documentPrefix;
const MAP = orderStatusConfigSchema.parse({}).map;

// The generic profile wants its stock layout from the configuration; the follow-up layouts are complete.
const GENERIC_STOCK = { stock: { patterns: ['stock*.csv'], columns: { reference: 'Ref', real: 'Stock' } } };

function flowOf(profile: string): OrderStatusFlowProfile {
  return loadProfile(profile, profile === 'generic' ? GENERIC_STOCK : undefined).flows['order-status']!;
}

async function rowsOf(file: string, profile: string): Promise<Array<{ line: number; t: StatusRow }>> {
  const flow = flowOf(profile);
  const out: Array<{ line: number; t: StatusRow }> = [];
  for await (const r of readFlowRows(FIXTURES + file, flow)) out.push({ line: r.line, t: toStatusLine(r, flow, PREFIX) });
  return out;
}

describe('order-status: the ERP document exports', () => {
  it('reads a Sage F_DOCENTETE export (cp1252): stages by DO_Type, our number, the reference, parcels', async () => {
    const rows = await rowsOf('sage100/docentete_suivi_cp1252.csv', 'sage100');
    expect(rows.map((r) => r.t.kind)).to.deep.equal(['line', 'line', 'line', 'line', 'ignored', 'line', 'reject']);
    const lines = rows.filter((r) => r.t.kind === 'line').map((r) => (r.t as Extract<StatusRow, { kind: 'line' }>).value);
    expect(lines[0]).to.deep.equal({ line: 2, document: 'WEB000042', stage: 'BC', idOrder: 42, reference: 'XKBKNABJK', date: '2026-11-27', tracking: [] });
    expect(lines[2]).to.deep.include({ stage: 'BL', document: 'BL00012', tracking: ['6A12345678901', '6A12345678902'] });
    expect(lines[3]).to.deep.include({ stage: 'FA', reference: 'UUBOXOBGX' });
    expect(lines[3]!.idOrder).to.equal(undefined);
    // DO_Ref carrying our number and no DO_NoWeb: linked by the number, no reference.
    expect(lines[4]).to.deep.include({ stage: 'BL', idOrder: 43, tracking: ['6A999'] });
    expect(lines[4]!.reference).to.equal(undefined);
    expect(rows[6]!.t).to.deep.equal({ kind: 'reject', key: 'QWERTYUIO', reject: 'type de pièce « 4 » inconnu (colonne DO_Type ; types suivis : 1 BC, 2 PL, 3 BL, 6 FA, 7 FA)' });
  });

  it('reads EBP\'s SaleDocument export: « Document importé n° WEB000042 » links the order', async () => {
    const rows = await rowsOf('ebp/saledocument_suivi_cp1252.csv', 'ebp');
    const lines = rows.map((r) => (r.t as Extract<StatusRow, { kind: 'line' }>).value);
    expect(lines.map((l) => [l.document, l.stage, l.idOrder, l.reference])).to.deep.equal([
      ['CO00031', 'BC', 42, undefined], ['BL00008', 'BL', 42, undefined], ['FA00210', 'FA', undefined, 'UUBOXOBGX'],
    ]);
  });

  it('reads Divalto\'s ENT export (PICOD 2, 3, 4) and the generic layout (stage names, cancellations)', async () => {
    const divalto = (await rowsOf('divalto/ent_pieces_cp1252.csv', 'divalto')).map((r) => (r.t as Extract<StatusRow, { kind: 'line' }>).value);
    expect(divalto.map((l) => [l.stage, l.reference])).to.deep.equal([['BC', 'XKBKNABJK'], ['BL', 'XKBKNABJK'], ['FA', 'UUBOXOBGX']]);
    const generic = (await rowsOf('generic/suivi_commandes_cp1252.csv', 'generic')).map((r) => (r.t as Extract<StatusRow, { kind: 'line' }>).value);
    expect(generic.map((l) => [l.stage, l.idOrder ?? l.reference, l.tracking])).to.deep.equal([['BL', 42, ['6A1', '6A2']], ['ANNULE', 'UUBOXOBGX', []]]);
  });

  it('marks a line cancelled when the status column says so (cancelledValues)', () => {
    const flow = { ...flowOf('sage100'), columns: { ...flowOf('sage100').columns, status: 'DO_Statut' }, cancelledValues: ['Annulé'] };
    const t = toStatusLine({ line: 3, values: { DO_Piece: 'BC1', DO_Type: '1', DO_Date: '', DO_NoWeb: 'XKBKNABJK', DO_Ref: '', NumSuivi: '', DO_Statut: 'annulé' } }, flow, PREFIX);
    expect(t).to.deep.include({ kind: 'line' });
    expect((t as Extract<StatusRow, { kind: 'line' }>).value.stage).to.equal('ANNULE');
  });

  it('routes the Sage export by name and by content', () => {
    const profile = loadProfile('sage100');
    expect(matchFlow(profile, 'F_DOCENTETE_20261128.csv')).to.equal('order-status');
    expect(matchFlow(profile, 'FA00123_XKBKNABJK.pdf')).to.equal('invoices');
    expect(sniffFlow(readFileSync(FIXTURES + 'sage100/docentete_suivi_cp1252.csv'), profile).flow).to.equal('order-status');
  });
});

describe('order-status: links, dates, parcels', () => {
  it('finds our document number anywhere, never with an empty prefix', () => {
    expect(idFromDocumentNumber('WEB000042', 'WEB')).to.equal(42);
    expect(idFromDocumentNumber('Document importé n° web000042', 'WEB')).to.equal(42);
    expect(idFromDocumentNumber('WEB1234567', 'WEB')).to.equal(1234567);
    expect(idFromDocumentNumber('XWEB000042', 'WEB')).to.equal(undefined);
    expect(idFromDocumentNumber('WEB00042', 'WEB')).to.equal(undefined);
    expect(idFromDocumentNumber('000042', '')).to.equal(undefined);
    expect(orderReferenceOf(' Document importé n° xkbknabjk ')).to.equal('XKBKNABJK');
  });

  it('checks dates for a real day in the declared format', () => {
    expect(parseErpDate('15/03/2026', 'dd/mm/yyyy')).to.deep.equal({ ok: true, value: '2026-03-15' });
    expect(parseErpDate('15/03/2026 00:00:00', 'dd/mm/yyyy')).to.deep.equal({ ok: true, value: '2026-03-15' });
    expect(parseErpDate('20260315', 'yyyymmdd')).to.deep.equal({ ok: true, value: '2026-03-15' });
    expect(parseErpDate('2026-03-15 00:00:00.000', 'yyyy-mm-dd')).to.deep.equal({ ok: true, value: '2026-03-15' });
    expect(parseErpDate('29/02/2026', 'dd/mm/yyyy')).to.deep.equal({ ok: false, reason: 'date inexistante : « 29/02/2026 »' });
    expect(parseErpDate('2026-03-15', 'dd/mm/yyyy')).to.deep.equal({ ok: false, reason: 'date invalide : « 2026-03-15 » (format attendu dd/mm/yyyy)' });
  });

  it('splits, checks and merges parcel numbers, each once', () => {
    expect(splitTracking(' 6A1 , 6A2;6A3|6A4 ')).to.deep.equal(['6A1', '6A2', '6A3', '6A4']);
    expect(trackingProblem('6A12345678901')).to.equal(undefined);
    expect(trackingProblem('<AB12>')).to.match(/refusé par PrestaShop/);
    expect(trackingProblem('X'.repeat(65))).to.match(/trop long/);
    expect(dedupeTracking(['6A 1', '6a1', '6A2'])).to.deep.equal(['6A 1', '6A2']);
    expect(mergeTracking('', ['6A1'])).to.deep.equal({ changed: true, value: '6A1', added: ['6A1'] });
    expect(mergeTracking('6A1', ['6a1'])).to.deep.equal({ changed: false, value: '6A1' });
    expect(mergeTracking('6A1', ['6A2', '6A1'])).to.deep.equal({ changed: true, value: '6A1, 6A2', added: ['6A2'] });
    expect(mergeTracking('6A1', ['X'.repeat(63)])).to.have.property('tooLong', true);
  });
});

describe('order-status: which state, never backwards', () => {
  const line = (stage: 'BC' | 'PL' | 'BL' | 'FA' | 'ANNULE', n: number, tracking: string[] = []) => ({ line: n, document: `D${n}`, stage, tracking, reference: 'XKBKNABJK' });

  it('takes the furthest stage; an invoice without a state falls back to the delivery it follows', () => {
    expect(orderStages(['BC', 'BL', 'PL'], MAP)).to.deep.equal({ furthest: 'BL', target: 'BL' });
    expect(orderStages(['BL', 'FA'], MAP)).to.deep.equal({ furthest: 'FA', target: 'BL' });
    expect(orderStages(['FA'], MAP)).to.deep.equal({ furthest: 'FA' });
    expect(orderStages(['BL', 'ANNULE'], MAP)).to.deep.equal({ furthest: 'ANNULE', target: 'ANNULE' });
    const f = followUpOf([line('BC', 2), line('BL', 4, ['6A1']), line('BL', 5, ['6a1', '6A2'])], MAP);
    expect(f).to.deep.equal({ line: 4, reference: 'XKBKNABJK', furthest: 'BL', target: 'BL', documents: ['D2', 'D4', 'D5'], tracking: ['6A1', '6A2'] });
  });

  it('moves forward only, never twice into the same state, never out of a final state', () => {
    expect(decideState(2, 'BL', MAP, [5, 7])).to.deep.equal({ kind: 'move', state: 4, email: true });
    expect(decideState(2, 'BC', MAP, [5, 7])).to.deep.equal({ kind: 'move', state: 3, email: false });
    expect(decideState(4, 'BL', MAP, [5, 7])).to.deep.equal({ kind: 'same' });
    expect(decideState(3, 'BC', MAP, [5, 7]), 'BC and PL share state 3').to.deep.equal({ kind: 'same' });
    expect(decideState(4, 'PL', MAP, [5, 7])).to.deep.equal({ kind: 'backwards', current: 4, wanted: 3 });
    expect(decideState(6, 'BL', MAP, [5, 7])).to.deep.equal({ kind: 'backwards', current: 6, wanted: 4 });
    expect(decideState(4, 'ANNULE', MAP, [5, 7])).to.deep.equal({ kind: 'move', state: 6, email: true });
    expect(decideState(5, 'ANNULE', MAP, [5, 7])).to.deep.equal({ kind: 'final', current: 5, wanted: 6 });
    expect(decideState(11, undefined, MAP, [5, 7])).to.deep.equal({ kind: 'none' });
  });
});
