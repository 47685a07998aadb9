// The workbook's own parts: its sheets (name, id, part), the date system, which cell styles are dates, and the
// shared strings. Part names follow the relationships, not a fixed layout.
import { posix } from 'node:path';
import { prefixedAttr, readXml } from './xml.ts';
import type { Zip } from './zip.ts';

export interface SheetEntry { name: string; id: number; part: string }

export interface Workbook {
  sheets: SheetEntry[];
  date1904: boolean;
  /** Per cell style index (the cell's `s`), whether its number format shows a date or a time. */
  dateStyles: boolean[];
  sharedStrings: string[];
}

const REL_OFFICE_DOCUMENT = /\/officeDocument$/;
const REL_WORKSHEET = /\/worksheet$/;
const REL_SHARED_STRINGS = /\/sharedStrings$/;
const REL_STYLES = /\/styles$/;

interface Rel { id: string; type: string; target: string }

export async function readWorkbook(zip: Zip): Promise<Workbook> {
  const root = zip.has('_rels/.rels') ? await rels(zip, '_rels/.rels', '') : [];
  const book = root.find((r) => REL_OFFICE_DOCUMENT.test(r.type))?.target ?? 'xl/workbook.xml';
  const bookRels = await rels(zip, relsPathOf(book), posix.dirname(book));
  const byId = new Map(bookRels.map((r) => [r.id, r]));

  const sheets: SheetEntry[] = [];
  let date1904 = false;
  await readXml(await zip.text(book), {
    open(name, attrs) {
      if (name === 'workbookPr') date1904 = attrs.date1904 === '1' || attrs.date1904 === 'true';
      if (name !== 'sheet') return;
      const rel = byId.get(prefixedAttr(attrs, 'id') ?? '');
      if (rel === undefined || !REL_WORKSHEET.test(rel.type)) return; // chart sheets and dialog sheets hold no rows
      sheets.push({ name: attrs.name ?? '', id: Number(attrs.sheetId), part: rel.target });
    },
  });

  const stylesPart = bookRels.find((r) => REL_STYLES.test(r.type))?.target;
  const stringsPart = bookRels.find((r) => REL_SHARED_STRINGS.test(r.type))?.target;
  return {
    sheets,
    date1904,
    dateStyles: stylesPart !== undefined && zip.has(stylesPart) ? await dateStyles(await zip.text(stylesPart)) : [],
    sharedStrings: stringsPart !== undefined && zip.has(stringsPart) ? await sharedStrings(zip.pieces(stringsPart)) : [],
  };
}

function relsPathOf(part: string): string {
  return posix.join(posix.dirname(part), '_rels', `${posix.basename(part)}.rels`);
}

async function rels(zip: Zip, path: string, base: string): Promise<Rel[]> {
  if (!zip.has(path)) return [];
  const out: Rel[] = [];
  await readXml(await zip.text(path), {
    open(name, attrs) {
      if (name !== 'Relationship' || attrs.TargetMode === 'External') return;
      const target = attrs.Target ?? '';
      const resolved = target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(base, target));
      out.push({ id: attrs.Id ?? '', type: attrs.Type ?? '', target: resolved });
    },
  });
  return out;
}

// ECMA-376 §18.8.30: the built-in formats that show dates and times (27–36 and 50–58 are the East Asian ones)
const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** A custom format is a date when, quoted text, escapes, colours and locales aside, it still has y, m, d, h or s. */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[(?![hms]+\])[^\]]*\]/gi, '') // [Red], [$-40C], [>100] go; [h], [mm], [ss] (durations) stay
    .replace(/_.|\*./g, '');
  return /[ymdhs]/i.test(bare.replace(/General/gi, ''));
}

async function dateStyles(xml: string): Promise<boolean[]> {
  const custom = new Map<number, string>();
  const out: boolean[] = [];
  let inCellXfs = false;
  await readXml(xml, {
    open(name, attrs) {
      if (name === 'numFmt') custom.set(Number(attrs.numFmtId), attrs.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) {
        const id = Number(attrs.numFmtId ?? 0);
        const code = custom.get(id);
        out.push(code !== undefined ? isDateFormat(code) : BUILTIN_DATE_FORMATS.has(id));
      }
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return out;
}

/** Each `<si>` as its text: rich-text runs joined, phonetic guides (`<rPh>`) left out. */
async function sharedStrings(pieces: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  let current = '';
  let inT = false;
  let inPhonetic = false;
  await readXml(pieces, {
    open(name) {
      if (name === 'si') current = '';
      else if (name === 'rPh') inPhonetic = true;
      else if (name === 't') inT = !inPhonetic;
    },
    close(name) {
      if (name === 'si') out.push(current);
      else if (name === 'rPh') inPhonetic = false;
      else if (name === 't') inT = false;
    },
    text(t) {
      if (inT) current += t;
    },
  });
  return out;
}
