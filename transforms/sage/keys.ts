// Keys of the category tree built from a Sage dossier: a family by its code, a catalogue node by its
// labels from the root (a node only names its parent by label, SAGE_MASTER_DATA.md §4).
import { normalizeKey } from '../common/numbers.ts';

export function familyKey(code: string): string {
  return `FAM:${normalizeKey(code)}`;
}

/** 'CAT:Bijoux/Argent/Bagues'; a '/' or '\' inside a label is escaped so that two paths never share a key. */
export function catalogueKey(path: readonly string[]): string {
  return `CAT:${path.map((l) => l.replace(/[\\/]/g, (c) => `\\${c}`)).join('/')}`;
}

/** How Sage compares labels (its SQL collation is case-insensitive): trimmed, NFC, lower case. */
export function sameLabel(a: string, b: string): boolean {
  return looseLabel(a) === looseLabel(b);
}

export function looseLabel(s: string): string {
  return normalizeKey(s).toLowerCase();
}
