// Looking ERP keys up in the shop by one field, 50 at a time (`filter[reference]=[a|b|…]`): the mechanism
// every pipeline's identity resolver builds on (issue #8). PrestaShop compares filter values
// case-insensitively, so a candidate is handed to every key it may stand for, and `pickOne` decides: the
// exact match, else a single case-insensitive one; several shop objects for one key are a reject naming
// them, never a guess (WEBSERVICE.md §6.2: references are not unique in PrestaShop).
import type { ShopClient } from '../prestashop/client.ts';
import { filterIn } from '../prestashop/query.ts';
import type { PsRecord } from '../prestashop/xml.ts';

/** PrestaShop filters cannot express these characters: such a key cannot be looked up. */
export function isFilterable(key: string): boolean {
  return !/[|[\]]/.test(key);
}

/** Keys are compared as the shop does: trimmed, NFC, case-insensitive. */
export function looseKey(s: string): string {
  return s.trim().normalize('NFC').toLowerCase();
}

/** The shop objects whose `field` may be each key (one list call per 50 keys). Unfilterable keys are left out. */
export async function findByField(shop: ShopClient, resource: string, field: string, keys: readonly string[], display: readonly string[]): Promise<Map<string, PsRecord[]>> {
  const found = new Map<string, PsRecord[]>();
  const lookable = [...new Set(keys.filter(isFilterable))];
  const byLoose = new Map<string, string[]>();
  for (const k of lookable) byLoose.set(looseKey(k), [...(byLoose.get(looseKey(k)) ?? []), k]);
  for (let i = 0; i < lookable.length; i += 50) {
    const chunk = lookable.slice(i, i + 50);
    const rows = await shop.list(resource, { display: [...new Set(['id', field, ...display])], filter: { [field]: filterIn(chunk) } });
    for (const rec of rows) {
      for (const k of byLoose.get(looseKey(String(rec[field] ?? ''))) ?? []) found.set(k, [...(found.get(k) ?? []), rec]);
    }
  }
  return found;
}

/** The one shop object a key designates: exact match first, else a unique case-insensitive match.
 *  Undefined when there is none; a French reject when several match. */
export function pickOne(key: string, field: string, candidates: readonly PsRecord[], what: string): { record: PsRecord } | { reject: string } | undefined {
  const exact = candidates.filter((c) => String(c[field] ?? '').trim().normalize('NFC') === key.trim().normalize('NFC'));
  const matches = exact.length > 0 ? exact : candidates;
  if (matches.length === 0) return undefined;
  if (matches.length === 1) return { record: matches[0]! };
  return { reject: `« ${key} » est porté par ${matches.length} ${what} dans la boutique (id ${matches.map((c) => String(c.id)).join(', ')}) : impossible de choisir, corrigez le doublon dans la boutique` };
}
