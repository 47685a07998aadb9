// The records of a multi-flow document, per pipeline, between its one parse and the pipelines' loads:
// JSON lines in a hidden folder beside the claimed file (memory stays flat for a 100,000-article export),
// read back in batches. Working data, not the user's: removed once the file is done, remade on a resume.
import { createReadStream, createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';

const BATCH = 1024;

export class Spool {
  private readonly writers = new Map<string, WriteStream>();
  private readonly counts = new Map<string, number>();

  private constructor(readonly dir: string) {}

  /** A fresh spool for a claimed file (whatever an interrupted attempt left is dropped first). */
  static async open(workPath: string): Promise<Spool> {
    // named by a hash: a claimed name can be as long as the file system allows, `.spool-` + it could not
    const dir = path.join(path.dirname(workPath), `.spool-${createHash('sha256').update(path.basename(workPath)).digest('hex').slice(0, 16)}`);
    await fs.rm(dir, { recursive: true, force: true });
    await fs.mkdir(dir, { recursive: true });
    return new Spool(dir);
  }

  private file(name: string): string {
    return path.join(this.dir, `${encodeURIComponent(name)}.jsonl`);
  }

  async add(name: string, row: unknown): Promise<void> {
    let w = this.writers.get(name);
    if (!w) {
      w = createWriteStream(this.file(name));
      this.writers.set(name, w);
    }
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    if (!w.write(`${JSON.stringify(row)}\n`)) await new Promise<void>((r) => w.once('drain', () => r()));
  }

  count(name: string): number {
    return this.counts.get(name) ?? 0;
  }

  async close(): Promise<void> {
    await Promise.all([...this.writers.values()].map((w) => new Promise<void>((resolve, reject) => w.end((err?: Error | null) => (err ? reject(err) : resolve())))));
    this.writers.clear();
  }

  /** The rows spooled for `name`, in order, in batches. */
  async *rows(name: string): AsyncGenerator<unknown[]> {
    if (!this.counts.has(name)) return;
    let rest = '';
    let batch: unknown[] = [];
    for await (const chunk of createReadStream(this.file(name), { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
      const text = rest + (chunk as string);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        batch.push(JSON.parse(text.slice(start, nl)));
        start = nl + 1;
        if (batch.length >= BATCH) {
          yield batch;
          batch = [];
        }
      }
      rest = text.slice(start);
    }
    if (batch.length > 0) yield batch;
  }

  async remove(): Promise<void> {
    await this.close().catch(() => undefined);
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
