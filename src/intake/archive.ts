// Archive and quarantine: archive/YYYY/MM/DD/<pipeline>/<name> + <name>.report.json (+ .rapport.txt), or
// archive/quarantine/YYYY/MM/DD/. Nothing is ever overwritten; the report is on disk before the file
// leaves the work folder, so a crash never leaves a file without its report.
import { promises as fs, constants as fsc } from 'node:fs';
import path from 'node:path';
import { reportText, type FileReport } from '../report.ts';

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

/** Writes through a temporary name, fsyncs, renames: readers never see half a file. `fixedTemp` reuses
 *  one temporary name across processes, so a write interrupted by kill -9 is simply redone. */
export async function writeFileAtomic(target: string, data: string | Buffer, o: { fixedTemp?: boolean } = {}): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}${o.fixedTemp ? '' : `.${process.pid}`}.tmp`);
  const fh = await fs.open(tmp, 'w');
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

export async function planArchive(archiveRoot: string, when: Date, pipeline: string | null, name: string, quarantine: boolean): Promise<ArchivePlan> {
  const dir = archiveFolder(archiveRoot, when, pipeline, quarantine);
  const free = await freeName(dir, name);
  return { dir, name: free, filePath: path.join(dir, free), reportPath: path.join(dir, `${free}.report.json`), textPath: path.join(dir, `${free}.rapport.txt`) };
}

export async function archiveWithReport(workPath: string, plan: ArchivePlan, report: FileReport): Promise<void> {
  await writeFileAtomic(plan.textPath, reportText(report));
  await writeFileAtomic(plan.reportPath, `${JSON.stringify(report, null, 2)}\n`);
  if (await exists(workPath)) await moveFile(workPath, plan.filePath);
}
