// Strict number and key parsing for ERP values. Pure. A value we are not sure about is rejected with a
// French reason rather than guessed: a stock of 1234 read as 1.234 would be written to the shop.

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface DecimalOptions {
  /** The file's decimal separator (per ERP profile). The other one is never accepted. */
  decimal: ',' | '.';
}

// Thousands may be grouped by space, no-break space (Excel FR) or narrow no-break space (Windows ≥ 10 FR locale),
// strictly by three digits so that `12 34` (two values glued?) is not taken for 1234.
const GROUPED = '\\d{1,3}(?:[ \\u00A0\\u202F]\\d{3})+';
const COMMA = new RegExp(`^([+-]?)(${GROUPED}|\\d+)?(?:,(\\d+))?$`);
const DOT = new RegExp(`^([+-]?)(${GROUPED}|\\d+)?(?:\\.(\\d+))?$`);
const PLAIN_INTEGER = /^-?\d{1,15}$/;

/** The usual shape of an export's value (`12`, `12,000000`, `-3,5`) read without regular expressions: this
 *  runs twice per line of a 1,000,000-line stock file. Undefined = not that shape, take the general path. */
function simpleDecimal(s: string, separator: number): number | undefined {
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  const negative = c === 45;
  if (negative) i = 1;
  let whole = 0;
  const start = i;
  for (; i < n; i++) {
    c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    whole = whole * 10 + (c - 48);
  }
  const digits = i - start;
  if (digits === 0 || digits > 15) return undefined;
  let fractionIsZero = true;
  if (i < n) {
    if (c !== separator || i === n - 1) return undefined;
    for (i++; i < n; i++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
      if (c !== 48) fractionIsZero = false;
    }
  }
  // A fraction is left to Number(), which rounds it exactly as the general path does.
  if (!fractionIsZero) return Number(separator === 44 ? s.replace(',', '.') : s);
  return negative && whole !== 0 ? -whole : whole;
}
const SEPARATORS = /[ \u00A0\u202F]/g;

/**
 * `12,5` → 12.5 (decimal ','), `-3`, `1 234,50`, `12.50` (decimal '.').
 * Empty (after trim) is rejected with « valeur vide »: the caller decides whether a blank cell means 0.
 * Rejected: `12,5,3`, `abc`, `1.234,5` with decimal ',' (the other separator), `12 34`, a lone sign or separator.
 */
export function parseDecimal(raw: string, opts: DecimalOptions): Parsed<number> {
  const s = raw.trim();
  if (s.length > 0 && s.length < 26) {
    const v = simpleDecimal(s, opts.decimal === ',' ? 44 : 46);
    if (v !== undefined) return { ok: true, value: v === 0 ? 0 : v };
  }
  if (PLAIN_INTEGER.test(s)) return { ok: true, value: Number(s) || 0 };
  if (s === '') return { ok: false, reason: 'valeur vide' };
  const m = (opts.decimal === ',' ? COMMA : DOT).exec(s);
  if (m === null || (m[2] === undefined && m[3] === undefined)) {
    return { ok: false, reason: `nombre invalide : « ${s} »${hint(s, opts.decimal)}` };
  }
  const integer = (m[2] ?? '0').replace(SEPARATORS, '');
  const value = Number(`${m[1] ?? ''}${integer}.${m[3] ?? '0'}`);
  if (!Number.isFinite(value)) return { ok: false, reason: `nombre invalide : « ${s} »` };
  // -0 would print as "0" but compare differently in fingerprints
  return { ok: true, value: value === 0 ? 0 : value };
}

function hint(s: string, decimal: ',' | '.'): string {
  const other = decimal === ',' ? '.' : ',';
  if (/^[+-]?\d+$/.test(s.replace(other, '')) && s.split(other).length === 2) {
    return ` (séparateur décimal attendu « ${decimal} »)`;
  }
  return '';
}

/** The whole quantity of a value of the usual shape (`12`, `-3`, `12,000`), else undefined: then
 *  parseQuantity says why not. No object per value — this runs twice per line of a stock file. */
export function wholeQuantity(raw: string, opts: DecimalOptions): number | undefined {
  const s = raw.trim();
  if (s.length === 0 || s.length >= 26) return undefined;
  const v = simpleDecimal(s, opts.decimal === ',' ? 44 : 46);
  if (v === undefined || !Number.isInteger(v)) return undefined;
  return v === 0 ? 0 : v;
}

/**
 * A whole quantity: `12`, `12,000` (decimal ',') = 12, `1 200`. `12,5` → « quantité non entière : 12,5 ».
 */
export function parseQuantity(raw: string, opts: DecimalOptions): Parsed<number> {
  const parsed = parseDecimal(raw, opts);
  if (!parsed.ok) return parsed;
  if (!Number.isInteger(parsed.value)) {
    return { ok: false, reason: `quantité non entière : ${raw.trim()}` };
  }
  if (!Number.isSafeInteger(parsed.value)) {
    return { ok: false, reason: `quantité hors limites (nombre trop grand) : ${raw.trim().slice(0, 40)}` };
  }
  return parsed;
}

/**
 * An ERP key (reference, customer number) as stored in the identity map: trimmed and NFC-normalised, nothing
 * else — references are exact, `AB 12` and `AB12` are two articles (LESSONS A5).
 */
export function normalizeKey(s: string): string {
  const n = s.length;
  // Runs once per line of a stock file: printable ASCII (most references) needs neither trim nor NFC.
  let plain = true;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c >= 127) {
      plain = false;
      break;
    }
  }
  if (plain) return s;
  const t = s.trim();
  for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) >= 128) return t.normalize('NFC');
  return t;
}
