// One claimed file from start to archive: checksum, duplicate check, routing, the record loop, the
// report, then archive or quarantine. A retriable failure leaves the file claimed for the next run.
import path from 'node:path';
import { ConfigError, FileFatalError, RetriableError, errorMessage } from '../errors.ts';
import { archiveWithReport, planArchive } from '../intake/archive.ts';
import { readHead, sha256File, type Claimed } from '../intake/drop-folder.ts';
import type { Pipeline, RunContext } from '../pipeline.ts';
import { emptyCounts, finalizeReport, type FileReport, type ReportStatus } from '../report.ts';
import { Interrupted, runRecords, type StopSignal } from './records.ts';
import { routeFile } from './route.ts';

export interface FileRunOptions {
  ctx: RunContext;
  pipelines: readonly Pipeline[];
  archiveRoot: string;
  /** Only this pipeline (CLI --pipeline): a file routed elsewhere is left where it is. */
  only?: string;
  stop?: StopSignal;
  concurrency?: number;
  onProgress?: (read: number) => void;
}

export type FileOutcome =
  | { status: ReportStatus; report: FileReport; archivedAs?: string }
  | { status: 'deferred'; reason: string }
  | { status: 'skipped'; reason: string };

export async function processFile(file: Claimed, o: FileRunOptions): Promise<FileOutcome> {
  const { ctx } = o;
  const startedAt = new Date();
  const sha256 = await sha256File(file.workPath);
  const resumed = ctx.state.openFileByWorkPath(file.workPath);
  const log = ctx.log.child({ file: file.name });

  const route = routeFile({ name: file.name, folder: file.folder, head: await readHead(file.workPath) }, o.pipelines, ctx.profile);
  const pipelineName = 'pipeline' in route ? route.pipeline.name : null;
  if (o.only && pipelineName !== o.only) return { status: 'skipped', reason: `fichier du flux ${pipelineName ?? 'inconnu'}` };
  if (ctx.dryRun) return dryRun(file, o, route, sha256, startedAt);

  const fileId = resumed?.id ?? ctx.state.beginFile({ sha256, pipeline: pipelineName, name: file.name, origin: file.origin ?? 'local', workPath: file.workPath });
  if (resumed) log.info('resuming a file claimed by an earlier run', { pipeline: pipelineName });

  const finish = async (status: ReportStatus, fields: Partial<FileReport>): Promise<FileOutcome> => {
    const plan = await planArchive(o.archiveRoot, startedAt, pipelineName, file.name, status === 'quarantined');
    ctx.state.planArchive(fileId, plan.filePath);
    const report = finalizeReport({
      pipeline: pipelineName, file: file.name, sha256, status,
      startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(),
      records: emptyCounts(), rejects: [], writes: 0, warnings: [], ...fields,
    });
    await archiveWithReport(file.workPath, plan, report);
    ctx.state.finishFile(fileId, { status, pipeline: pipelineName, archivePath: plan.filePath, counts: report.records });
    const level = status === 'quarantined' ? 'warn' : 'info';
    log[level](report.summary, { pipeline: pipelineName, status, archive: path.relative(o.archiveRoot, plan.filePath) });
    return { status, report, archivedAs: plan.filePath };
  };

  if ('unroutable' in route) return finish('quarantined', { reason: route.unroutable });

  const earlier = ctx.state.completedFileBySha(sha256);
  if (earlier && earlier.id !== fileId) {
    return finish('duplicate', { reason: `contenu identique au fichier « ${earlier.name} » traité le ${earlier.finished_at ?? earlier.started_at}` });
  }

  const warnings: string[] = [];
  const fileCtx = { ...ctx, log: log.child({ pipeline: route.pipeline.name }), file: { name: file.name, path: file.workPath, sha256 }, warn: (m: string) => { warnings.push(m); } };
  const writesBefore = ctx.shop.writes.count();
  try {
    const result = await runRecords(route.pipeline, fileCtx, { concurrency: o.concurrency ?? 50, stop: o.stop, onProgress: o.onProgress });
    const status: ReportStatus = result.records.rejected > 0 ? 'partial' : 'done';
    return finish(status, { ...result, writes: ctx.shop.writes.count() - writesBefore, warnings });
  } catch (err) {
    const writes = ctx.shop.writes.count() - writesBefore;
    if (err instanceof FileFatalError) {
      return finish('quarantined', { reason: err.message, writes, warnings, });
    }
    if (err instanceof RetriableError || err instanceof Interrupted || err instanceof ConfigError) {
      // The file stays claimed in drop/.work/: the next run resumes it; fingerprints make the replay free.
      ctx.state.finishFile(fileId, { status: 'deferred', pipeline: pipelineName, archivePath: null });
      log.warn(`file deferred: ${errorMessage(err)}`, { pipeline: pipelineName });
      if (err instanceof ConfigError) throw err;
      return { status: 'deferred', reason: errorMessage(err) };
    }
    throw err;
  }
}

async function dryRun(file: Claimed, o: FileRunOptions, route: ReturnType<typeof routeFile>, sha256: string, startedAt: Date): Promise<FileOutcome> {
  const { ctx } = o;
  const base = { pipeline: 'pipeline' in route ? route.pipeline.name : null, file: file.name, sha256, startedAt: startedAt.toISOString(), dryRun: true, warnings: [] as string[] };
  if ('unroutable' in route) {
    return { status: 'quarantined', report: finalizeReport({ ...base, status: 'quarantined', finishedAt: new Date().toISOString(), records: emptyCounts(), rejects: [], writes: 0, reason: route.unroutable }) };
  }
  const before = ctx.shop.writes.entries.length;
  const fileCtx = { ...ctx, file: { name: file.name, path: file.workPath, sha256 }, warn: (m: string) => { base.warnings.push(m); } };
  try {
    const result = await runRecords(route.pipeline, fileCtx, { concurrency: o.concurrency ?? 50, stop: o.stop, onProgress: o.onProgress });
    const planned = ctx.shop.writes.entries.slice(before).map((w) => ({ method: w.method, resource: w.resource, ...(w.id !== undefined ? { id: String(w.id) } : {}), fields: w.fields }));
    const status: ReportStatus = result.records.rejected > 0 ? 'partial' : 'done';
    return { status, report: finalizeReport({ ...base, ...result, status, finishedAt: new Date().toISOString(), writes: planned.length, plannedWrites: planned }) };
  } catch (err) {
    if (err instanceof FileFatalError) {
      return { status: 'quarantined', report: finalizeReport({ ...base, status: 'quarantined', finishedAt: new Date().toISOString(), records: emptyCounts(), rejects: [], writes: 0, reason: err.message }) };
    }
    throw err;
  }
}
