// The audit trail of a flow that starts from the shop: each run that did something leaves its report in
// archive/YYYY/MM/DD/<pipeline>/, with a copy of every file it wrote for the ERP.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { datedDir, freeName, writeFileAtomic } from '../intake/archive.ts';
import type { ShopRunReport } from '../pipeline.ts';

/** What a pipeline records around the writing of its report, so that what the report lists is known to be
 *  reported exactly once whatever crashes (the orders outbox, issue #7). Both run synchronously. */
export interface ReportHooks {
  /** The report will be written at `reportPath` (not on disk yet). */
  writing(reportPath: string): void;
  /** The report is on disk at `reportPath`. */
  written(reportPath: string): void;
}

const hooks = new WeakMap<ShopRunReport, ReportHooks>();

/** Called by the pipeline on the report it returns; the engine's archiveShopRun calls the hooks. */
export function onReportArchived(report: ShopRunReport, h: ReportHooks): void {
  hooks.set(report, h);
}

export async function archiveShopRun(archiveRoot: string, outboxDir: string, pipeline: string, startedAt: Date, report: ShopRunReport): Promise<string | undefined> {
  if (report.items.length === 0) return undefined;
  const dir = datedDir(archiveRoot, startedAt, pipeline);
  await fs.mkdir(dir, { recursive: true });
  const files = [...new Set(report.items.map((i) => i.file).filter((f): f is string => Boolean(f)))];
  for (const f of files) {
    const name = await freeName(dir, f);
    await fs.copyFile(path.join(outboxDir, f), path.join(dir, name)).catch(() => undefined);
  }
  const stamp = startedAt.toTimeString().slice(0, 8).replace(/:/g, '');
  const reportName = await freeName(dir, `${pipeline}-${stamp}.report.json`);
  const reportPath = path.join(dir, reportName);
  const h = hooks.get(report);
  h?.writing(reportPath);
  // A fixed temporary name: the run after a kill here knows it from reportPath and removes it (order-report.ts).
  await writeFileAtomic(reportPath, `${JSON.stringify({ pipeline, startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), ...report }, null, 2)}\n`, { fixedTemp: true });
  h?.written(reportPath);
  return reportPath;
}
