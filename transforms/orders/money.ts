// Money as integer micro-units (1/1,000,000 of the currency unit). PrestaShop stores amounts as strings with
// 6 decimals (WEBSERVICE.md §7.1, e.g. unit_price_tax_excl "14.748750"): micro-units hold them exactly, so no
// float ever touches an amount. Totals are compared to the cent (checkTotals).

export type Micros = number;

const MICROS_PER_UNIT = 1_000_000;
const MICROS_PER_CENT = 10_000;

/** Parses a PrestaShop decimal string ("14.748750", "-3", "") into micro-units; empty = 0. */
export function parseMicros(value: string | undefined): Micros {
  const text = (value ?? '').trim();
  if (text === '') return 0;
  const m = /^([+-])?(\d+)(?:\.(\d*))?$/.exec(text);
  if (!m) throw new Error(`not a decimal amount: ${JSON.stringify(text)}`);
  const sign = m[1] === '-' ? -1 : 1;
  const whole = Number(m[2]);
  const fractionDigits = (m[3] ?? '').padEnd(7, '0');
  // 7th digit rounds half away from zero (PrestaShop never sends more than 6, but be exact if it does).
  let fraction = Number(fractionDigits.slice(0, 6));
  if (Number(fractionDigits[6]) >= 5) fraction += 1;
  return sign * (whole * MICROS_PER_UNIT + fraction);
}

/** Rounds micro-units to `decimals` (0..6) decimals, half away from zero (the commercial rounding ERPs use). */
export function roundMicros(value: Micros, decimals: number): Micros {
  const step = 10 ** (6 - decimals);
  const sign = value < 0 ? -1 : 1;
  return sign * Math.round(Math.abs(value) / step) * step;
}

/** Rounds to the cent, still in micro-units. */
export function roundToCent(value: Micros): Micros {
  return roundMicros(value, 2);
}

/** `percent` % of an amount, rounded half away from zero to the micro-unit. */
export function applyPercent(value: Micros, percent: number): Micros {
  // percent has at most 4 decimals in every ERP we write: scale to an integer and use BigInt so that
  // large amounts times the scale never leave the exact integer range of a double.
  const scaled = BigInt(Math.round(percent * 10_000)); // 10 % → 100000
  const product = BigInt(value) * scaled;
  const divisor = 1_000_000n;
  const negative = product < 0n;
  const abs = negative ? -product : product;
  const rounded = (abs + divisor / 2n) / divisor;
  return Number(negative ? -rounded : rounded);
}

/** Formats micro-units with a fixed number of decimals and the given separator ("14,7488"). */
export function formatMicros(value: Micros, decimals: number, separator: ',' | '.' = ','): string {
  const rounded = roundMicros(value, decimals);
  const sign = rounded < 0 ? '-' : '';
  const abs = Math.abs(rounded);
  const whole = Math.floor(abs / MICROS_PER_UNIT);
  const fraction = String(abs % MICROS_PER_UNIT).padStart(6, '0').slice(0, decimals);
  return decimals > 0 ? `${sign}${whole}${separator}${fraction}` : `${sign}${whole}`;
}

/** Like formatMicros but drops trailing zeros beyond `minDecimals` ("155,00", "14,74875"). */
export function formatMicrosTrimmed(value: Micros, minDecimals: number, maxDecimals: number, separator: ',' | '.' = ','): string {
  const full = formatMicros(value, maxDecimals, separator);
  if (maxDecimals <= minDecimals) return full;
  const cut = full.length - (maxDecimals - minDecimals);
  let end = full.length;
  while (end > cut && full[end - 1] === '0') end -= 1;
  const out = full.slice(0, end);
  return out.endsWith(separator) ? out.slice(0, -1) : out;
}

/** "123,45 €"-style amount for French messages. */
export function formatEuros(value: Micros, currency = 'EUR'): string {
  const symbol = currency === 'EUR' ? '€' : currency;
  return `${formatMicros(value, 2, ',')} ${symbol}`;
}

/** Number of micro-units as a JavaScript number of currency units (for spreadsheet numeric cells). */
export function microsToNumber(value: Micros, decimals = 6): number {
  return roundMicros(value, decimals) / MICROS_PER_UNIT;
}

export function centsOf(value: Micros): number {
  return Math.round(value / MICROS_PER_CENT);
}

export function fromUnits(units: number): Micros {
  return Math.round(units * MICROS_PER_UNIT);
}
