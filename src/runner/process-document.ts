// The record loops of one multi-flow document (a Sage « Format Sage » export): the file is read once, its
// records spooled per pipeline, its reference tables kept, then each pipeline that takes the format runs
// on its records in registry (= dependency) order, through the same record loop as any file. One report:
// a section per pipeline, records no flow uses counted by kind, records for a flow not built yet counted
// as « non traité » (issue #8). A record rejected in one pipeline does not block the others.
import type { DocumentFormat, DocumentItem } from '../document.ts';
import type { AnyFilePipeline, FileContext, Many } from '../pipeline.ts';
import { emptyCounts, type DocumentSection, type RecordCounts } from '../report.ts';
import { runRecords, type RecordLoopOptions } from './records.ts';
import { Spool } from './spool.ts';
import type { RejectEntry } from './tally.ts';

export interface DocumentResult {
  records: RecordCounts;
  rejects: RejectEntry[];
  earlier: { records: number };
  warnings: string[];
  sections: DocumentSection[];
  /** Records no shop flow uses, by kind (« #MPLG » : 120). */
  unused: Record<string, number>;
  /** Records for flows not built yet: the file is partial, never quarantined for them. */
  notBuilt: number;
}

/** One spooled record: what the pipeline's `documents[format]` transform receives. */
export interface DocumentRecord { line: number; kind: string; row: unknown }

export async function runDocument(
  format: DocumentFormat,
  pipelines: readonly AnyFilePipeline[],
  ctx: FileContext,
  opts: RecordLoopOptions & { writesSoFar: () => number },
): Promise<DocumentResult> {
  const takers = pipelines.filter((p) => p.documents?.[format.name] !== undefined);
  const spool = await Spool.open(ctx.file.path);
  try {
    const read = await readDocument(format, ctx, spool, new Set(takers.map((p) => p.name)));
    await spool.close();
    const stored = ctx.state.documentTables(format.name);
    ctx.state.saveDocumentTables(format.name, read.tables);
    for (const [name, rows] of read.tables) {
      const t = stored.get(name) ?? new Map<string, unknown>();
      for (const [k, v] of rows) t.set(k, v);
      stored.set(name, t);
    }
    const docCtx: FileContext = { ...ctx, document: { format: format.name, tables: stored } };

    const result: DocumentResult = {
      records: emptyCounts(), rejects: [...read.rejects], earlier: { records: 0 }, warnings: [...read.warnings],
      sections: [], unused: Object.fromEntries(read.unused), notBuilt: 0,
    };
    result.records.read += read.rejects.length;
    result.records.rejected += read.rejects.length;
    for (const p of takers) {
      const count = spool.count(p.name);
      if (count === 0) continue;
      const transform = p.documents![format.name]!;
      const derived: AnyFilePipeline = {
        ...p,
        parse: () => spool.rows(p.name) as AsyncIterable<Many<unknown>>,
        transform: (item: unknown, c: FileContext) => transform(item as DocumentRecord, c),
      };
      const before = opts.writesSoFar();
      const r = await runRecords(derived, { ...docCtx, log: ctx.log.child({ pipeline: p.name }) }, opts);
      add(result.records, r.records);
      result.earlier.records += r.earlier.records;
      result.rejects.push(...r.rejects.map((j) => ({ ...j, pipeline: p.name })));
      result.warnings.push(...r.warnings.map((w) => `${p.name} : ${w}`));
      result.sections.push({ pipeline: p.name, title: format.pipelineTitle?.(p.name) ?? p.name, records: r.records, writes: opts.writesSoFar() - before });
    }
    for (const [name, count] of read.notBuilt) {
      result.notBuilt += count;
      result.sections.push({ pipeline: name, title: format.pipelineTitle?.(name) ?? name, records: { ...emptyCounts(), read: count }, writes: 0, notBuilt: count });
    }
    result.rejects.sort((a, b) => a.line - b.line);
    return result;
  } finally {
    await spool.remove();
  }
}

interface ReadResult {
  tables: Map<string, Map<string, unknown>>;
  unused: Map<string, number>;
  notBuilt: Map<string, number>;
  rejects: RejectEntry[];
  warnings: string[];
}

async function readDocument(format: DocumentFormat, ctx: FileContext, spool: Spool, built: ReadonlySet<string>): Promise<ReadResult> {
  const out: ReadResult = { tables: new Map(), unused: new Map(), notBuilt: new Map(), rejects: [], warnings: [] };
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const take = async (i: DocumentItem) => {
    if ('pipelines' in i) {
      for (const name of i.pipelines) {
        if (built.has(name)) await spool.add(name, { line: i.line, kind: i.kind, row: i.row } satisfies DocumentRecord);
        else bump(out.notBuilt, name);
      }
    } else if ('table' in i) {
      let t = out.tables.get(i.table);
      if (!t) out.tables.set(i.table, (t = new Map()));
      t.set(i.key, i.row);
    } else if ('unused' in i) {
      bump(out.unused, i.unused);
    } else if ('reject' in i) {
      out.rejects.push({ line: i.line, key: i.kind, reason: i.reject });
    } else {
      out.warnings.push(i.warning);
    }
  };
  for await (const many of format.read(ctx.file.path, ctx)) {
    if (Array.isArray(many)) for (const i of many as DocumentItem[]) await take(i);
    else await take(many as DocumentItem);
  }
  return out;
}

function add(into: RecordCounts, r: RecordCounts): void {
  into.read += r.read;
  into.created += r.created;
  into.updated += r.updated;
  into.unchanged += r.unchanged;
  into.rejected += r.rejected;
}
