// Reading Format Sage bytes in tests: the fixture as checked in, or edited line by line (a record cut
// short, the file cut before #FIN) — always in CP850 and CRLF, as Sage writes it.
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import type { DocumentItem } from '../../../src/document.ts';
import { readSageDocument } from '../../../src/erp/format-sage/format.ts';
import { readFormatSage, type SageItem } from '../../../src/erp/format-sage/read.ts';

export const FIXTURE = new URL('../../fixtures/erp/sage/catalogue_format-sage.txt', import.meta.url).pathname;
export const MPLG_SAMPLE = new URL('../../fixtures/erp/sage/melorio_format-sage__DEMO_MPLG_20260919.txt', import.meta.url).pathname;

export const fixtureBytes = (): Buffer => readFileSync(FIXTURE);

/** The fixture's lines (CRLF split of the CP850 text; the last, empty, element is the final CRLF). */
export function fixtureLines(): string[] {
  return iconv.decode(fixtureBytes(), 'cp850').split('\r\n');
}

export function encode(lines: readonly string[]): Buffer {
  return iconv.encode(lines.join('\r\n'), 'cp850');
}

/** The bytes in chunks of `size`, so that CRLF and records straddle chunk boundaries. */
export async function* chunks(bytes: Buffer, size = bytes.length): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

export async function readAll(bytes: Buffer, size?: number): Promise<SageItem[]> {
  const out: SageItem[] = [];
  for await (const batch of readFormatSage(chunks(bytes, size))) out.push(...batch);
  return out;
}

export async function documentItems(bytes: Buffer, earlier: ReadonlyMap<string, ReadonlyMap<string, unknown>> = new Map()): Promise<DocumentItem[]> {
  const out: DocumentItem[] = [];
  for await (const batch of readSageDocument(chunks(bytes), earlier)) out.push(...batch);
  return out;
}

/** The tables a pipeline would see (`ctx.document.tables`) after this document. */
export function tablesOf(items: readonly DocumentItem[], earlier: ReadonlyMap<string, ReadonlyMap<string, unknown>> = new Map()): Map<string, Map<string, unknown>> {
  const out = new Map<string, Map<string, unknown>>();
  for (const [name, rows] of earlier) out.set(name, new Map(rows));
  for (const i of items) {
    if (!('table' in i)) continue;
    let t = out.get(i.table);
    if (!t) out.set(i.table, (t = new Map()));
    t.set(i.key, i.row);
  }
  return out;
}

/** Physical line (1-based) of the flag line of article `ref`. */
export function articleLine(lines: readonly string[], ref: string): number {
  for (let i = 0; i < lines.length; i++) if (lines[i] === '#CART' && lines[i + 1] === ref) return i + 1;
  throw new Error(`article ${ref} absent de la fixture`);
}
