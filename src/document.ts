// The contract of a multi-flow document: one file whose records feed several pipelines, like a Sage 100
// « Format Sage » master-data export (tax codes, families, articles, tariffs, customers in one file).
// The engine parses it once, hands each record to the pipelines it is for, in their dependency order,
// keeps its reference tables for the later, partial exports, and writes one report with a section per
// pipeline (issue #8). What a format's records mean lives with the format (transforms/, src/erp/).
import type { FileContext, Many } from './pipeline.ts';

export type DocumentItem =
  /** A record for these pipelines (a Sage #CART goes to products and, for its tariffs, to prices). */
  | { pipelines: readonly string[]; kind: string; line: number; row: unknown }
  /** A row of a reference table the pipelines read (tax codes, price categories…), by its key. */
  | { table: string; key: string; row: unknown }
  /** A record no shop flow uses: counted by kind in the report. */
  | { unused: string }
  /** A record the reader refused (wrong length, cut file): reported with its line, the rest goes on. */
  | { reject: string; line: number; kind: string }
  /** A remark on the file (truncated, unknown flag-like lines…). */
  | { warning: string };

export interface DocumentFormat {
  /** Key of the pipelines' `documents` transforms, e.g. 'format-sage'. */
  name: string;
  /** French name for reports: « export Sage « Format Sage » ». */
  title: string;
  /** Recognised by content, wherever the file is dropped. */
  recognise(head: Buffer): boolean;
  /** The one parse of the file. Throws FileFatalError when it cannot be read at all. */
  read(path: string, ctx: FileContext): AsyncIterable<Many<DocumentItem>>;
  /** French name of a pipeline a record is for, when that pipeline is not built yet (« clients »). */
  pipelineTitle?(name: string): string;
}

export interface DocumentContext {
  format: string;
  /** Reference tables: this file's rows over those kept from the earlier files of the format. */
  tables: ReadonlyMap<string, ReadonlyMap<string, unknown>>;
}

export function isDocumentRecord(i: DocumentItem): i is Extract<DocumentItem, { pipelines: readonly string[] }> {
  return 'pipelines' in i;
}
