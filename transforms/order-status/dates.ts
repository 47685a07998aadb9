// ERP dates as the profile declares them (Sage and EBP: dd/mm/yyyy; Divalto DataHub: yyyymmdd), checked
// for a real calendar day. Pure.
import type { Parsed } from '../common/numbers.ts';

export type DateFormat = 'dd/mm/yyyy' | 'yyyymmdd' | 'yyyy-mm-dd';

const SHAPES: Record<DateFormat, RegExp> = {
  'dd/mm/yyyy': /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/,
  yyyymmdd: /^(\d{4})(\d{2})(\d{2})$/,
  'yyyy-mm-dd': /^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/,
};

/** `15/03/2026` → `2026-03-15`. A time after the date is accepted and dropped (EBP writes « 15/03/2026 00:00:00 »). */
export function parseErpDate(raw: string, format: DateFormat): Parsed<string> {
  const s = raw.trim();
  const m = SHAPES[format].exec(s);
  if (!m) return { ok: false, reason: `date invalide : « ${s} » (format attendu ${format})` };
  const [d, mo, y] = format === 'dd/mm/yyyy' ? [m[1], m[2], m[3]] : [m[3], m[2], m[1]];
  const day = Number(d);
  const month = Number(mo);
  const year = Number(y);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { ok: false, reason: `date inexistante : « ${s} »` };
  }
  return { ok: true, value: `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` };
}

/** `2026-03-15` → `15/03/2026`, for French reports and documents. */
export function frenchDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}
