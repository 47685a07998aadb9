// Every exported order is in exactly one archived run report (issue #7), whatever kill -9 interrupts:
//   - pending, file not written or written but not marked: the next run writes it (same bytes) and reports it;
//   - written or delivered by a run killed before its report: the next run reports it, saying so;
//   - listed by a report being written when the run was killed: reported once the report is on disk
//     (outbox_reported.reported_at), listed again when it is not (settleReports).
// The same holds for cancellation notices.
import { existsSync, rmSync } from 'node:fs';
import { fixedTempOf } from '../intake/archive.ts';
import type { ShopRunReport } from '../pipeline.ts';
import type { Outbox, OutboxRow, ReportedEvent } from '../state/outbox.ts';
import { crashPoint } from '../testing/crash-points.ts';
import { onReportArchived } from './archive-run.ts';
import type { Counter } from './order-files.ts';

export const EXPORTED = 'exportée';
export const CANCELLED_AFTER_EXPORT = 'annulée après export';

const INTERRUPTED = 'écrit par un passage interrompu avant son rapport';

export function cancellationReason(r: Pick<OutboxRow, 'reference' | 'file_name'>, noticeFile: string): string {
  return `commande ${r.reference} annulée après export (fichier ${r.file_name}) : avis ${noticeFile}, la pièce de l’ERP n’est pas modifiée`;
}

/**
 * The counter of a run's report. The orders an interrupted run wrote without reporting are counted first; each
 * order written or notice written is recorded as reported when the engine archives this report.
 */
export function reportEveryOrderOnce(outbox: Outbox, report: ShopRunReport): Counter {
  const events: Array<{ idOrder: number; event: ReportedEvent }> = [];
  const count: Counter = (what, key, reason, file) => {
    report.counts[what] = (report.counts[what] ?? 0) + 1;
    report.items.push({ key, outcome: what, ...(reason ? { reason } : {}), ...(file ? { file } : {}) });
    if (what === EXPORTED) events.push({ idOrder: Number(key), event: 'export' });
    if (what === CANCELLED_AFTER_EXPORT) events.push({ idOrder: Number(key), event: 'cancel' });
  };

  outbox.settleReports((reportPath) => {
    if (existsSync(reportPath)) return true;
    // Killed while the report was written: its temporary file, empty or cut, must not stay in the archive.
    rmSync(fixedTempOf(reportPath), { force: true });
    return false;
  });
  onReportArchived(report, {
    writing: (reportPath) => {
      outbox.reportWriting(reportPath, events);
      crashPoint('orders.report-pending');
    },
    written: (reportPath) => {
      crashPoint('orders.report-written');
      outbox.reportWritten(reportPath);
    },
  });

  for (const { row, event } of outbox.unreported()) {
    if (event === 'export') count(EXPORTED, String(row.id_order), `fichier ${INTERRUPTED}`, row.file_name ?? undefined);
    else count(CANCELLED_AFTER_EXPORT, String(row.id_order), `${cancellationReason(row, row.cancel_file ?? '')} (avis ${INTERRUPTED})`, row.cancel_file ?? undefined);
  }
  return count;
}
