// The orders outbox (LESSONS A8): one row per shop order, keyed by id_order, moving
//   pending → written (file in the outbox folder) → delivered (on the ERP's SFTP, or the local outbox
//   when there is none) → acknowledged (by the ERP's order-status flow, or after orders.ackDelayHours).
// 'held' orders (totals that do not add up…) are re-examined at each run; 'cancelled' ones were cancelled
// before export and are never exported. A cancellation after export has its own notice, tracked in
// cancel_status. The file name is fixed when the row is created, so a crash at any step resumes
// without a second file for the same order.
import type Database from 'better-sqlite3';
import type { StateStore } from './store.ts';

export type OutboxStatus = 'held' | 'pending' | 'written' | 'delivered' | 'cancelled';

export interface OutboxRow {
  id_order: number;
  reference: string;
  status: OutboxStatus;
  reason: string | null;
  file_name: string | null;
  payload: string | null;
  shop_state: number | null;
  created_at: string;
  written_at: string | null;
  delivered_at: string | null;
  acked_at: string | null;
  ack_source: string | null;
  cancel_status: 'pending' | 'written' | 'delivered' | null;
  cancel_file: string | null;
  cancelled_at: string | null;
}

/** What a run report says about an order once: its file was written ('export'), its cancellation notice ('cancel'). */
export type ReportedEvent = 'export' | 'cancel';

export interface NewOutboxOrder {
  idOrder: number;
  reference: string;
  shopState: number;
  payload: unknown;
  fileName: string;
  lines: Array<{ reference: string; quantity: number }>;
}

