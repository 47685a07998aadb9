// The writes a run made (or, in dry-run, would have made): the run report and the dry-run preview read it.

export interface WriteEntry {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  resource: string;
  id?: string;
  /** Top-level fields sent (never their values: they may hold personal data). */
  fields: string[];
  dryRun: boolean;
}

export class WriteLog {
  readonly entries: WriteEntry[] = [];
  /** Called for every write: the file runner keeps the count of the file being processed in the journal. */
  onWrite: ((entry: WriteEntry) => void) | undefined;

  add(entry: WriteEntry): void {
    this.entries.push(entry);
    this.onWrite?.(entry);
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
