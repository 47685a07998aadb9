// One claimed file from start to archive: checksum, duplicate check, routing, the record loop, the
// report, then archive or quarantine. A retriable failure leaves the file claimed for the next run. Any
// other failure about this one file (its name, its rights, the disk, a defect of ours) quarantines it with
// a French reason, and the run goes on with the other files (issue #7): one bad file never blocks the others.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigError, FileFatalError, Interrupted, RetriableError, errorMessage } from '../errors.ts';
import { archiveWithReport, planArchive } from '../intake/archive.ts';
import { readHead, sha256File, type Claimed } from '../intake/drop-folder.ts';
import { describeFileFailure } from '../intake/fs-errors.ts';
import type { DocumentFormat } from '../document.ts';
import type { FileContext, Pipeline, RunContext } from '../pipeline.ts';
import { emptyCounts, finalizeReport, type FileReport, type ReportStatus } from '../report.ts';
import { runDocument, type DocumentResult } from './process-document.ts';
import { runRecords, type RecordLoopOptions, type RecordLoopResult, type StopSignal } from './records.ts';
import { routeFile, type Route } from './route.ts';
import { replayLink, replayOfWorkPath, type ReplayLink } from '../intake/replay.ts';

/** Attempts at one file that did not end (kill -9, a crash of the process) before it is quarantined as a
 *  poison file rather than retried forever. A shop that is down does not count. */
export const MAX_ATTEMPTS = 5;
/** Times a file that changed while it was processed is processed again before it is quarantined. */
const MAX_REREADS = 2;

