// Pure helpers behind ShopClient.update: merging a change into a stored object for a PUT, and telling
// whether a change is already in the shop (the "500 but it was done" re-read, WEBSERVICE.md §4).
import { isLangText, type LangText, type PsRecord } from './xml.ts';

const NUMERIC = /^-?\d+(\.\d+)?$/;

function scalar(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

// The shop normalises numbers on storage (`15.99` is read back as `15.990000`, INDEX.md echo notes).
function sameScalar(actual: unknown, target: unknown): boolean {
  const a = scalar(actual);
  const t = scalar(target);
  if (a === t) return true;
  return NUMERIC.test(a) && NUMERIC.test(t) && Number(a) === Number(t);
}

function sameItems(actual: unknown, target: unknown): boolean {
  if (!Array.isArray(target) || !Array.isArray(actual) || actual.length !== target.length) return false;
  return (target as unknown[]).every((t) =>
    (actual as unknown[]).some((a) => {
      if (t === null || typeof t !== 'object' || a === null || typeof a !== 'object') return false;
      return Object.entries(t).every(([k, v]) => sameScalar((a as PsRecord)[k], v));
    }),
  );
}

/** Does `actual` (as read from the shop) already hold `target` (as the engine wanted to write it)? */
export function sameValue(actual: unknown, target: unknown): boolean {
  if (isLangText(target)) {
    if (!isLangText(actual)) return false;
    return Object.entries(target).every(([id, text]) => sameScalar(actual[id], text));
  }
  if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
    if (actual === null || typeof actual !== 'object') return false;
    return Object.entries(target).every(([k, v]) => {
      const a = (actual as PsRecord)[k];
      return Array.isArray(v) ? sameItems(a, v) : sameValue(a, v);
    });
  }
  return sameScalar(actual, target);
}

/** True when every changed field already has its target value in `current`. */
export function isApplied(current: PsRecord, changes: PsRecord): boolean {
  return Object.entries(changes).every(([k, v]) => k === 'id' || v === undefined || sameValue(current[k], v));
}

/**
 * The whole object for a PUT (PUT replaces everything, WEBSERVICE.md §5): the stored object, the changes on
 * top (a partial LangText only replaces the languages it names), the read-only nodes removed.
 */
export function mergeForPut(current: PsRecord, changes: PsRecord, readOnly: ReadonlySet<string>): PsRecord {
  const merged: PsRecord = { ...current };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) continue;
    const before = current[k];
    if (isLangText(v) && isLangText(before)) merged[k] = { ...before, ...v };
    else if (k === 'associations' && isPlainObject(v) && isPlainObject(before)) merged[k] = { ...before, ...v };
    else merged[k] = v;
  }
  for (const k of readOnly) delete merged[k];
  return merged;
}

function isPlainObject(v: unknown): v is PsRecord {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * A PATCH of a multi-language field empties every language it does not carry (WEBSERVICE.md addendum), so
 * complete each LangText in `changes` with the stored text of the missing languages.
 */
export function completeLanguages(changes: PsRecord, current: PsRecord | undefined, languageIds: string[]): PsRecord {
  const out: PsRecord = { ...changes };
  for (const [k, v] of Object.entries(changes)) {
    if (!isLangText(v)) continue;
    const stored = current?.[k];
    const full: LangText = {};
    for (const id of languageIds) {
      full[id] = v[id] ?? (isLangText(stored) ? (stored[id] ?? '') : '');
    }
    out[k] = { ...full, ...v };
  }
  return out;
}

/** A LangText change that does not name every language: the PATCH needs the stored text of the others. */
export function hasPartialLanguages(changes: PsRecord, languageIds: string[]): boolean {
  return Object.values(changes).some((v) => isLangText(v) && languageIds.some((id) => !(id in v)));
}
