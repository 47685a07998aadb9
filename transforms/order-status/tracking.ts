// Carrier tracking numbers: what PrestaShop accepts (isTrackingNumber, validate.json; varchar(64) in the
// database, resources.json) and how several parcels share the one order_carriers.tracking_number field.
// De-duplicated before writing (LESSONS A5, C5). Pure.

/** isTrackingNumber without the comma, which separates parcels in the stored value. */
const VALID = /^[~:#%&_=()[\].? +\-@/a-zA-Z0-9]+$/;
const SEPARATORS = /[,;|\n]/;
export const TRACKING_MAX_LENGTH = 64;
const JOIN = ', ';

/** The numbers of one ERP field (« 6A123, 6A124 »), trimmed, empty parts dropped. */
export function splitTracking(raw: string): string[] {
  return raw.split(SEPARATORS).map((s) => s.trim()).filter((s) => s !== '');
}

export function trackingProblem(n: string): string | undefined {
  if (!VALID.test(n)) return `numéro de suivi « ${n} » refusé par PrestaShop (caractères permis : lettres, chiffres, espace et ~ : # % & _ = ( ) [ ] . ? + - @ /)`;
  if (n.length > TRACKING_MAX_LENGTH) return `numéro de suivi « ${n} » trop long (${TRACKING_MAX_LENGTH} caractères au plus)`;
  return undefined;
}

/** Two spellings of one parcel number (« 6A 123 » and « 6a123 ») are the same parcel. */
function same(n: string): string {
  return n.replace(/\s+/g, '').toUpperCase();
}

export function dedupeTracking(numbers: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const n of numbers) {
    const k = same(n);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(n);
  }
  return out;
}

export type TrackingMerge =
  | { changed: false; value: string }
  | { changed: true; value: string; added: string[] }
  | { tooLong: true; value: string };

/** The shop's current value with the ERP's numbers added after it; unchanged when it holds them all. */
export function mergeTracking(current: string, incoming: readonly string[]): TrackingMerge {
  const existing = splitTracking(current);
  const known = new Set(existing.map(same));
  const added = dedupeTracking(incoming).filter((n) => !known.has(same(n)));
  if (added.length === 0) return { changed: false, value: current };
  const value = [...existing, ...added].join(JOIN);
  if (value.length > TRACKING_MAX_LENGTH) return { tooLong: true, value };
  return { changed: true, value, added };
}