export interface FileRunOptions {
  ctx: RunContext;
  pipelines: readonly Pipeline[];
  /** Multi-flow document formats recognised by content (pipelines/registry.ts). */
  documents?: readonly DocumentFormat[];
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
  | { status: 'skipped'; reason: string }
  /** Not even quarantine was possible (the file cannot be moved): it stays where it is, the run history names it. */
  | { status: 'blocked'; reason: string };

interface Journal {
  fileId?: number; pipeline: string | null; sha256: string | null; startedAt: Date;
  /** The reason of the quarantine under way: what to tell if the quarantine itself fails. */
  quarantining?: string;
  replayOf?: ReplayLink;
}

export async function processFile(file: Claimed, o: FileRunOptions): Promise<FileOutcome> {
  const j: Journal = { pipeline: null, sha256: null, startedAt: new Date() };
  try {
    return await processClaimed(file, o, j);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    // Whatever it was, it is about this file: quarantine it and let the run go on. When it is the quarantine
    // itself that failed, the user must still read why the file was refused, and trying again is pointless.
    const quarantining = j.quarantining;
    const reason = quarantining ?? describeFileFailure(err);
    o.ctx.log.error(`file failed: ${errorMessage(err)}`, { file: file.name, err, logOnly: true });
    try {
      if (quarantining !== undefined) throw err;
      return await finish(file, o, j, 'quarantined', { reason: `le traitement du fichier a échoué : ${reason}` });
    } catch (again) {
      o.ctx.log.error(`file could not be quarantined: ${errorMessage(again)}`, { file: file.name, err: again, logOnly: true });
      if (j.fileId !== undefined) o.ctx.state.noteFileError(j.fileId, reason);
      const blocked = `${reason} ; le fichier n'a pas pu être mis en quarantaine (${describeFileFailure(again)}) : il reste dans ${path.dirname(file.workPath)}, déplacez-le à la main une fois la cause corrigée`;
      // `start` prints no run summary: the console learns of it here, in French.
      o.ctx.log.error(`Fichier ${file.name} bloqué : ${blocked}`, { file: file.name });
      return { status: 'blocked', reason: blocked };
    }
  }
}

async function processClaimed(file: Claimed, o: FileRunOptions, j: Journal): Promise<FileOutcome> {
  const { ctx } = o;
  const log = ctx.log.child({ file: file.name });
  // Only regular files are read: a link or a device put in the work folder is quarantined unopened.
  const st = await fs.lstat(file.workPath);
  j.sha256 = st.isFile() ? await sha256File(file.workPath) : null;
  const resumed = ctx.state.openFileByWorkPath(file.workPath);
  const route = routeFile({ name: file.name, folder: file.folder, head: st.isFile() ? await readHead(file.workPath) : Buffer.alloc(0) }, o.pipelines, ctx.profile, o.documents);
  j.pipeline = 'pipeline' in route ? route.pipeline.name : 'document' in route ? route.document.name : null;
  if (o.only && j.pipeline !== o.only && !('document' in route && route.pipelines.some((p) => p.name === o.only))) return { status: 'skipped', reason: `fichier du flux ${j.pipeline ?? 'inconnu'}` };
  if (ctx.dryRun) return dryRun(file, o, route, j);

  const replayOf = file.replayOf ?? replayOfWorkPath(file.workPath);
  if (replayOf !== undefined) j.replayOf = replayLink(ctx.state, replayOf) ?? { id: replayOf, file: file.name, archive: null };
  j.fileId = resumed?.id ?? ctx.state.beginFile({ sha256: j.sha256, pipeline: j.pipeline, name: file.name, origin: replayOf !== undefined ? `replay:${replayOf}` : file.origin ?? 'local', workPath: file.workPath });
  if (resumed) log.info('resuming a file claimed by an earlier run', { pipeline: j.pipeline, attempts: resumed.attempts });
  if (resumed && resumed.attempts >= MAX_ATTEMPTS) {
    return finish(file, o, j, 'quarantined', { reason: `fichier repris ${resumed.attempts} fois sans que son traitement aboutisse (processus arrêté à chaque fois${resumed.last_error ? ` ; dernière erreur : ${resumed.last_error}` : ''}) : mis de côté pour ne pas bloquer les autres fichiers`, writes: resumed.writes ?? 0 });
  }
  ctx.state.countAttempt(j.fileId);

  if (!st.isFile()) return finish(file, o, j, 'quarantined', { reason: "ce n'est pas un fichier ordinaire (lien symbolique, dossier ou périphérique) : il n'a pas été ouvert" });
  if ('unroutable' in route) return finish(file, o, j, 'quarantined', { reason: route.unroutable });

  // A replay is asked for on purpose: its content is the same as its original's by definition.
  const earlier = replayOf === undefined ? ctx.state.completedFileBySha(j.sha256!) : undefined;
  if (earlier && earlier.id !== j.fileId) {
    return finish(file, o, j, 'duplicate', { reason: `contenu identique au fichier « ${earlier.name} » traité le ${earlier.finished_at ?? earlier.started_at}` });
  }

  const warnings: string[] = [];
  const fileCtx = { ...ctx, log: log.child({ pipeline: j.pipeline }), file: { name: file.name, path: file.workPath, sha256: j.sha256!, ...(file.folder !== undefined ? { folder: file.folder } : {}) }, warn: (m: string) => { warnings.push(m); } };
  // Writes are counted in the journal as they are made: a file resumed after a kill reports them all.
  const fileId = j.fileId;
  const earlierWrites = resumed?.writes ?? 0;
  ctx.shop.writes.onWrite = () => ctx.state.countFileWrite(fileId);
  let result: RouteResult | undefined;
  try {
    // The archived bytes must be the bytes processed: a file still being written to after its claim is read
    // again (fingerprints make that free), and quarantined if it does not settle.
    for (let pass = 0; ; pass++) {
      warnings.length = 0;
      result = await runRoute(route, fileCtx, { concurrency: o.concurrency ?? 16, fileId, resumed: resumed !== undefined || pass > 0, stop: o.stop, onProgress: o.onProgress }, () => (ctx.state.fileById(fileId)?.writes ?? 0) - earlierWrites);
      const now = await sha256File(file.workPath);
      if (now === j.sha256) break;
      j.sha256 = now;
      fileCtx.file.sha256 = now;
      if (pass >= MAX_REREADS) {
        return finish(file, o, j, 'quarantined', { reason: 'le fichier a encore changé pendant son traitement (un programme continue d\'y écrire) : redéposez-le une fois complet', ...counts(ctx, fileId, result, earlierWrites, warnings) });
      }
      log.warn('file changed while it was processed: processing it again');
    }
  } catch (err) {
    if (err instanceof FileFatalError) return finish(file, o, j, 'quarantined', { reason: err.message, warnings, writes: ctx.state.fileById(fileId)?.writes ?? 0 });
    if (err instanceof RetriableError || err instanceof Interrupted || err instanceof ConfigError) {
      // The file stays claimed in drop/.work/: the next run resumes it; fingerprints make the replay free.
      ctx.state.finishFile(fileId, { status: 'deferred', pipeline: j.pipeline, archivePath: null });
      // A shop that is down or a requested stop is not the file's fault: it does not count as an attempt.
      ctx.state.resetAttempts(fileId);
      log.warn(`file deferred: ${errorMessage(err)}`, { pipeline: j.pipeline });
      if (err instanceof ConfigError) throw err;
      return { status: 'deferred', reason: errorMessage(err) };
    }
    throw err;
  } finally {
    ctx.shop.writes.onWrite = undefined;
  }
  return finish(file, o, j, statusOf(result), counts(ctx, fileId, result, earlierWrites, warnings));
}

type RouteResult = RecordLoopResult & Partial<Pick<DocumentResult, 'sections' | 'unused' | 'notBuilt'>> & { format?: DocumentFormat };

/** One pipeline's record loop, or a document's loops (one per pipeline it feeds). */
async function runRoute(route: Exclude<Route, { unroutable: string }>, ctx: FileContext, opts: RecordLoopOptions, writesSoFar: () => number): Promise<RouteResult> {
  if ('pipeline' in route) return runRecords(route.pipeline, ctx, opts);
  return { ...(await runDocument(route.document, route.pipelines, ctx, { ...opts, writesSoFar })), format: route.document };
}

/** Partial when a record was rejected or a document held records for a flow not built yet. */
function statusOf(r: RouteResult): ReportStatus {
  return r.records.rejected > 0 || (r.notBuilt ?? 0) > 0 ? 'partial' : 'done';
}

function documentPart(r: RouteResult): Partial<FileReport> {
  if (!r.format || !r.sections) return {};
  return { document: { format: r.format.name, title: r.format.title, sections: r.sections, unused: r.unused ?? {} } };
}

function counts(ctx: RunContext, fileId: number, result: RouteResult, earlierWrites: number, warnings: string[]): Partial<FileReport> {
  const writes = ctx.state.fileById(fileId)?.writes ?? 0;
  const earlier = result.earlier.records > 0 || earlierWrites > 0;
  const notes = earlier
    ? [`reprise après une interruption : ${result.earlier.records} enregistrement(s) et ${earlierWrites} écriture(s) avaient déjà été faits par l'exécution interrompue ; ils sont comptés ci-dessus`]
    : [];
  return {
    records: result.records, rejects: result.rejects, writes, warnings: [...result.warnings, ...warnings, ...notes], ...documentPart(result),
    ...(earlier ? { resumed: { records: result.earlier.records, writes: earlierWrites } } : {}),
  };
}

async function finish(file: Claimed, o: FileRunOptions, j: Journal, status: ReportStatus, fields: Partial<FileReport>): Promise<FileOutcome> {
  const { ctx } = o;
  if (status === 'quarantined') j.quarantining = fields.reason ?? 'mis en quarantaine';
  const planned = j.fileId !== undefined ? ctx.state.fileById(j.fileId)?.archive_path : undefined;
  const plan = await planArchive(o.archiveRoot, j.startedAt, j.pipeline, file.name, status === 'quarantined', planned);
  if (j.fileId !== undefined) ctx.state.planArchive(j.fileId, plan.filePath);
  const report = finalizeReport({
    pipeline: j.pipeline, file: file.name, sha256: j.sha256, status,
    startedAt: j.startedAt.toISOString(), finishedAt: new Date().toISOString(),
    records: emptyCounts(), rejects: [], writes: 0, warnings: [], ...fields,
    ...(plan.name !== file.name ? { archivedAs: plan.name } : {}),
    ...(j.replayOf ? { replayOf: j.replayOf } : {}),
  });
  await archiveWithReport(file.workPath, plan, report);
  if (j.fileId !== undefined) ctx.state.finishFile(j.fileId, { status, pipeline: j.pipeline, archivePath: plan.filePath, counts: report.records });
  const level = status === 'quarantined' ? 'warn' : 'info';
  ctx.log[level](report.summary, { pipeline: j.pipeline, status, archive: path.relative(o.archiveRoot, plan.filePath) });
  return { status, report, archivedAs: plan.filePath };
}

async function dryRun(file: Claimed, o: FileRunOptions, route: ReturnType<typeof routeFile>, j: Journal): Promise<FileOutcome> {
  const { ctx } = o;
  const base = { pipeline: j.pipeline, file: file.name, sha256: j.sha256, startedAt: j.startedAt.toISOString(), dryRun: true, warnings: [] as string[] };
  const quarantined = (reason: string): FileOutcome => ({ status: 'quarantined', report: finalizeReport({ ...base, status: 'quarantined', finishedAt: new Date().toISOString(), records: emptyCounts(), rejects: [], writes: 0, reason }) });
  if ('unroutable' in route) return quarantined(route.unroutable);
  const before = ctx.shop.writes.entries.length;
  const fileCtx = { ...ctx, file: { name: file.name, path: file.workPath, sha256: j.sha256 ?? '', ...(file.folder !== undefined ? { folder: file.folder } : {}) }, warn: (m: string) => { base.warnings.push(m); } };
  try {
    const result = await runRoute(route, fileCtx, { concurrency: o.concurrency ?? 16, stop: o.stop, onProgress: o.onProgress }, () => ctx.shop.writes.entries.length - before);
    const planned = ctx.shop.writes.entries.slice(before).map((w) => ({ method: w.method, resource: w.resource, ...(w.id !== undefined ? { id: String(w.id) } : {}), fields: w.fields }));
    const status = statusOf(result);
    return { status, report: finalizeReport({ ...base, records: result.records, rejects: result.rejects, warnings: [...result.warnings, ...base.warnings], status, finishedAt: new Date().toISOString(), writes: planned.length, plannedWrites: planned, ...documentPart(result) }) };
  } catch (err) {
    if (err instanceof FileFatalError) return quarantined(err.message);
    throw err;
  }
}
