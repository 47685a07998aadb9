// An XML export as rows (generic column mapping, `format: xml`): each element at the `record` path
// (« Articles/Article »: local names, the last ones of the element's path) is one row, its fields read by
// the flow's column names — `Nom` the text of a direct child element, `@code` an attribute of the record,
// `Prix/@ht` an attribute of a direct child. Read with saxes (a streaming parser that resolves no external
// entity); the encoding is the XML declaration's (UTF-8 by default), the line is the record's opening tag.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { SaxesParser } from 'saxes';
import { FileFatalError } from '../errors.ts';
import type { Row } from './row.ts';
import { localName } from './xlsx/xml.ts';

export interface XmlRecordOptions {
  /** « Articles/Article »: the record elements. */
  record: string;
  /** The column names the flow declares (each read from the record as said above). */
  columns: readonly string[];
}

const BATCH = 500;

export async function* readXmlRecordBatches(path: string, o: XmlRecordOptions): AsyncGenerator<Row[]> {
  const want = o.record.split('/').map((p) => p.trim()).filter((p) => p !== '');
  if (want.length === 0) throw new FileFatalError('chemin des enregistrements XML vide (erp.flows.<flux>.record, ex. « Articles/Article »)');
  const encoding = await declaredEncoding(path);
  const parser = new SaxesParser({ position: true });
  const stack: string[] = [];
  let out: Row[] = [];
  let count = 0;
  // the record being read: its depth in the stack, its fields, the direct child whose text is gathered
  let rec: { depth: number; line: number; values: Record<string, string>; child?: string; text: string[] } | undefined;
  const fields = o.columns.map((c) => ({ column: c, ...fieldOf(c) }));

  parser.on('opentag', (node) => {
    const name = localName(node.name);
    stack.push(name);
    const attrs = node.attributes as Record<string, string>;
    if (rec === undefined) {
      if (stack.length >= want.length && want.every((w, i) => w === stack[stack.length - want.length + i])) {
        rec = { depth: stack.length, line: parser.line, values: {}, text: [] };
        for (const f of fields) if (f.child === undefined && f.attr !== undefined) rec.values[f.column] = (attrOf(attrs, f.attr) ?? '').trim();
      }
      return;
    }
    if (stack.length === rec.depth + 1) {
      rec.child = name;
      rec.text = [];
      for (const f of fields) if (f.child === name && f.attr !== undefined) rec.values[f.column] = (attrOf(attrs, f.attr) ?? '').trim();
    }
  });
  const text = (t: string): void => { if (rec?.child !== undefined && stack.length === rec.depth + 1) rec.text.push(t); };
  parser.on('text', text);
  parser.on('cdata', text);
  parser.on('closetag', () => {
    if (rec !== undefined && stack.length === rec.depth + 1 && rec.child !== undefined) {
      const value = rec.text.join('').trim();
      for (const f of fields) if (f.child === rec.child && f.attr === undefined) rec.values[f.column] = value;
      rec.child = undefined;
    } else if (rec !== undefined && stack.length === rec.depth) {
      for (const f of fields) rec.values[f.column] ??= '';
      out.push({ line: rec.line, values: rec.values });
      count++;
      rec = undefined;
    }
    stack.pop();
  });

  const stream = createReadStream(path).pipe(iconv.decodeStream(encoding, { stripBOM: true }));
  try {
    for await (const piece of stream) {
      parser.write(piece as string);
      if (out.length >= BATCH) {
        yield out;
        out = [];
      }
    }
    parser.close();
  } catch (err) {
    if (err instanceof FileFatalError) throw err;
    throw new FileFatalError(`XML mal formé ligne ${parser.line} : ${(err as Error).message.replace(/^.*?:\d+:\d+: /, '')}`, { cause: err });
  }
  if (out.length > 0) yield out;
  if (count === 0) throw new FileFatalError(`aucun élément au chemin « ${want.join('/')} » dans ce fichier XML : vérifiez erp.flows.<flux>.record (le chemin des enregistrements, ex. « Articles/Article »)`);
}

function fieldOf(column: string): { child?: string; attr?: string } {
  const [a, b] = column.split('/@');
  if (b !== undefined) return { child: a!, attr: b };
  if (column.startsWith('@')) return { attr: column.slice(1) };
  return { child: column };
}

function attrOf(attrs: Record<string, string>, name: string): string | undefined {
  if (attrs[name] !== undefined) return attrs[name];
  for (const [k, v] of Object.entries(attrs)) if (localName(k) === name) return v;
  return undefined;
}

/** The XML declaration's encoding (UTF-16 by its BOM); one iconv cannot decode is refused by name. */
async function declaredEncoding(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(256);
    const { bytesRead } = await fh.read(head, 0, 256, 0);
    const h = head.subarray(0, bytesRead);
    if (h[0] === 0xff && h[1] === 0xfe) return 'utf-16le';
    if (h[0] === 0xfe && h[1] === 0xff) return 'utf-16be';
    const m = /^(?:\uFEFF)?<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(h.toString('latin1').replace(/^\xef\xbb\xbf/, ''));
    const enc = m?.[1] ?? 'utf-8';
    if (!iconv.encodingExists(enc)) throw new FileFatalError(`encodage XML « ${enc} » inconnu : exportez en UTF-8 ou en windows-1252`);
    return enc;
  } finally {
    await fh.close();
  }
}