export class Outbox {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly store: StateStore) {}

  /** Prepared once per outbox: an export of 10,000 orders runs each statement thousands of times. */
  private prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.store.sql.prepare(sql);
      this.statements.set(sql, st);
    }
    return st as unknown as Database.Statement<P, R>;
  }

  get(idOrder: number): OutboxRow | undefined {
    return this.prepare<[number], OutboxRow>('SELECT * FROM outbox WHERE id_order = ?').get(idOrder);
  }

  /** Orders exported (or being exported) whose ERP acknowledgement has not come yet. */
  unacknowledged(): OutboxRow[] {
    return this.prepare<[], OutboxRow>("SELECT * FROM outbox WHERE status IN ('pending', 'written', 'delivered') AND acked_at IS NULL ORDER BY id_order").all();
  }

  withStatus(status: OutboxStatus): OutboxRow[] {
    return this.prepare<[string], OutboxRow>('SELECT * FROM outbox WHERE status = ? ORDER BY id_order').all(status);
  }

  cancellationsToFinish(): OutboxRow[] {
    return this.prepare<[], OutboxRow>("SELECT * FROM outbox WHERE cancel_status IN ('pending', 'written') ORDER BY id_order").all();
  }

  /** Several orders become pending together (one batch file, or one file each) in one transaction. */
  addPending(orders: NewOutboxOrder[]): void {
    const insert = this.prepare(`INSERT INTO outbox (id_order, reference, status, reason, file_name, payload, shop_state, created_at)
      VALUES (?, ?, 'pending', NULL, ?, ?, ?, ?)
      ON CONFLICT (id_order) DO UPDATE SET status = 'pending', reason = NULL, file_name = excluded.file_name,
        payload = excluded.payload, shop_state = excluded.shop_state
      WHERE outbox.status = 'held'`);
    const clearLines = this.prepare('DELETE FROM outbox_lines WHERE id_order = ?');
    const line = this.prepare('INSERT INTO outbox_lines (id_order, reference, quantity) VALUES (?, ?, ?)');
    this.store.transaction(() => {
      for (const o of orders) {
        insert.run(o.idOrder, o.reference, o.fileName, JSON.stringify(o.payload), o.shopState, now());
        clearLines.run(o.idOrder);
        for (const l of o.lines) line.run(o.idOrder, l.reference, l.quantity);
      }
    });
  }

  hold(idOrder: number, reference: string, shopState: number, reason: string): void {
    this.prepare(`INSERT INTO outbox (id_order, reference, status, reason, shop_state, created_at) VALUES (?, ?, 'held', ?, ?, ?)
      ON CONFLICT (id_order) DO UPDATE SET reason = excluded.reason, shop_state = excluded.shop_state WHERE outbox.status = 'held'`)
      .run(idOrder, reference, reason, shopState, now());
  }

  /** Cancelled before export: never exported. A held or pending order can still be cancelled. */
  cancelBeforeExport(idOrder: number, reference: string, shopState: number): void {
    this.prepare(`INSERT INTO outbox (id_order, reference, status, reason, shop_state, created_at) VALUES (?, ?, 'cancelled', 'annulée avant export', ?, ?)
      ON CONFLICT (id_order) DO UPDATE SET status = 'cancelled', reason = 'annulée avant export', shop_state = excluded.shop_state
      WHERE outbox.status IN ('held', 'pending')`).run(idOrder, reference, shopState, now());
    this.prepare("DELETE FROM outbox_lines WHERE id_order = ? AND (SELECT status FROM outbox WHERE id_order = ?) = 'cancelled'").run(idOrder, idOrder);
  }

  markWritten(fileName: string): void {
    this.prepare("UPDATE outbox SET status = 'written', written_at = ? WHERE file_name = ? AND status = 'pending'").run(now(), fileName);
  }

  markDelivered(fileName: string): void {
    this.prepare("UPDATE outbox SET status = 'delivered', delivered_at = ? WHERE file_name = ? AND status = 'written'").run(now(), fileName);
  }

  startCancellation(idOrder: number, fileName: string, shopState: number, cancelledAt: string): void {
    this.prepare('UPDATE outbox SET cancel_status = \'pending\', cancel_file = ?, shop_state = ?, cancelled_at = ? WHERE id_order = ? AND cancel_status IS NULL')
      .run(fileName, shopState, cancelledAt, idOrder);
  }

  setCancellation(idOrder: number, status: 'written' | 'delivered'): void {
    this.prepare('UPDATE outbox SET cancel_status = ? WHERE id_order = ?').run(status, idOrder);
  }

  /** The ERP has the order in its figures (its order-status flow says so, or the delay expired). */
  acknowledge(idOrder: number, source: 'erp' | 'delay'): void {
    this.prepare('UPDATE outbox SET acked_at = ?, ack_source = ? WHERE id_order = ? AND acked_at IS NULL').run(now(), source, idOrder);
  }

  /** Acknowledges, by delay, the exported orders older than `hours`; returns them for the report. */
  expireAcknowledgements(hours: number, at = new Date()): OutboxRow[] {
    const limit = new Date(at.getTime() - hours * 3600_000).toISOString();
    const rows = this.prepare<[string], OutboxRow>(
      "SELECT * FROM outbox WHERE status IN ('written', 'delivered') AND acked_at IS NULL AND written_at <= ? ORDER BY id_order").all(limit);
    for (const r of rows) this.acknowledge(r.id_order, 'delay');
    return rows;
  }

  /** Units of each reference in exported orders the ERP has not acknowledged yet: the stock flow
   *  subtracts them so that units already sold online are not given back to the shop. */
  reservedByReference(): Map<string, number> {
    const rows = this.prepare<[], { reference: string; quantity: number }>(`
      SELECT l.reference AS reference, SUM(l.quantity) AS quantity FROM outbox_lines l JOIN outbox o ON o.id_order = l.id_order
      WHERE o.status IN ('pending', 'written', 'delivered') AND o.acked_at IS NULL GROUP BY l.reference`).all();
    return new Map(rows.map((r) => [r.reference, r.quantity]));
  }

  /** Orders whose file (or cancellation notice) is written but that no archived report lists yet: a run killed
   *  after writing them, before its report, left them so. The next run's report lists them. */
  unreported(): Array<{ row: OutboxRow; event: ReportedEvent }> {
    const exports = this.prepare<[], OutboxRow>(`SELECT * FROM outbox o WHERE status IN ('written', 'delivered')
      AND NOT EXISTS (SELECT 1 FROM outbox_reported r WHERE r.id_order = o.id_order AND r.event = 'export') ORDER BY id_order`).all();
    const cancels = this.prepare<[], OutboxRow>(`SELECT * FROM outbox o WHERE cancel_status IN ('written', 'delivered')
      AND NOT EXISTS (SELECT 1 FROM outbox_reported r WHERE r.id_order = o.id_order AND r.event = 'cancel') ORDER BY id_order`).all();
    return [...exports.map((row) => ({ row, event: 'export' as const })), ...cancels.map((row) => ({ row, event: 'cancel' as const }))];
  }

  /** The report at `reportPath` lists these events and is about to be written (not yet on disk). */
  reportWriting(reportPath: string, events: Array<{ idOrder: number; event: ReportedEvent }>): void {
    const insert = this.prepare('INSERT INTO outbox_reported (id_order, event, report_path, reported_at) VALUES (?, ?, ?, NULL) ON CONFLICT DO NOTHING');
    this.store.transaction(() => {
      for (const e of events) insert.run(e.idOrder, e.event, reportPath);
    });
  }

  /** The report at `reportPath` is on disk. */
  reportWritten(reportPath: string): void {
    this.prepare('UPDATE outbox_reported SET reported_at = ? WHERE report_path = ? AND reported_at IS NULL').run(now(), reportPath);
  }

  /** After a crash while a report was being written: the report is on disk (its events are reported) or not
   *  (they will be reported again). Written through a temporary name, a report on disk is complete. */
  settleReports(exists: (reportPath: string) => boolean): void {
    const open = this.prepare<[], { report_path: string }>('SELECT DISTINCT report_path FROM outbox_reported WHERE reported_at IS NULL').all();
    for (const { report_path: p } of open) {
      if (exists(p)) this.reportWritten(p);
      else this.prepare('DELETE FROM outbox_reported WHERE report_path = ? AND reported_at IS NULL').run(p);
    }
  }

  cursor(name: string): string | undefined {
    return this.prepare<[string], { value: string }>('SELECT value FROM cursors WHERE name = ?').get(name)?.value;
  }

  setCursor(name: string, value: string): void {
    this.prepare(`INSERT INTO cursors (name, value, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`).run(name, value, now());
  }
}

function now(): string {
  return new Date().toISOString();
}
