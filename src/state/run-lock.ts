// One run at a time per installation: the service (`start`), a manual `run`, `orders`, or a second
// service started by mistake all share drop/.work/, the outbox and the state. A lock file next to the state
// store holds the PID of the process running; a lock left by a process that died (kill -9) is taken over.
import { promises as fs } from 'node:fs';
import os from 'node:os';

interface Holder { pid: number; host: string; since: string; what: string }

/** Runs of this process hold the lock in turn (tests open several engines on one installation). */
const heldHere = new Map<string, Promise<void>>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(file: string): Promise<Holder | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as Holder;
  } catch {
    return undefined;
  }
}

export class RunLockTimeout extends Error {
  override readonly name = 'RunLockTimeout';
}

/** Waits for the lock (up to `waitMs`), runs `fn`, releases the lock, even when `fn` throws. */
export async function withRunLock<T>(file: string, what: string, o: { waitMs: number; onWait?: (holder: Holder | undefined) => void }, fn: () => Promise<T>): Promise<T> {
  // In-process turn first, then the file shared with other processes.
  while (heldHere.has(file)) await heldHere.get(file);
  let release!: () => void;
  heldHere.set(file, new Promise<void>((r) => { release = r; }));
  try {
    await acquireFile(file, what, o);
    try {
      return await fn();
    } finally {
      await fs.unlink(file).catch(() => undefined);
    }
  } finally {
    heldHere.delete(file);
    release();
  }
}

async function acquireFile(file: string, what: string, o: { waitMs: number; onWait?: (holder: Holder | undefined) => void }): Promise<void> {
  const deadline = Date.now() + o.waitMs;
  let told = false;
  for (;;) {
    const me: Holder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), what };
    try {
      await fs.writeFile(file, JSON.stringify(me), { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await readHolder(file);
    const unreadableAndOld = !holder && Date.now() - ((await fs.stat(file).catch(() => undefined))?.mtimeMs ?? Date.now()) > 10_000;
    if (unreadableAndOld || (holder && holder.host === os.hostname() && holder.pid !== process.pid && !alive(holder.pid))) {
      // Left by a process that died: take it over (the runner resumes what that process had claimed).
      await fs.unlink(file).catch(() => undefined);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new RunLockTimeout(holder
        ? `une autre exécution de prestasync est en cours (${holder.what}, pid ${holder.pid} sur ${holder.host} depuis ${holder.since}) : réessayez après elle`
        : 'une autre exécution de prestasync est en cours : réessayez après elle');
    }
    if (!told) {
      o.onWait?.(holder);
      told = true;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
