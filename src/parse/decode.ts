// Strict, streaming decoding of ERP files (LESSONS G1–G3): the encoding is declared, never guessed; a byte
// that contradicts it quarantines the file with its line and column, because a silently "repaired"
// reference or label would be written to the shop for good.
import { Transform, type TransformCallback } from 'node:stream';
import iconv from 'iconv-lite';
import { FileFatalError } from '../errors.ts';
import { byteHint, misreadPatterns, setting, utf16Bom, utf16Pattern, type Misread } from './encoding-hints.ts';
import { LineEnds } from './line-ends.ts';

export type Encoding = 'windows-1252' | 'cp850' | 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';
export const ENCODINGS: readonly Encoding[] = ['windows-1252', 'cp850', 'utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be'];

export interface DecodeWarning { line: number; message: string }
export interface DecodeOptions {
  onWarning?: (w: DecodeWarning) => void;
  /** A physical line longer than this (in bytes, UTF-8 for UTF-16 files) makes the file fatal. Default: no limit. */
  maxLineBytes?: number;
  /** Leave CR and CRLF as they are (a Sage « Format Sage » file splits on CRLF only; a lone CR or LF
   *  belongs to a value). Lines are then counted by LF. */
  rawLineEnds?: boolean;
}

const BOM = [0xef, 0xbb, 0xbf] as const;
/** Bytes cp1252 leaves undefined: iconv-lite would turn them into U+FFFD without a word. */
const CP1252_UNDEFINED = [0x81, 0x8d, 0x8f, 0x90, 0x9d] as const;
/** Past this many mojibake lines the report would drown; one summary line says how many more. */
const MAX_MOJIBAKE_WARNINGS = 20;

function label(enc: Encoding): string {
  return enc === 'utf-8-bom' ? 'UTF-8 avec BOM' : enc;
}

/**
 * Push-based strict decoder: feed Buffers, get strings. CR, LF and CRLF are each a line end and come out as
 * LF. Keeps the physical line count so that every error and warning can name its line. Throws FileFatalError.
 * UTF-16 is transcoded to UTF-8 first, then checked like a UTF-8 file.
 */
export class StrictDecoder {
  private readonly decoder: { write(b: Buffer): string; end(): string | undefined };
  private readonly utf16: { write(b: Buffer): string; end(): string | undefined } | undefined;
  private utf16Checked = false;
  private readonly misread: Misread[];
  private readonly singleByte: boolean;
  private readonly lineEnds: LineEnds;
  /** Bytes held back until we know whether the file starts with a BOM. */
  private head: Buffer | undefined = Buffer.alloc(0);
  /** Newlines (0x0A) seen in bytes already accepted: gives the line of an offending byte. */
  private byteLines = 0;
  /** Bytes of the current, unfinished line (for column numbers and UTF-8 sequences cut between chunks). */
  private lineBytes: Buffer = Buffer.alloc(0);
  /** Newlines in text already returned: gives the line of a mojibake warning. */
  private textLines = 0;
  /** Last chars of the previous text chunk, so a pattern split between two chunks is still seen. */
  private textTail = '';
  private lastWarnedLine = 0;
  private warnings = 0;

  constructor(readonly encoding: Encoding, private readonly options: DecodeOptions = {}) {
    const isUtf16 = encoding === 'utf-16le' || encoding === 'utf-16be';
    const iconvName = encoding === 'utf-8-bom' || isUtf16 ? 'utf-8' : encoding;
    // stripBOM: false — we check and strip the BOM ourselves, iconv-lite would hide a contradicting one.
    this.decoder = iconv.getDecoder(iconvName, { stripBOM: false });
    this.utf16 = isUtf16 ? iconv.getDecoder(encoding, { stripBOM: false }) : undefined;
    this.singleByte = encoding === 'windows-1252' || encoding === 'cp850';
    this.misread = misreadPatterns(encoding);
    this.lineEnds = new LineEnds(options.maxLineBytes ?? Infinity);
  }

  write(chunk: Buffer): string {
    return this.writeBytes(this.utf16 !== undefined ? this.fromUtf16(chunk) : chunk);
  }

