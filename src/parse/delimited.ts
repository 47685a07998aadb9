// Delimited text exports (CSV/TXT from Sage, EBP, Divalto), streamed: file → strict decoder → papaparse.
// Memory stays flat whatever the file size; each row keeps its physical line number because users
// open the file in an editor to find the line the report names.
import { createReadStream } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import Papa from 'papaparse';
import { FileFatalError } from '../errors.ts';
import { createDecodeStream, type DecodeWarning, type Encoding } from './decode.ts';
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
  onWarning?: (w: DecodeWarning) => void;
}

/** Non-empty records in file order and, at the same index, the physical line each starts on. */
interface RawBatch { lines: number[]; records: string[][] }

/** Rows of a delimited file, header applied. Throws FileFatalError (encoding, missing columns, empty file). */
export function readDelimited(path: string, opts: DelimitedOptions = {}): AsyncGenerator<Row> {
  return parseDelimited(createReadStream(path, { highWaterMark: 256 * 1024 }), opts);
}

/** Same as readDelimited on any byte stream (SFTP, tests). The stream is destroyed when iteration stops. */
export async function* parseDelimited(source: Readable, opts: DelimitedOptions = {}): AsyncGenerator<Row> {
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
        yield { line, values, error: `${fields.length} champ${fields.length > 1 ? 's' : ''} au lieu de ${expected}` };
      } else {
        yield { line, values };
      }
    }
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
    const found = header.filter((h) => h !== '').map((h) => `« ${h} »`).join(', ') || '(aucune)';
    let message = `Colonne${missing.length > 1 ? 's' : ''} obligatoire${missing.length > 1 ? 's' : ''} absente${missing.length > 1 ? 's' : ''} : ` +
      `${missing.map((m) => `« ${m} »`).join(', ')}. Colonnes trouvées : ${found}.`;
    const only = header.length === 1 ? header[0] ?? '' : '';
    const other = [';', ',', '\t', '|'].find((d) => d !== delimiter && only.includes(d));
    if (other !== undefined && delimiter !== undefined && delimiter !== 'auto') {
      message += ` Le séparateur attendu est « ${delimiter} » mais le fichier semble utiliser « ${other === '\t' ? 'tabulation' : other} ».`;
    }
    throw new FileFatalError(message);
  }
  if (twice.length > 0) {
    throw new FileFatalError(`Colonne${twice.length > 1 ? 's' : ''} présente${twice.length > 1 ? 's' : ''} plusieurs fois dans l'en-tête : ${twice.map((m) => `« ${m} »`).join(', ')}.`);
  }
  return keys;
}

/** Rows buffered between the parser and the consumer before the decoded stream is paused. */
const HIGH_WATER_ROWS = 2048;

/**
 * Parsed records in batches with their physical lines, empty lines dropped (when asked).
 * papaparse parses each decoded chunk whole and hands rows to `step`; back-pressure is applied by pausing the
 * decoded stream between chunks. (Its NODE_STREAM_INPUT duplex pauses the parser every 16 rows instead, which
 * re-slices the chunk each time: 100,000 lines took seconds instead of milliseconds.)
 */
async function* rawBatches(source: Readable, opts: DelimitedOptions): AsyncGenerator<RawBatch> {
  const delimiter = opts.delimiter ?? ';';
  const decoded = createDecodeStream(opts.encoding ?? 'windows-1252', { onWarning: opts.onWarning });
  let queue: string[][] = [];
  let ended = false;
  let failure: unknown;
  let paused = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  pipeline(source, decoded, (err) => {
    if (err) {
      failure ??= err;
      notify();
    }
  });
  Papa.parse<string[]>(decoded, {
    delimiter: delimiter === 'auto' ? '' : delimiter,
    quoteChar: opts.quote ?? '"',
    header: false,
    dynamicTyping: false,
    // we skip empty lines ourselves: papaparse would drop them without telling us, and line numbers would drift
    skipEmptyLines: false,
    step: (results) => {
      queue.push(results.data);
      if (queue.length >= HIGH_WATER_ROWS && !paused) {
        paused = true;
        decoded.pause();
      }
      notify();
    },
    complete: () => {
      ended = true;
      notify();
    },
    error: (err: unknown) => {
      failure ??= err;
      notify();
    },
  });

  const skipEmpty = opts.skipEmptyLines ?? true;
  let line = 1;
  try {
    for (;;) {
      if (queue.length > 0) {
        const batch = queue;
        queue = [];
        const out: RawBatch = { lines: [], records: [] };
        for (const fields of batch) {
          const at = line;
          line++;
          let empty = true;
          for (const f of fields) {
            // a quoted field may span lines: the next record starts further down the file
            if (f.length > 0) {
              if (empty && f.trim() !== '') empty = false;
              let nl = f.indexOf('\n');
              while (nl !== -1) { line++; nl = f.indexOf('\n', nl + 1); }
            }
          }
          if (empty && skipEmpty) continue;
          out.lines.push(at);
          out.records.push(fields);
        }
        if (out.records.length > 0) yield out;
        continue;
      }
      if (failure !== undefined) throw failure;
      if (ended) return;
      if (paused) {
        paused = false;
        decoded.resume();
      }
      await new Promise<void>((resolve) => { wake = resolve; });
    }
  } finally {
    source.destroy();
    decoded.destroy();
  }
}
