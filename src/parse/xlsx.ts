// Workbook exports (Divalto "Import - Export tableur", Excel files saved by hand), streamed with exceljs's
// WorkbookReader so that memory stays flat. Cells become the strings a delimited export would have held.
import ExcelJS from 'exceljs';
import { FileFatalError, errorMessage } from '../errors.ts';
import { boundedList } from '../text/bounded.ts';
import type { Row } from './row.ts';

export interface XlsxOptions {
  /** Sheet name (case-insensitive) or its number (the sheet id, 1 = first sheet in most workbooks); default the first. */
  sheet?: string | number;
  /** 1-based row of the column names, or 'auto': the first of the first 10 rows holding every required column
   *  (Divalto's workbooks put a title in A1 and the field keywords on row 6 — EBP_DIVALTO.md §2.4). */
  headerRow: number | 'auto';
  requiredColumns?: readonly string[];
}

const AUTO_HEADER_ROWS = 10;

interface SheetInfo { id?: number; name?: string }

/** Rows of one sheet in arrays of up to 1,000 (what a pipeline's parse() yields). */
export async function* readXlsxBatches(path: string, opts: XlsxOptions): AsyncGenerator<Row[]> {
  let batch: Row[] = [];
  for await (const row of readXlsx(path, opts)) {
    batch.push(row);
    if (batch.length >= 1000) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Rows of one sheet, keyed by the header row's names. Throws FileFatalError « classeur illisible » on a corrupt file. */
export async function* readXlsx(path: string, opts: XlsxOptions): AsyncGenerator<Row> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache', // needed to tell a date from a number
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const seen: string[] = [];
  let found = false;
  try {
    for await (const sheet of reader) {
      const info = sheet as unknown as SheetInfo;
      seen.push(info.name ?? `#${String(info.id)}`);
      if (found || !isWanted(info, opts.sheet, seen.length)) continue;
      found = true;
      yield* sheetRows(sheet, opts);
    }
  } catch (err) {
    if (err instanceof FileFatalError) throw err;
    throw new FileFatalError(`Classeur illisible : ce n'est pas un fichier Excel .xlsx valide ou il est endommagé (${errorMessage(err)}).`, { cause: err });
  } finally {
    (reader as unknown as { stream?: { destroy?: () => void } }).stream?.destroy?.();
  }
  if (!found) {
    if (seen.length === 0) throw new FileFatalError("Classeur illisible : aucune feuille trouvée (fichier vide, endommagé ou qui n'est pas un .xlsx).");
    throw new FileFatalError(`Feuille « ${String(opts.sheet)} » introuvable dans le classeur (feuilles : ${boundedList(seen, { format: (t) => t })}).`);
  }
}

function isWanted(info: SheetInfo, wanted: string | number | undefined, position: number): boolean {
  if (wanted === undefined) return position === 1;
  if (typeof wanted === 'number') return info.id === wanted;
  return (info.name ?? '').toLowerCase() === wanted.toLowerCase();
}

async function* sheetRows(sheet: AsyncIterable<ExcelJS.Row>, opts: XlsxOptions): AsyncGenerator<Row> {
  const required = opts.requiredColumns ?? [];
  let keys: Array<string | undefined> | undefined;
  let firstRows: string[][] = [];
  for await (const row of sheet) {
    const cells = row.values as ExcelJS.CellValue[];
    if (keys === undefined) {
      const texts = cells.map((v) => cellText(v).text.trim());
      if (opts.headerRow === 'auto') {
        if (row.number > AUTO_HEADER_ROWS) break;
        // only what a reason can show of each row is kept
        firstRows.push(texts.filter((t) => t !== '').slice(0, 21));
        if (required.length > 0 && !hasAll(texts, required)) continue;
      } else if (row.number < opts.headerRow) {
        continue;
      } else if (row.number > opts.headerRow) {
        throw new FileFatalError(`Ligne d'en-tête ${opts.headerRow} vide dans la feuille : les noms des colonnes sont attendus sur cette ligne.`);
      }
      keys = headerKeys(texts, required);
      firstRows = [];
      continue;
    }
    yield toRow(row.number, cells, keys);
  }
  if (keys === undefined) {
    if (opts.headerRow === 'auto') {
      const shown = firstRows.filter((r) => r.length > 0).slice(0, 3)
        .map((r) => boundedList(r, { maxChars: 120, format: (t) => t })).join(' | ');
      throw new FileFatalError(
        `Aucune ligne d'en-tête contenant ${boundedList(required)} dans les ${AUTO_HEADER_ROWS} premières lignes de la feuille` +
          (shown === '' ? ' (feuille vide).' : ` (lignes lues : ${shown}).`),
      );
    }
    throw new FileFatalError(`Feuille vide : aucune ligne d'en-tête à la ligne ${opts.headerRow}.`);
  }
}

function fold(s: string): string {
  return s.normalize('NFC').toLowerCase();
}

function hasAll(texts: string[], required: readonly string[]): boolean {
  const have = new Set(texts.map(fold));
  return required.every((c) => have.has(fold(c)));
}

/** Index = column number (1-based, as exceljs gives row.values); the profile's spelling for declared columns. */
function headerKeys(texts: string[], required: readonly string[]): Array<string | undefined> {
  const keys: Array<string | undefined> = texts.map((t) => (t === '' ? undefined : t));
  const byFold = new Map<string, number>();
  texts.forEach((t, i) => { if (t !== '' && !byFold.has(fold(t))) byFold.set(fold(t), i); });
  const missing: string[] = [];
  for (const col of required) {
    const i = byFold.get(fold(col));
    if (i === undefined) missing.push(col);
    else keys[i] = col;
  }
  if (missing.length > 0) {
    const found = boundedList(texts.filter((t) => t !== ''));
    throw new FileFatalError(`Colonne${missing.length > 1 ? 's' : ''} obligatoire${missing.length > 1 ? 's' : ''} absente${missing.length > 1 ? 's' : ''} : ` +
      `${boundedList(missing)}. Colonnes trouvées : ${found}.`);
  }
  return keys;
}

function toRow(line: number, cells: ExcelJS.CellValue[], keys: Array<string | undefined>): Row {
  const values: Record<string, string> = {};
  let error: string | undefined;
  for (let i = 1; i < cells.length; i++) {
    const { text, error: cellError } = cellText(cells[i]);
    const key = keys[i];
    if (key === undefined) {
      if (text.trim() !== '' && error === undefined) error = `valeur hors des colonnes de l'en-tête (colonne ${columnLetter(i)})`;
      continue;
    }
    values[key] = text.trim();
    if (cellError !== undefined && error === undefined) error = `cellule en erreur ${cellError} (colonne « ${key} »)`;
  }
  return error === undefined ? { line, values } : { line, values, error };
}

function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** A cell as text: numbers with '.', dates ISO, rich text flattened, formulas by their cached result. */
export function cellText(v: ExcelJS.CellValue | undefined): { text: string; error?: string } {
  if (v === null || v === undefined) return { text: '' };
  if (typeof v === 'string') return { text: v };
  if (typeof v === 'number') return { text: formatNumber(v) };
  if (typeof v === 'boolean') return { text: v ? 'true' : 'false' };
  if (v instanceof Date) return { text: formatDate(v) };
  if ('richText' in v) return { text: v.richText.map((r) => r.text).join('') };
  if ('error' in v) return { text: '', error: v.error };
  if ('formula' in v || 'sharedFormula' in v) {
    return cellText((v as { result?: ExcelJS.CellValue }).result);
  }
  if ('text' in v) {
    const t: unknown = v.text;
    return typeof t === 'string' ? { text: t } : cellText(t as ExcelJS.CellValue);
  }
  return { text: '' };
}

function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  // Excel keeps 15 significant digits: 0.1+0.2 stored as 0.30000000000000004 is 0.3 to the user
  return String(Number(n.toPrecision(15)));
}

function formatDate(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const iso = d.toISOString();
  // exceljs gives dates as UTC; a date without time is written as a plain day
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}