  private writeBytes(chunk: Buffer): string {
    if (this.head !== undefined) {
      const head = Buffer.concat([this.head, chunk]);
      if (head.length < BOM.length && BOM.slice(0, head.length).every((b, i) => head[i] === b)) {
        this.head = head; // could still become a BOM
        return '';
      }
      this.head = undefined;
      chunk = this.checkBom(head);
    }
    return this.decodeChunk(chunk);
  }

  end(): string {
    let text = '';
    if (this.utf16 !== undefined) {
      const rest = this.utf16.end() ?? '';
      if (rest !== '') text += this.writeBytes(Buffer.from(rest, 'utf8'));
    }
    if (this.head !== undefined) {
      const head = this.head;
      this.head = undefined;
      text += this.decodeChunk(this.checkBom(head));
    }
    const rest = this.decoder.end() ?? '';
    if (rest.includes('\uFFFD')) {
      // a multi-byte sequence cut by the end of the file
      this.fail('séquence UTF-8 incomplète en fin de fichier', Buffer.alloc(0), 0, this.pendingUtf8().length);
    }
    this.checkMojibake(rest);
    this.lineEnds.end(this.byteLines + 1);
    if (this.warnings > MAX_MOJIBAKE_WARNINGS) {
      this.options.onWarning?.({
        line: this.lastWarnedLine,
        message: `${this.warnings - MAX_MOJIBAKE_WARNINGS} autre(s) ligne(s) ressemblent à un texte mal décodé`,
      });
    }
    return text + rest;
  }

  /** UTF-16 bytes → UTF-8 bytes; the file must look like the UTF-16 declared (BOM or NUL pattern). */
  private fromUtf16(raw: Buffer): Buffer {
    if (!this.utf16Checked && raw.length >= 2) {
      this.utf16Checked = true;
      const seen = utf16Bom(raw) ?? utf16Pattern(raw);
      if (seen !== this.encoding) {
        throw new FileFatalError(
          `Le fichier n'est pas en ${this.encoding} comme déclaré pour ce flux` +
            (seen !== undefined ? ` : il est en ${seen} ; ${setting(seen)}.` : ' (ni marque BOM UTF-16 ni octets nuls alternés en tête) ; vérifiez l\'export ou l\'encodage configuré.'),
        );
      }
    }
    return Buffer.from((this.utf16 as { write(b: Buffer): string }).write(raw), 'utf8');
  }

  private checkBom(head: Buffer): Buffer {
    const wide = this.utf16 === undefined ? utf16Bom(head) : undefined;
    if (wide !== undefined) {
      throw new FileFatalError(
        `Le fichier commence par une marque ${wide.toUpperCase()} (BOM ${wide === 'utf-16le' ? 'FF FE' : 'FE FF'}) alors que l'encodage attendu est ` +
          `${label(this.encoding)} : il a été enregistré en Unicode ${wide.toUpperCase()} (Excel « Texte Unicode »). ` +
          `Réexportez-le en ${label(this.encoding)} ou ${setting(wide)}.`,
      );
    }
    const hasBom = head.length >= 3 && head[0] === BOM[0] && head[1] === BOM[1] && head[2] === BOM[2];
    if (hasBom && this.singleByte) {
      throw new FileFatalError(
        `Le fichier commence par une marque UTF-8 (BOM) alors que l'encodage attendu est ${this.encoding} : ` +
          `il a été enregistré en UTF-8. Réexportez-le en ${this.encoding} ou déclarez l'encodage utf-8-bom pour ce flux.`,
      );
    }
    if (!hasBom && this.encoding === 'utf-8-bom') {
      throw new FileFatalError(
        "Le fichier ne commence pas par la marque UTF-8 (BOM) alors que l'encodage attendu est UTF-8 avec BOM : " +
          "il n'a probablement pas été exporté en UTF-8. Vérifiez le modèle d'export ou l'encodage déclaré pour ce flux.",
      );
    }
    // A BOM in a plain 'utf-8' file is harmless and expected from Windows tools: strip it too.
    return hasBom ? head.subarray(3) : head;
  }

