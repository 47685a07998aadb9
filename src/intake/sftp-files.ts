// File-name rules and the local side of a pull: which remote entries are candidates, how a name taken
// is suffixed, and how a finished download is published without ever overwriting a file.
import { promises as fsp } from 'node:fs';
import path from 'node:path';

/** LESSONS.md G5: writers use dot files or .tmp/.part names while a file is being written. */
export function isCandidateName(name: string): boolean {
  const lower = name.toLowerCase();
  return !name.startsWith('.') && !lower.endsWith('.tmp') && !lower.endsWith('.part');
}

/** `ventes.csv`, then `ventes (2).csv`, `ventes (3).csv`… (what a Windows user expects to see). */
export function* suffixedNames(name: string): Generator<string> {
  yield name;
  const ext = path.extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 2; n < 10_000; n++) yield `${stem} (${n})${ext}`;
}

/**
 * Moves `partPath` to the first free name of `suffixedNames(name)` in `dir`. A hard link fails with
 * EEXIST instead of replacing the target, so two writers cannot overwrite each other; file systems
 * without hard links fall back to check-then-rename.
 */
export async function publishWithoutOverwrite(partPath: string, dir: string, name: string): Promise<string> {
  for (const candidate of suffixedNames(name)) {
    const target = path.join(dir, candidate);
    try {
      await fsp.link(partPath, target);
      await fsp.unlink(partPath);
      return target;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw err;
      if (await exists(target)) continue;
      await fsp.rename(partPath, target);
      return target;
    }
  }
  throw new Error(`no free name for ${name} in ${dir}`);
}

/** Makes a rename durable: the directory entry is on disk, not only the file's data. */
export async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await fsp.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Windows cannot open a directory for fsync; NTFS journals the rename itself.
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.lstat(p);
    return true;
  } catch {
    return false;
  }
}
