// The rows of a file as its flow profile describes it (delimited text or workbook): what a pipeline's
// parse() calls, so that format, encoding and required columns come from one place.
import { ConfigError } from '../errors.ts';
import type { DecodeWarning } from '../parse/decode.ts';
import { readDelimitedBatches, readHeader } from '../parse/delimited.ts';
import type { Row } from '../parse/row.ts';
import { readXlsxBatches } from '../parse/xlsx.ts';
import { readXmlRecordBatches } from '../parse/xml-records.ts';
import { flowColumns, type CategoriesFlowProfile, type ErpProfile, type FlowProfile, type ProductsFlowProfile, type StockFlowProfile } from './profile.ts';

export interface FlowWarningSink {
  /** Receives each decode warning as a French sentence for the report (a FileContext fits). */
  warn?(message: string): void;
  onWarning?(w: DecodeWarning): void;
}

/** One row at a time (tests, flows that read a row at a time). */
export async function* readFlowRows(path: string, flow: FlowProfile, sink: FlowWarningSink = {}): AsyncGenerator<Row> {
  for await (const rows of readFlowBatches(path, flow, sink)) yield* rows;
}

/** The rows in arrays, one async step per array: what a pipeline's parse() should yield. */
export function readFlowBatches(path: string, flow: FlowProfile, sink: FlowWarningSink = {}): AsyncGenerator<Row[]> {
  const requiredColumns = flowColumns(flow);
  if (flow.format === 'xml') return readXmlRecordBatches(path, { record: flow.record, columns: requiredColumns });
  if (flow.format === 'xlsx') {
    return readXlsxBatches(path, { sheet: flow.sheet, headerRow: flow.headerRow, requiredColumns });
  }
  return readDelimitedBatches(path, {
    encoding: flow.encoding,
    delimiter: flow.delimiter,
    quote: flow.quote,
    header: flow.header,
    multiline: flow.multiline,
    maxLineBytes: flow.maxLineBytes,
    requiredColumns,
    onWarning: (w) => {
      sink.onWarning?.(w);
      sink.warn?.(w.message);
    },
  });
}

/** The profile's stock flow; a profile without one cannot run the stock pipeline. */
export function stockFlow(profile: ErpProfile): StockFlowProfile {
  const flow = profile.flows.stock;
  if (flow === undefined) {
    throw new ConfigError([`erp.flows.stock: le profil ${profile.name} ne décrit pas de fichier de stock (patterns, colonnes…)`]);
  }
  return flow;
}

/** The profile's categories flow (families, and sub-families where the ERP exports them apart). */
export function categoriesFlow(profile: ErpProfile): CategoriesFlowProfile {
  const flow = profile.flows.categories;
  if (flow === undefined) {
    throw new ConfigError([`erp.flows.categories: le profil ${profile.name} ne décrit pas de fichier de familles (patterns, colonnes…)`]);
  }
  return flow;
}

/** The profile's products flow (the article export). */
export function productsFlow(profile: ErpProfile): ProductsFlowProfile {
  const flow = profile.flows.products;
  if (flow === undefined) {
    throw new ConfigError([`erp.flows.products: le profil ${profile.name} ne décrit pas de fichier d'articles (patterns, colonnes…)`]);
  }
  return flow;
}

/** The layout one categories file is read with: the sub-families' when its header names their code column
 *  (EBP exports families and sub-families as two files of one flow), else the families'. A workbook is
 *  always read with the families' layout. */
export async function categoriesFileFlow(path: string, flow: CategoriesFlowProfile): Promise<CategoriesFlowProfile> {
  if (flow.subFamilies === undefined || flow.format !== 'delimited' || flow.header !== true) return flow;
  const header = await readHeader(path, { encoding: flow.encoding, delimiter: flow.delimiter, quote: flow.quote, header: flow.header, maxLineBytes: flow.maxLineBytes });
  const fold = (s: string) => s.normalize('NFC').toLowerCase();
  const names = new Set(header.map(fold));
  return names.has(fold(flow.subFamilies.code)) ? { ...flow, columns: flow.subFamilies } : flow;
}