  private decodeChunk(chunk: Buffer): string {
    if (chunk.length === 0) return '';
    if (!this.options.rawLineEnds) chunk = this.lineEnds.normalise(chunk);
    // past the length limit nothing is decoded any more: the rest of the line is only counted
    if (this.lineEnds.overlong) {
      this.byteLines += this.lineEnds.count(chunk, this.byteLines + 1);
      return '';
    }
    const nul = chunk.indexOf(0);
    if (nul !== -1) {
      const wide = utf16Pattern(chunk.subarray(nul & ~1));
      throw new FileFatalError(
        wide !== undefined
          ? `Fichier en Unicode ${wide.toUpperCase()} sans marque BOM (un octet nul sur deux, ligne ${this.lineOf(chunk, nul)}) alors que ` +
            `l'encodage attendu est ${label(this.encoding)} : réexportez-le en ${label(this.encoding)} ou ${setting(wide)}.`
          : `Fichier illisible (binaire ?) : octet nul ligne ${this.lineOf(chunk, nul)}. ` +
            "Ce n'est pas un export texte (classeur Excel, archive, fichier corrompu ?).",
      );
    }
    if (this.encoding === 'windows-1252') {
      for (const b of CP1252_UNDEFINED) {
        const at = chunk.indexOf(b);
        if (at !== -1) {
          this.fail(`0x${b.toString(16).toUpperCase()} n'existe pas en windows-1252`, chunk, at, 0, byteHint(this.encoding, b));
        }
      }
    }
    const text = this.decoder.write(chunk);
    if (!this.singleByte && text.includes('\uFFFD')) this.checkUtf8(chunk);
    this.advanceBytes(chunk);
    this.checkMojibake(text);
    return text;
  }

  /** iconv-lite replaces invalid UTF-8 by U+FFFD; find the offending byte (a literal U+FFFD is legal). */
  private checkUtf8(chunk: Buffer): void {
    const bytes = Buffer.concat([this.pendingUtf8(), chunk]);
    const offset = bytes.length - chunk.length;
    const bad = firstInvalidUtf8(bytes);
    if (bad !== -1) {
      const what = `0x${(bytes[bad] ?? 0).toString(16).toUpperCase()} n'est pas de l'UTF-8 valide`;
      const hint = byteHint(this.encoding, bytes[bad] ?? 0);
      // the bad byte may be the lead byte of a sequence started in the previous chunk
      if (bad >= offset) this.fail(what, chunk, bad - offset, 0, hint);
      else this.fail(what, Buffer.alloc(0), 0, offset - bad, hint);
    }
  }

  /** Bytes of an incomplete sequence at the end of the previous chunk (at most 3). */
  private pendingUtf8(): Buffer {
    const carry = this.lineBytes;
    let i = carry.length;
    let k = 0;
    while (i > 0 && k < 3 && ((carry[i - 1] ?? 0) & 0xc0) === 0x80) { i--; k++; }
    if (i > 0 && (carry[i - 1] ?? 0) >= 0xc0) return carry.subarray(i - 1);
    return Buffer.alloc(0);
  }

  private advanceBytes(chunk: Buffer): void {
    const last = chunk.lastIndexOf(10);
    this.byteLines += this.lineEnds.count(chunk, this.byteLines + 1);
    // keep the current (unfinished) line's bytes for column numbers; capped: columns past 4 KiB are rare
    const tail = chunk.subarray(last + 1);
    this.lineBytes = last === -1 ? Buffer.concat([this.lineBytes, tail]).subarray(-4096) : Buffer.from(tail.subarray(-4096));
  }

  private lineOf(chunk: Buffer, at: number): number {
    let line = this.byteLines + 1;
    let nl = chunk.indexOf(10);
    while (nl !== -1 && nl < at) { line++; nl = chunk.indexOf(10, nl + 1); }
    return line;
  }

  /** `at` = offset of the bad byte in `chunk`, minus `back` bytes into the previous chunks' line. */
  private fail(what: string, chunk: Buffer, at: number, back = 0, hint = ''): never {
    const line = this.lineOf(chunk, at);
    const nl = at > 0 ? chunk.lastIndexOf(10, at - 1) : -1;
    let before = nl !== -1 ? chunk.subarray(nl + 1, at) : Buffer.concat([this.lineBytes, chunk.subarray(0, at)]);
    if (back > 0) before = before.subarray(0, Math.max(0, before.length - back));
    // column in characters, as an editor shows it
    const column = (this.singleByte ? before.length : [...before.toString('utf8')].length) + 1;
    throw new FileFatalError(
      `Encodage invalide : octet invalide ligne ${line}, colonne ${column} (${what}). ` +
        `Le fichier n'est pas en ${label(this.encoding)} comme déclaré pour ce flux ; vérifiez l'export ou l'encodage configuré.${hint}`,
    );
  }

