// Workbook exports (Divalto "Import - Export tableur", Excel files saved by hand), read part by part from the zip
// (src/parse/xlsx/) so that memory stays flat: only the shared strings are held. Cells become the strings a
// delimited export would have held.
import { FileFatalError, errorMessage } from '../errors.ts';
import { boundedList } from '../text/bounded.ts';
import type { Row } from './row.ts';
import { readWorkbook, type SheetEntry } from './xlsx/parts.ts';
import { sheetRows, type CellText, type SheetRow } from './xlsx/sheet.ts';
import { openZip } from './xlsx/zip.ts';

export interface XlsxOptions {
  /** Sheet name (case-insensitive) or its number (the sheet id, 1 = first sheet in most workbooks); default the first. */
  sheet?: string | number;
  /** 1-based row of the column names, or 'auto': the first of the first 10 rows holding every required column
   *  (Divalto's workbooks put a title in A1 and the field keywords on row 6 — EBP_DIVALTO.md §2.4). */
  headerRow: number | 'auto';
  requiredColumns?: readonly string[];
}

const AUTO_HEADER_ROWS = 10;

/** Rows of one sheet, keyed by the header row's names. */
export async function* readXlsx(path: string, opts: XlsxOptions): AsyncGenerator<Row> {
  for await (const batch of readXlsxBatches(path, opts)) yield* batch;
}

/** Rows of one sheet in arrays (one per piece of the sheet read). Throws FileFatalError « classeur illisible » on a corrupt file. */
export async function* readXlsxBatches(path: string, opts: XlsxOptions): AsyncGenerator<Row[]> {
  let zip;
  try {
    zip = await openZip(path);
  } catch (err) {
    throw unreadable(err);
  }
  try {
    let sheet: SheetEntry | undefined;
    let header: Header;
    let rows: AsyncGenerator<SheetRow[]>;
    try {
      const book = await readWorkbook(zip);
      if (book.sheets.length === 0) throw new FileFatalError("Classeur illisible : aucune feuille trouvée (fichier vide, endommagé ou qui n'est pas un .xlsx).");
      sheet = pick(book.sheets, opts.sheet);
      if (sheet === undefined) {
        throw new FileFatalError(`Feuille « ${String(opts.sheet)} » introuvable dans le classeur (feuilles : ${boundedList(book.sheets.map((s) => s.name), { format: (t) => t })}).`);
      }
      if (!zip.has(sheet.part)) throw new FileFatalError(`Classeur illisible : la feuille « ${sheet.name} » est annoncée mais absente du fichier (endommagé).`);
      header = new Header(opts);
      rows = sheetRows(zip, book, sheet.part);
    } catch (err) {
      throw unreadable(err);
    }
    for (;;) {
      let next: IteratorResult<SheetRow[]>;
      try {
        next = await rows.next();
      } catch (err) {
        throw unreadable(err);
      }
      if (next.done === true) break;
      const out: Row[] = [];
      for (const raw of next.value) {
        const row = header.take(raw);
        if (row === 'stop') break;
        if (row !== undefined) out.push(row);
      }
      if (out.length > 0) yield out;
      if (header.stopped) break;
    }
    header.finish();
  } finally {
    zip.close();
  }
}

function unreadable(err: unknown): FileFatalError {
  if (err instanceof FileFatalError) return err;
  return new FileFatalError(`Classeur illisible : ce n'est pas un fichier Excel .xlsx valide ou il est endommagé (${errorMessage(err)}).`, { cause: err });
}

function pick(sheets: SheetEntry[], wanted: string | number | undefined): SheetEntry | undefined {
  if (wanted === undefined) return sheets[0];
  if (typeof wanted === 'number') return sheets.find((s) => s.id === wanted);
  return sheets.find((s) => s.name.toLowerCase() === wanted.toLowerCase());
}

/** Finds the header row, then keys each later row by it. */
class Header {
  private keys: Array<string | undefined> | undefined;
  private firstRows: string[][] = [];
  stopped = false;

  constructor(private readonly opts: XlsxOptions) {}

  take(raw: SheetRow): Row | undefined | 'stop' {
    if (this.keys !== undefined) return toRow(raw, this.keys);
    const { opts } = this;
    const required = opts.requiredColumns ?? [];
    const texts = Array.from(raw.cells, (c) => (c?.text ?? '').trim());
    if (opts.headerRow === 'auto') {
      if (raw.number > AUTO_HEADER_ROWS) {
        this.stopped = true;
        return 'stop';
      }
      // only what a reason can show of each row is kept
      this.firstRows.push(texts.filter((t) => t !== '').slice(0, 21));
      if (required.length > 0 && !hasAll(texts, required)) return undefined;
    } else if (raw.number < opts.headerRow) {
      return undefined;
    } else if (raw.number > opts.headerRow) {
      throw new FileFatalError(`Ligne d'en-tête ${opts.headerRow} vide dans la feuille : les noms des colonnes sont attendus sur cette ligne.`);
    }
    this.keys = headerKeys(texts, required);
    this.firstRows = [];
    return undefined;
  }

  finish(): void {
    if (this.keys !== undefined) return;
    const { opts } = this;
    if (opts.headerRow === 'auto') {
      const shown = this.firstRows.filter((r) => r.length > 0).slice(0, 3)
        .map((r) => boundedList(r, { maxChars: 120, format: (t) => t })).join(' | ');
      throw new FileFatalError(
        `Aucune ligne d'en-tête contenant ${boundedList(opts.requiredColumns ?? [])} dans les ${AUTO_HEADER_ROWS} premières lignes de la feuille` +
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

/** Index = column number (1-based); the profile's spelling for declared columns. */
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

/** A row without any value (Excel keeps formatted empty rows) is no record. */
function toRow(raw: SheetRow, keys: Array<string | undefined>): Row | undefined {
  const values: Record<string, string> = {};
  let error: string | undefined;
  let any = false;
  raw.cells.forEach((cell: CellText | undefined, i) => {
    if (cell === undefined) return;
    const text = cell.text.trim();
    if (text !== '' || cell.error !== undefined) any = true;
    const key = keys[i];
    if (key === undefined) {
      if (text !== '' && error === undefined) error = `valeur hors des colonnes de l'en-tête (colonne ${columnLetter(i)})`;
      return;
    }
    values[key] = text;
    if (cell.error !== undefined && error === undefined) error = `cellule en erreur ${cell.error} (colonne « ${key} »)`;
  });
  if (!any) return undefined;
  return error === undefined ? { line: raw.number, values } : { line: raw.number, values, error };
}

function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}
