// The writes a run made (or, in dry-run, would have made): the run report and the dry-run preview read it.
// Writes are also attributed to the record being loaded (an AsyncLocalStorage scope the record loop opens
// around each load), so that what a record wrote is known even with many loads in flight.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface WriteEntry {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  resource: string;
  id?: string;
  /** Top-level fields sent (never their values: they may hold personal data). */
  fields: string[];
  dryRun: boolean;
}

/** The writes of one record's load. */
export interface WriteScope { writes: number }

const scope = new AsyncLocalStorage<WriteScope>();

/** Runs `fn` counting in `counter` every write made inside it (whatever awaits it goes through). */
export function countWrites<T>(counter: WriteScope, fn: () => Promise<T>): Promise<T> {
  return scope.run(counter, fn);
}

export class WriteLog {
  readonly entries: WriteEntry[] = [];

  add(entry: WriteEntry): void {
    this.entries.push(entry);
    const s = scope.getStore();
    if (s) s.writes++;
  }

  count(): number {
    return this.entries.length;
  }

  byResource(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const e of this.entries) out[e.resource] = (out[e.resource] ?? 0) + 1;
    return out;
  }
}
