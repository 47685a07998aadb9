// The local drop folder: what is there, what is complete, and the atomic claim that makes sure two
// processes (or a restart) never process one file twice (LESSONS G5, STYLE §5).
import { promises as fs } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { archiveName } from './archive.ts';

export const WORK_DIR = '.work';
/** drop/images/: the products flow reads it (pipelines/steps/product-images.ts); its files are not flow files. */
export const IMAGES_DIR = 'images';

/** Pictures are no flow's file: beside an articles file they are its articles' images (the products flow
 *  reads them where they are, pipelines/steps/image-sources.ts); never claimed, archived or quarantined. */
export function isImageName(name: string): boolean {
  return /\.(jpe?g|jpe|png|gif|webp)$/i.test(name);
}

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

/** Something in the drop folder that will not be taken, and why: reported by the run and `status`, never
 *  silently left (issue #7). */
export interface Ignored { path: string; reason: string }

export interface Listing { candidates: Candidate[]; ignored: Ignored[] }

/** Regular files directly in drop/ and in drop/<folder>/ (one level), temporary names excluded. Links,
 *  devices and deeper folders are listed as ignored with their reason, their target never opened. */
export async function listDrop(dropDir: string): Promise<Listing> {
  const candidates: Candidate[] = [];
  const ignored: Ignored[] = [];
  const visit = async (dir: string, folder: string | undefined): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch((err: unknown) => {
      ignored.push({ path: dir, reason: `dossier illisible (${(err as NodeJS.ErrnoException).code ?? 'erreur'}) : vérifiez les droits du compte de prestasync` });
      return [];
    });
    for (const entry of entries) {
      if (isIgnoredName(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isFile()) {
        if (isImageName(entry.name)) continue;
        const st = await fs.lstat(full).catch(() => undefined);
        if (st?.isFile()) candidates.push({ path: full, name: entry.name, ...(folder !== undefined ? { folder } : {}), size: st.size, mtimeMs: st.mtimeMs });
      } else if (entry.isDirectory() && folder === undefined) {
        if (entry.name === IMAGES_DIR) continue;
        await visit(full, entry.name);
      } else if (entry.isDirectory()) {
        ignored.push({ path: full, reason: `sous-dossier non lu : déposez les fichiers directement dans ${path.basename(dir)}/` });
      } else if (entry.isSymbolicLink()) {
        ignored.push({ path: full, reason: 'lien symbolique refusé : seuls les fichiers ordinaires déposés dans le dossier sont lus (la cible du lien n\'est jamais ouverte)' });
      } else {
        ignored.push({ path: full, reason: "ce n'est pas un fichier ordinaire (périphérique, tube, socket) : ignoré" });
      }
    }
  };
  await visit(dropDir, undefined);
  candidates.sort((a, b) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name));
  return { candidates, ignored };
}

/** The candidate files only (see listDrop). */
export async function listCandidates(dropDir: string): Promise<Candidate[]> {
  return (await listDrop(dropDir)).candidates;
}

/** Keeps the candidates whose size and mtime did not move over `stableMs` (a writer still copying would).
 *  A file whose last change is already older than the window is taken without waiting (issue #6). */
export async function stableOnly(cands: Candidate[], stableMs: number, now = Date.now()): Promise<Candidate[]> {
  const recent = cands.filter((c) => now - c.mtimeMs < stableMs);
  if (stableMs > 0 && recent.length > 0) await new Promise((r) => setTimeout(r, stableMs));
  const out: Candidate[] = [];
  for (const c of cands) {
    if (!recent.includes(c)) {
      out.push(c);
      continue;
    }
    const st = await fs.stat(c.path).catch(() => undefined);
    if (st && st.size === c.size && st.mtimeMs === c.mtimeMs) out.push(c);
  }
  return out.sort((a, b) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name));
}

export interface Claimed {
  workPath: string;
  name: string;
  folder?: string;
  /** Where it came from, for the files journal: dropped locally, pulled by SFTP, or resumed after a crash. */
  origin?: 'local' | 'sftp' | 'resume' | 'replay';
  /** A copy of an archived file replayed (« rejouer »): the journal id of the original. */
  replayOf?: number;
}

/** Moves the file into drop/.work/ by rename (atomic on one file system). Undefined when another
 *  process took it first. The original name and folder are kept in the work path, so a restart can
 *  resume the file without anything else. */
export async function claim(dropDir: string, c: Candidate): Promise<Claimed | undefined> {
  const dir = path.join(dropDir, WORK_DIR, c.folder ?? '_');
  await fs.mkdir(dir, { recursive: true });
  const stamp = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  // A name that does not fit with the stamp is shortened (the files journal keeps the original).
  const workPath = path.join(dir, `${stamp}--${archiveName(c.name, 240 - stamp.length)}`);
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
