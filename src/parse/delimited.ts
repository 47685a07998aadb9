// Delimited text exports (CSV/TXT from Sage, EBP, Divalto), streamed: file → strict decoder → papaparse.
// Memory stays flat whatever the file size; each row keeps its physical line number because users
// open the file in an editor to find the line the report names.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import Papa from 'papaparse';
import { FileFatalError } from '../errors.ts';
import { StrictDecoder, type DecodeWarning, type Encoding } from './decode.ts';
import { boundedList } from '../text/bounded.ts';
import { frNumber } from '../../transforms/common/format.ts';
import type { Row } from './row.ts';

export type { Row } from './row.ts';

export interface DelimitedOptions {
  /** Declared encoding of the file; default windows-1252 (Sage/EBP exports, LESSONS G1). */
  encoding?: Encoding;
  /** One character, or 'auto' (papaparse guesses among , ; tab |). Default ';'. */
  delimiter?: string;
  quote?: string;
  /** true: the first non-empty line names the columns; string[]: the file has no header, these are its columns. */
  header?: true | readonly string[];
  /** Matched case-insensitively after trim; a missing one makes the file fatal. Values are keyed by these spellings. */
  requiredColumns?: readonly string[];
  /** Like requiredColumns (keyed by these spellings) but may be absent. */
  optionalColumns?: readonly string[];
  skipEmptyLines?: boolean;
  /** Quoted values may hold line ends (the profile says so). Default false: a quote left open on its line is fatal. */
  multiline?: boolean;
  /** A physical line longer than this many bytes makes the file fatal. Default DEFAULT_MAX_LINE_BYTES (1 MiB). */
  maxLineBytes?: number;
  onWarning?: (w: DecodeWarning) => void;
}

/** Non-empty records in file order and, at the same index, the physical line each starts on. */
interface RawBatch { lines: number[]; records: string[][] }

/** Rows of a delimited file, header applied. Throws FileFatalError (encoding, missing columns, empty file). */
export function readDelimited(path: string, opts: DelimitedOptions = {}): AsyncGenerator<Row> {
  return parseDelimited(createReadStream(path, { highWaterMark: 64 * 1024 }), opts);
}

/** Same rows in arrays (one per decoded chunk): what a pipeline's parse() yields, one async step per array. */
export function readDelimitedBatches(path: string, opts: DelimitedOptions = {}): AsyncGenerator<Row[]> {
  return parseDelimitedBatches(createReadStream(path, { highWaterMark: 64 * 1024 }), opts);
}

/** Same as readDelimited on any byte stream (SFTP, tests). The stream is destroyed when iteration stops. */
export async function* parseDelimited(source: Readable, opts: DelimitedOptions = {}): AsyncGenerator<Row> {
  for await (const rows of parseDelimitedBatches(source, opts)) yield* rows;
}

export async function* parseDelimitedBatches(source: Readable, opts: DelimitedOptions = {}): AsyncGenerator<Row[]> {
  let keys: Array<string | undefined> | undefined = Array.isArray(opts.header)
    ? columnKeys(opts.header as readonly string[], opts)
    : undefined;
  let expected = keys?.length ?? 0;
  // one async step per batch of rows, not per row: the per-row cost is what the benchmark measures
  for await (const batch of rawBatches(source, opts)) {
    let i = 0;
    if (keys === undefined) {
      keys = columnKeys((batch.records[0] ?? []).map(cleanHeader), opts, opts.delimiter ?? ';');
      expected = keys.length;
      i = 1;
    }
    const out: Row[] = [];
    for (; i < batch.records.length; i++) {
      const fields = batch.records[i] as string[];
      const line = batch.lines[i] as number;
      const values: Record<string, string> = {};
      const n = fields.length < expected ? fields.length : expected;
      for (let f = 0; f < n; f++) {
        const key = keys[f];
        if (key !== undefined) values[key] = trim(fields[f] as string);
      }
      if (fields.length !== expected) {
        out.push({ line, values, error: `${fields.length} champ${fields.length > 1 ? 's' : ''} au lieu de ${expected}` });
      } else {
        out.push({ line, values });
      }
    }
    if (out.length > 0) yield out;
  }
  if (keys === undefined) {
    throw new FileFatalError("Fichier vide : aucune ligne d'en-tête (noms des colonnes) n'a été trouvée.");
  }
}