  private checkMojibake(text: string): void {
    if (text.length === 0) return;
    const joined = this.textTail + text;
    for (const m of this.misread) {
      if (m.pattern.test(joined)) this.reportMojibake(joined, this.textTail.length, m);
    }
    let nl = text.indexOf('\n');
    while (nl !== -1) { this.textLines++; nl = text.indexOf('\n', nl + 1); }
    this.textTail = text.slice(-3);
  }

  private reportMojibake(joined: string, tailLength: number, misread: Misread): void {
    const global = new RegExp(misread.pattern.source, 'g');
    let line = this.textLines + 1;
    let scanned = tailLength;
    for (let m = global.exec(joined); m !== null; m = global.exec(joined)) {
      for (let nl = joined.indexOf('\n', scanned); nl !== -1 && nl < m.index; nl = joined.indexOf('\n', nl + 1)) {
        line++;
        scanned = nl + 1;
      }
      if (line === this.lastWarnedLine) continue;
      this.lastWarnedLine = line;
      this.warnings++;
      if (this.warnings > MAX_MOJIBAKE_WARNINGS) continue;
      const lineStart = joined.lastIndexOf('\n', m.index) + 1;
      let lineEnd = joined.indexOf('\n', m.index);
      if (lineEnd === -1) lineEnd = joined.length;
      const excerpt = wordAround(joined.slice(lineStart, lineEnd).replace(/\r$/, ''), m.index - lineStart);
      this.options.onWarning?.({ line, message: `ligne ${line} : texte qui ressemble à ${misread.what} (« ${excerpt} »)${misread.hint}` });
    }
  }
}

/** The word around `at`, cut at spaces and field separators, 30 characters at most on each side. */
function wordAround(line: string, at: number): string {
  let start = at;
  while (start > 0 && at - start < 30 && !SEPARATOR.test(line.charAt(start - 1))) start--;
  let end = at;
  while (end < line.length && end - at < 30 && !SEPARATOR.test(line.charAt(end))) end++;
  return line.slice(start, end).replace(/[;,\t"]+$/, '');
}

const SEPARATOR = /[ ;,\t|]/;

/** Offset of the first byte that breaks UTF-8 well-formedness, -1 if none (an unfinished tail is fine). */
export function firstInvalidUtf8(b: Buffer): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i] ?? 0;
    if (c < 0x80) { i++; continue; }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) { need = 1; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { need = 2; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 3; min = 0x10000; }
    else return i;
    if (i + need >= n) {
      // sequence runs past the buffer: check what is there, the rest comes with the next chunk
      for (let k = 1; i + k < n; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return i;
      return -1;
    }
    let cp = c & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const cc = b[i + k] ?? 0;
      // the lead byte is the culprit (typically a cp1252 accent in a UTF-8 file)
      if ((cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** A Transform stream: Buffers in, decoded strings out (same checks as StrictDecoder). */
export function createDecodeStream(encoding: Encoding, options: DecodeOptions = {}): Transform {
  const decoder = new StrictDecoder(encoding, options);
  return new Transform({
    decodeStrings: true,
    // strings go out as they are (one object per decoded chunk): no string → Buffer → string round trip
    readableObjectMode: true,
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      try {
        const text = decoder.write(chunk);
        done(null, text.length > 0 ? text : undefined);
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        const text = decoder.end();
        done(null, text.length > 0 ? text : undefined);
      } catch (err) {
        done(err as Error);
      }
    },
  });
}

/** Async-iterator form: decoded text chunks of any byte source (file stream, SFTP stream, test buffers). */
export async function* decodeChunks(source: AsyncIterable<Buffer>, encoding: Encoding, options: DecodeOptions = {}): AsyncGenerator<string> {
  const decoder = new StrictDecoder(encoding, options);
  for await (const chunk of source) {
    const text = decoder.write(chunk);
    if (text.length > 0) yield text;
  }
  const rest = decoder.end();
  if (rest.length > 0) yield rest;
}

/** Whole-buffer convenience (small files, tests). */
export function decodeBuffer(bytes: Buffer, encoding: Encoding, options: DecodeOptions = {}): string {
  const decoder = new StrictDecoder(encoding, options);
  return decoder.write(bytes) + decoder.end();
}
