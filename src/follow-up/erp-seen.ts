// Which web orders the ERP's document export has shown, and when: the "seen in the ERP" fact that the
// outbox's acknowledgement cannot keep (an order acknowledged by delay stays so). Its own table in the
// state store, created on first use.
import type { StateStore } from '../state/store.ts';

export interface UnseenOrder { id_order: number; reference: string; written_at: string }

const tables = new WeakSet<StateStore>();

function ensureTable(state: StateStore): void {
  if (tables.has(state)) return;
  state.sql.exec(`CREATE TABLE IF NOT EXISTS erp_seen (
    id_order INTEGER PRIMARY KEY, reference TEXT, stage TEXT NOT NULL, documents TEXT NOT NULL,
    first_seen_at TEXT NOT NULL, last_seen_at TEXT NOT NULL)`);
  tables.add(state);
}

export function recordSeen(state: StateStore, o: { idOrder: number; reference?: string; stage: string; documents: string[] }, at = new Date()): void {
  ensureTable(state);
  const now = at.toISOString();
  state.sql.prepare(`INSERT INTO erp_seen (id_order, reference, stage, documents, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (id_order) DO UPDATE SET stage = excluded.stage, documents = excluded.documents, last_seen_at = excluded.last_seen_at,
      reference = COALESCE(excluded.reference, erp_seen.reference)`)
    .run(o.idOrder, o.reference ?? null, o.stage, JSON.stringify(o.documents), now, now);
}

/** Orders the outbox wrote more than `afterHours` ago (and less than `withinDays`) that the ERP never showed. */
export function exportedButUnseen(state: StateStore, afterHours: number, withinDays: number, at = new Date()): UnseenOrder[] {
  ensureTable(state);
  const older = new Date(at.getTime() - afterHours * 3600_000).toISOString();
  const newer = new Date(at.getTime() - withinDays * 86400_000).toISOString();
  return state.sql.prepare<[string, string], UnseenOrder>(`SELECT o.id_order, o.reference, o.written_at FROM outbox o
    WHERE o.status IN ('written', 'delivered') AND o.cancel_status IS NULL AND o.written_at <= ? AND o.written_at >= ?
      AND NOT EXISTS (SELECT 1 FROM erp_seen s WHERE s.id_order = o.id_order)
    ORDER BY o.id_order`).all(older, newer);
}

/** Exported orders (pending, written or delivered) carrying this shop reference: the outbox side of a
 *  reference link. References are not unique (LESSONS A2): the caller decides what several mean. */
export function outboxOrdersByReference(state: StateStore, reference: string): Array<{ id_order: number; reference: string }> {
  return state.sql.prepare<[string], { id_order: number; reference: string }>(
    "SELECT id_order, reference FROM outbox WHERE UPPER(reference) = ? AND status IN ('pending', 'written', 'delivered') ORDER BY id_order").all(reference.toUpperCase());
}
