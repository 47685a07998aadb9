// The local drop folder: what is there, what is complete, and the atomic claim that makes sure two
// processes (or a restart) never process one file twice (LESSONS G5, STYLE §5).
import { promises as fs } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';

export const WORK_DIR = '.work';

/** Temporary or hidden names that a writer has not finished with (LESSONS G5). */
export function isIgnoredName(name: string): boolean {
  const lower = name.toLowerCase();
  return name.startsWith('.') || name.startsWith('~$') || lower.endsWith('.tmp') || lower.endsWith('.part')
    || lower.endsWith('.filepart') || lower.endsWith('.crdownload');
}

export interface Candidate {
  path: string;
  name: string;
  /** The drop/<pipeline>/ folder it was dropped in, if any. */
  folder?: string;
  size: number;
  mtimeMs: number;
}

/** Files directly in drop/ and in drop/<folder>/ (one level), temporary names excluded. */
export async function listCandidates(dropDir: string): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const top = await fs.readdir(dropDir, { withFileTypes: true }).catch(() => []);
  for (const entry of top) {
    if (isIgnoredName(entry.name)) continue;
    const full = path.join(dropDir, entry.name);
    if (entry.isFile()) {
      const st = await fs.stat(full).catch(() => undefined);
      if (st) out.push({ path: full, name: entry.name, size: st.size, mtimeMs: st.mtimeMs });
    } else if (entry.isDirectory()) {
      const inner = await fs.readdir(full, { withFileTypes: true }).catch(() => []);
      for (const f of inner) {
        if (!f.isFile() || isIgnoredName(f.name)) continue;
        const p = path.join(full, f.name);
        const st = await fs.stat(p).catch(() => undefined);
        if (st) out.push({ path: p, name: f.name, folder: entry.name, size: st.size, mtimeMs: st.mtimeMs });
      }
    }
  }
  return out.sort((a, b) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name));
}

/** Keeps the candidates whose size and mtime did not move over `stableMs` (a writer still copying would). */
export async function stableOnly(cands: Candidate[], stableMs: number): Promise<Candidate[]> {
  if (stableMs > 0 && cands.length > 0) await new Promise((r) => setTimeout(r, stableMs));
  const out: Candidate[] = [];
  for (const c of cands) {
    const st = await fs.stat(c.path).catch(() => undefined);
    if (st && st.size === c.size && st.mtimeMs === c.mtimeMs) out.push(c);
  }
  return out;
}

export interface Claimed {
  workPath: string;
  name: string;
  folder?: string;
  /** Where it came from, for the files journal: dropped locally, pulled by SFTP, or resumed after a crash. */
  origin?: 'local' | 'sftp' | 'resume';
}

/** Moves the file into drop/.work/ by rename (atomic on one file system). Undefined when another
 *  process took it first. The original name and folder are kept in the work path, so a restart can
 *  resume the file without anything else. */
export async function claim(dropDir: string, c: Candidate): Promise<Claimed | undefined> {
  const dir = path.join(dropDir, WORK_DIR, c.folder ?? '_');
  await fs.mkdir(dir, { recursive: true });
  const stamp = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const workPath = path.join(dir, `${stamp}--${c.name}`);
  try {
    await fs.rename(c.path, workPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return { workPath, name: c.name, folder: c.folder };
}

/** Files claimed by an earlier process that did not finish them (crash, kill -9, shop unreachable). */
export async function listClaimed(dropDir: string): Promise<Claimed[]> {
  const root = path.join(dropDir, WORK_DIR);
  const out: Claimed[] = [];
  const dirs = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
  for (const d of dirs) {
    if (!d.isDirectory()) continue;
    const files = await fs.readdir(path.join(root, d.name)).catch(() => []);
    for (const f of files.sort()) {
      const sep = f.indexOf('--');
      if (sep < 0 || isIgnoredName(f)) continue;
      out.push({ workPath: path.join(root, d.name, f), name: f.slice(sep + 2), folder: d.name === '_' ? undefined : d.name, origin: 'resume' });
    }
  }
  return out;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function readHead(file: string, bytes = 4096): Promise<Buffer> {
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