/** Column names of the file's header line (trimmed), without reading further. */
export async function readHeader(path: string, opts: DelimitedOptions = {}): Promise<string[]> {
  const batches = rawBatches(createReadStream(path, { highWaterMark: 64 * 1024 }), opts);
  try {
    const first = await batches.next();
    if (first.done) throw new FileFatalError("Fichier vide : aucune ligne d'en-tête (noms des colonnes) n'a été trouvée.");
    return (first.value.records[0] ?? []).map(cleanHeader);
  } finally {
    await batches.return(undefined);
  }
}

/** trim() only when an end looks like whitespace: most values need none, and trim() allocates. */
function trim(v: string): string {
  const n = v.length;
  if (n === 0) return v;
  const a = v.charCodeAt(0);
  const b = v.charCodeAt(n - 1);
  return a <= 32 || b <= 32 || a >= 127 || b >= 127 ? v.trim() : v;
}

function cleanHeader(name: string): string {
  return name.replace(/^\uFEFF/, '').trim();
}

function fold(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/** For each field position, the key its value is stored under (undefined = ignore that column). */
function columnKeys(header: readonly string[], opts: DelimitedOptions, delimiter?: string): Array<string | undefined> {
  const position = new Map<string, number>();
  const duplicated = new Set<string>();
  header.forEach((name, i) => {
    const folded = fold(name);
    if (position.has(folded)) duplicated.add(folded);
    else position.set(folded, i);
  });
  const keys: Array<string | undefined> = header.map((name) => (name === '' ? undefined : name));
  const missing: string[] = [];
  const twice: string[] = [];
  const canonical = (col: string, required: boolean): void => {
    const i = position.get(fold(col));
    if (i === undefined) {
      if (required) missing.push(col);
      return;
    }
    if (duplicated.has(fold(col))) twice.push(col);
    keys[i] = col;
  };
  for (const col of opts.requiredColumns ?? []) canonical(col, true);
  for (const col of opts.optionalColumns ?? []) canonical(col, false);
  if (missing.length > 0) {
    const found = boundedList(header.filter((h) => h !== ''));
    let message = `Colonne${missing.length > 1 ? 's' : ''} obligatoire${missing.length > 1 ? 's' : ''} absente${missing.length > 1 ? 's' : ''} : ` +
      `${boundedList(missing)}. Colonnes trouvées : ${found}.`;
    const only = header.length === 1 ? header[0] ?? '' : '';
    const other = [';', ',', '\t', '|'].find((d) => d !== delimiter && only.includes(d));
    if (other !== undefined && delimiter !== undefined && delimiter !== 'auto') {
      message += ` Le séparateur attendu est « ${delimiter} » mais le fichier semble utiliser « ${other === '\t' ? 'tabulation' : other} ».`;
    }
    throw new FileFatalError(message);
  }
  if (twice.length > 0) {
    throw new FileFatalError(`Colonne${twice.length > 1 ? 's' : ''} présente${twice.length > 1 ? 's' : ''} plusieurs fois dans l'en-tête : ${boundedList(twice)}.`);
  }
  return keys;
}

/** Longest physical line by default: an ERP export line is a few hundred bytes (issue #7). */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

interface RawResult { data: string[][]; errors: Array<{ code?: string }>; meta: { cursor: number } }

/**
 * Parsed records in batches (one per decoded chunk) with their physical lines, empty lines dropped (when asked).
 * We drive papaparse's own Parser chunk by chunk, as its streamer does, so that what it keeps for the next
 * chunk (the unfinished record) is ours to check: it holds a line end only when a quote is still open.
 * Line ends arrive as LF whatever the file had (the decoder normalises CR and CRLF).
 */
async function* rawBatches(source: Readable, opts: DelimitedOptions): AsyncGenerator<RawBatch> {
  const maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const multiline = opts.multiline ?? false;
  const skipEmpty = opts.skipEmptyLines ?? true;
  const quoteChar = opts.quote ?? '"';
  const decoder = new StrictDecoder(opts.encoding ?? 'windows-1252', { onWarning: opts.onWarning, maxLineBytes });
  let parser: Papa.Parser | undefined;
  let partial = '';
  /** Physical line of the next record. */
  let line = 1;

  const parseText = (text: string, last: boolean): RawBatch | undefined => {
    const input = partial === '' ? text : partial + text;
    if (input === '') return undefined;
    parser ??= new Papa.Parser({ delimiter: resolveDelimiter(opts.delimiter ?? ';', input, quoteChar), newline: '\n', quoteChar });
    // at the end, a final line end leaves nothing after it: no empty record is made up
    const ignoreLast = !last || input.endsWith('\n');
    const result = parser.parse(input, 0, ignoreLast) as RawResult;
    partial = result.meta.cursor < input.length ? input.slice(result.meta.cursor) : '';
    const out: RawBatch = { lines: [], records: [] };
    let lastAt = line;
    for (const fields of result.data) {
      const at = line;
      lastAt = at;
      line++;
      let empty = true;
      for (const f of fields) {
        if (f.length > 0) {
          if (empty && f.trim() !== '') empty = false;
          let nl = f.indexOf('\n');
          if (nl !== -1 && !multiline) throw openQuote(at, false);
          // a quoted field may span lines: the next record starts further down the file
          while (nl !== -1) { line++; nl = f.indexOf('\n', nl + 1); }
        }
      }
      if (empty && skipEmpty) continue;
      out.lines.push(at);
      out.records.push(fields);
    }
    if (last && result.errors.some((e) => e.code === 'MissingQuotes')) throw openQuote(lastAt, true);
    if (partial !== '') {
      // what the parser keeps back is one unfinished line, unless a quote opened there is still open
      if (last || (!multiline && partial.includes('\n'))) throw openQuote(line, multiline);
      // one long line is the decoder's to measure; several are a quoted value that never ends
      if (partial.length > maxLineBytes && partial.includes('\n')) throw openQuote(line, true, partial.length);
    }
    return out.records.length > 0 ? out : undefined;
  };

  try {
    for await (const chunk of source) {
      const text = decoder.write(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
      if (text.length === 0) continue;
      const batch = parseText(text, false);
      if (batch !== undefined) yield batch;
    }
    const batch = parseText(decoder.end(), true);
    if (batch !== undefined) yield batch;
  } finally {
    source.destroy();
  }
}

/** 'auto': papaparse's guess among , ; tab | on the first lines (as Papa.parse does with delimiter ''). */
function resolveDelimiter(delimiter: string, firstText: string, quoteChar: string): string {
  if (delimiter !== 'auto') return delimiter;
  const guess = Papa.parse<string[]>(firstText.slice(0, 64 * 1024), { delimiter: '', newline: '\n', quoteChar, preview: 10 });
  return guess.meta.delimiter || ';';
}

function openQuote(line: number, multiline: boolean, read?: number): FileFatalError {
  const escape = 'Un guillemet dans une valeur s\'écrit doublé («\u00a0""\u00a0»).';
  if (read !== undefined) {
    return new FileFatalError(
      `Guillemet ouvert ligne ${line} jamais refermé : ${frNumber(read)} caractères lus sans guillemet fermant. ${escape} ` +
        `Corrigez la ligne ${line} ou l'export.`,
    );
  }
  if (multiline) {
    return new FileFatalError(
      `Guillemet ouvert ligne ${line} jamais refermé : la fin du fichier est atteinte sans guillemet fermant. ${escape} ` +
        `Corrigez la ligne ${line} ou l'export.`,
    );
  }
  return new FileFatalError(
    `Guillemet ouvert ligne ${line} jamais refermé sur cette ligne : les lignes suivantes seraient lues comme une seule valeur. ${escape} ` +
      `Corrigez la ligne ${line} ; si les valeurs de ce flux peuvent vraiment tenir sur plusieurs lignes entre guillemets, déclarez « multiline: true » dans son profil.`,
  );
}
