// One sheet's rows, streamed: every `<row>` as its cells' texts by column number, in pieces of the part.
import { FileFatalError } from '../../errors.ts';
import { XmlReader } from './xml.ts';
import type { Workbook } from './parts.ts';
import type { Zip } from './zip.ts';

export interface CellText { text: string; error?: string }

/** `cells[n]` is column n (1 = A), as the header's keys are indexed. */
export interface SheetRow { number: number; cells: Array<CellText | undefined> }

export async function* sheetRows(zip: Zip, book: Workbook, part: string): AsyncGenerator<SheetRow[]> {
  const done: SheetRow[] = [];
  let row: SheetRow | undefined;
  let lastRow = 0;
  let lastColumn = 0;
  let cell: { ref?: string; type: string; style: number; value: string; inline: string } | undefined;
  let inValue = false;
  let inInlineText = false;
  let inPhonetic = false;

  const reader = new XmlReader({
    open(name, attrs) {
      if (name === 'row') {
        const n = attrs.r === undefined ? lastRow + 1 : Number(attrs.r);
        lastRow = Number.isInteger(n) && n > 0 ? n : lastRow + 1;
        lastColumn = 0;
        row = { number: lastRow, cells: [] };
      } else if (name === 'c') {
        cell = { ref: attrs.r, type: attrs.t ?? 'n', style: Number(attrs.s ?? 0), value: '', inline: '' };
      } else if (cell !== undefined) {
        if (name === 'v') inValue = true;
        else if (name === 'rPh') inPhonetic = true;
        else if (name === 't') inInlineText = !inPhonetic;
      }
    },
    close(name) {
      if (name === 'v') inValue = false;
      else if (name === 't') inInlineText = false;
      else if (name === 'rPh') inPhonetic = false;
      else if (name === 'c' && cell !== undefined && row !== undefined) {
        const column = cell.ref === undefined ? lastColumn + 1 : columnNumber(cell.ref) ?? lastColumn + 1;
        lastColumn = column;
        row.cells[column] = cellText(cell.type, cell.type === 'inlineStr' ? cell.inline : cell.value, cell.style, book, cell.ref ?? `${row.number}`);
        cell = undefined;
      } else if (name === 'row' && row !== undefined) {
        done.push(row);
        row = undefined;
      }
    },
    text(t) {
      if (cell === undefined) return;
      if (inValue) cell.value += t;
      else if (inInlineText) cell.inline += t;
    },
  });

  for await (const piece of zip.pieces(part)) {
    reader.write(piece);
    if (done.length > 0) yield done.splice(0);
  }
  reader.end();
  if (done.length > 0) yield done.splice(0);
}

function columnNumber(ref: string): number | undefined {
  const m = /^\$?([A-Za-z]{1,3})/.exec(ref);
  if (m === null) return undefined;
  let n = 0;
  for (const ch of m[1]!.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** A cell as the text a delimited export would hold: numbers with '.', dates ISO, booleans true/false, formulas by their cached result. */
export function cellText(type: string, raw: string, style: number, book: Pick<Workbook, 'sharedStrings' | 'dateStyles' | 'date1904'>, where: string): CellText {
  switch (type) {
    case 's': {
      const text = book.sharedStrings[Number(raw)];
      if (raw === '' || text === undefined) {
        throw new FileFatalError(`Classeur illisible : la cellule ${where} renvoie au texte partagé n° ${raw} que le classeur ne contient pas (fichier endommagé).`);
      }
      return { text };
    }
    case 'str':
    case 'inlineStr':
      return { text: raw };
    case 'b':
      return { text: raw === '1' || raw.toLowerCase() === 'true' ? 'true' : raw === '' ? '' : 'false' };
    case 'e':
      return { text: '', error: raw };
    case 'd':
      return { text: formatDate(new Date(raw)) };
    default: {
      if (raw === '') return { text: '' };
      const n = Number(raw);
      if (!Number.isFinite(n)) return { text: raw };
      if (book.dateStyles[style] === true) return { text: formatDate(serialToDate(n, book.date1904)) };
      return { text: formatNumber(n) };
    }
  }
}

function serialToDate(serial: number, date1904: boolean): Date {
  // days since 1899-12-30 (1900 system, whose phantom 29 February only shifts serials below 61) or since 1904-01-01
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  // Excel keeps 15 significant digits: 0.1+0.2 stored as 0.30000000000000004 is 0.3 to the user
  return String(Number(n.toPrecision(15)));
}

function formatDate(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const iso = d.toISOString();
  // a date without time is written as a plain day
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}
