// Archive and quarantine: archive/YYYY/MM/DD/<pipeline>/<name> + <name>.report.json (+ .rapport.txt), or
// archive/quarantine/YYYY/MM/DD/. Nothing is ever overwritten; the report is on disk before the file
// leaves the work folder, so a crash never leaves a file without its report. The planned path is kept in
// the files journal before anything is written, and an attempt that resumes the file reuses it: one file,
// one report, wherever a kill -9 lands (issue #7).
import { createHash } from 'node:crypto';
import { promises as fs, constants as fsc } from 'node:fs';
import path from 'node:path';
import { reportText, type FileReport } from '../report.ts';
import { crashPoint } from '../testing/crash-points.ts';

/** Longest archived name, in bytes: its report (`.report.json`), text report and temporary names
 *  (`.<name>.report.json.tmp`) must still fit the 255 bytes of a file name. */
export const MAX_ARCHIVE_NAME_BYTES = 200;

/** `name` if it fits, else shortened deterministically: the start of the name, a hash of the whole
 *  name, the extension (`très-long…~3fa9c2e1.csv`). The original name stays in the report. */
export function archiveName(name: string, maxBytes = MAX_ARCHIVE_NAME_BYTES): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  let ext = path.extname(name);
  if (Buffer.byteLength(ext) > 16) ext = '';
  const room = maxBytes - Buffer.byteLength(ext) - hash.length - 1;
  let base = '';
  for (const ch of name.slice(0, name.length - ext.length)) {
    if (Buffer.byteLength(base + ch) > room) break;
    base += ch;
  }
  return `${base}~${hash}${ext}`;
}

export function datedDir(root: string, when: Date, ...rest: string[]): string {
  const y = String(when.getFullYear());
  const m = String(when.getMonth() + 1).padStart(2, '0');
  const d = String(when.getDate()).padStart(2, '0');
  return path.join(root, y, m, d, ...rest);
}

export function archiveFolder(archiveRoot: string, when: Date, pipeline: string | null, quarantine: boolean): string {
  return quarantine
    ? datedDir(path.join(archiveRoot, 'quarantine'), when)
    : datedDir(archiveRoot, when, pipeline ?? 'inconnu');
}

/** `name`, or `name (2).ext`, `name (3).ext`… whichever has neither the file nor its report taken. */
export async function freeName(dir: string, name: string): Promise<string> {
  const ext = path.extname(name);
  const base = ext ? name.slice(0, -ext.length) : name;
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? name : `${base} (${n})${ext}`;
    const taken = await Promise.all([exists(path.join(dir, candidate)), exists(path.join(dir, `${candidate}.report.json`))]);
    if (!taken[0] && !taken[1]) return candidate;
  }
}

export async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}

/** The temporary name `writeFileAtomic(target, …, { fixedTemp: true })` writes through: whoever knows the
 *  target can remove what a killed write left. */
export function fixedTempOf(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.tmp`);
}

/** Writes through a temporary name, fsyncs, renames: readers never see half a file. `fixedTemp` reuses
 *  one temporary name across processes, so a write interrupted by kill -9 is simply redone. */
export async function writeFileAtomic(target: string, data: string | Buffer, o: { fixedTemp?: boolean } = {}): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = o.fixedTemp ? fixedTempOf(target) : path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  const fh = await fs.open(tmp, 'w');
  // Killed here, a write leaves its temporary file empty (issue #7: « a 0-byte .report.json.<pid>.tmp »).
  crashPoint('atomic-write.temp-open');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.rename(tmp, target);
}

/** Moves a file, across file systems too (copy, fsync, then unlink — never unlink first). */
export async function moveFile(from: string, to: string): Promise<void> {
  await fs.mkdir(path.dirname(to), { recursive: true });
  try {
    await fs.rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await fs.copyFile(from, to, fsc.COPYFILE_EXCL);
    const fh = await fs.open(to, 'r+');
    await fh.sync();
    await fh.close();
    await fs.unlink(from);
  }
}

export interface ArchivePlan { dir: string; name: string; filePath: string; reportPath: string; textPath: string }

/** A free place in the archive (or quarantine) for `name`, shortened if needed; `planned` (the path an
 *  interrupted attempt chose, from the files journal) is reused as it is. */
export async function planArchive(archiveRoot: string, when: Date, pipeline: string | null, name: string, quarantine: boolean, planned?: string | null): Promise<ArchivePlan> {
  if (planned) return planAt(path.dirname(planned), path.basename(planned));
  const dir = archiveFolder(archiveRoot, when, pipeline, quarantine);
  return planAt(dir, await freeName(dir, archiveName(name)));
}

function planAt(dir: string, name: string): ArchivePlan {
  return { dir, name, filePath: path.join(dir, name), reportPath: path.join(dir, `${name}.report.json`), textPath: path.join(dir, `${name}.rapport.txt`) };
}

/** Reports first, then the file. Fixed temporary names: a write cut by a kill is redone by the next
 *  attempt, not left beside the report. */
export async function archiveWithReport(workPath: string, plan: ArchivePlan, report: FileReport): Promise<void> {
  await writeFileAtomic(plan.textPath, reportText(report), { fixedTemp: true });
  await writeFileAtomic(plan.reportPath, `${JSON.stringify(report, null, 2)}\n`, { fixedTemp: true });
  crashPoint('archive.reports-written');
  if (await exists(workPath)) await moveFile(workPath, plan.filePath);
  crashPoint('archive.file-moved');
}
