// Text made safe for the ERP file: one encoding, no character it cannot hold, nothing that shifts fields or runs
// as a formula. LESSONS.md G4: an ERP import abandons a file in the wrong encoding, so we transliterate what has a
// faithful ASCII form and REFUSE the rest (no silent "?").
import iconv from 'iconv-lite';
import { RecordRejected } from '../../src/errors.ts';

export type ErpEncoding = 'cp850' | 'windows-1252' | 'utf-8';

// Typographic characters shops paste from word processors, with their plain form. Applied before encoding.
const TRANSLITERATIONS: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201A': "'", '\u201B': "'", '\u2032': "'",
  '\u201C': '"', '\u201D': '"', '\u201E': '"', '\u2033': '"',
  '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-', '\u2010': '-', '\u2011': '-',
  '\u2026': '...', '\u2022': '-', '\u00A0': ' ', '\u202F': ' ', '\u2009': ' ', '\u2007': ' ',
  '\u0153': 'oe', '\u0152': 'OE', '\u20AC': 'EUR', '\u2122': '(TM)', '\u0160': 'S', '\u0161': 's',
  '\u017D': 'Z', '\u017E': 'z', '\u0178': 'Y', '\u2030': 'o/oo', '\u02C6': '^', '\u02DC': '~',
};

/** Whether `text` survives the round trip through `encoding` unchanged. */
export function canEncode(text: string, encoding: ErpEncoding): boolean {
  if (encoding === 'utf-8') return true;
  return iconv.decode(iconv.encode(text, encoding), encoding) === text;
}

/**
 * Makes `text` representable in `encoding`: keeps every character the code page has (« » é ç are in CP850 and
 * cp1252), transliterates typographic ones (’ → ', — → -, œ → oe, € → EUR), strips accents the code page lacks
 * (ő → o) and throws RecordRejected for anything left (an emoji, a Chinese name) — the order is held, not mangled.
 */
export function fitToEncoding(text: string, encoding: ErpEncoding, what: string, key?: string): string {
  if (canEncode(text, encoding)) return text;
  let out = '';
  for (const ch of text) {
    if (canEncode(ch, encoding)) { out += ch; continue; }
    const mapped = TRANSLITERATIONS[ch];
    if (mapped !== undefined && canEncode(mapped, encoding)) { out += mapped; continue; }
    const stripped = ch.normalize('NFD').replace(/\p{M}+/gu, '');
    if (stripped !== ch && stripped !== '' && canEncode(stripped, encoding)) { out += stripped; continue; }
    throw new RecordRejected(
      `caractère « ${ch} » (U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}) de ${what} impossible à écrire en ${encoding.toUpperCase()}`,
      key,
    );
  }
  return out;
}

/** Any line break or tab becomes a space: in a one-field-per-line record it would shift every following field. */
export function singleLine(text: string): string {
  return text.replace(/\r\n|[\r\n\t\u2028\u2029\v\f]/g, ' ');
}

/** Cuts to the field's maximum length (in characters, after encoding fixes). */
export function truncate(text: string, max: number): string {
  return [...text].length <= max ? text : [...text].slice(0, max).join('');
}

const NUMBER_LIKE = /^[+-]?[\d\s.,]+$/;

/**
 * A cell a spreadsheet would evaluate (=, +, -, @ first) gets a leading apostrophe, the usual neutraliser
 * (OWASP "CSV injection"). A number or a phone number ("-12,50", "+33 6 12 34 56 78") stays as it is.
 * Free text only (names, addresses, designations): an ERP key is never altered (keys.ts).
 */
export function neutraliseFormula(text: string): string {
  if (!/^[=+\-@\t\r]/.test(text)) return text;
  if (NUMBER_LIKE.test(text)) return text;
  return `'${text}`;
}

export function encode(text: string, encoding: ErpEncoding, bom = false): Buffer {
  if (encoding === 'utf-8') {
    const body = Buffer.from(text, 'utf8');
    return bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
  }
  return iconv.encode(text, encoding);
}
