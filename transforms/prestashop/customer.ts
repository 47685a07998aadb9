// Customers and addresses on the PrestaShop side, pure: names cleaned to the shop's rules, the owned fields,
// their diff and the POST / PATCH bodies. Rules from src/prestashop/reference/validate.json (8.1.2):
// Customer names are `isCustomerName`, address names `isName` (a subset of what isCustomerName refuses),
// company / siret / vat_number `isGenericName`, address1 `isAddress`, city `isCityName`, postcode
// `isPostCode`, phone `isPhoneNumber`.
import type { PsRecord } from '../../src/prestashop/xml.ts';
import type { AddressLine } from '../customers/types.ts';

/** CustomerNameValidator's pattern (validate.json `isCustomerName.js_pattern`). */
export const CUSTOMER_NAME = /^(?!\s*$)(?:[^0-9!<>,;?=+()/\\@#"°*`{}_^$%:¤[\]|.。]|[。.](?:\s|$))*$/u;
const REFUSED_IN_NAME = /[0-9!<>,;?=+()/\\@#"°*`{}_^$%:¤[\]|]/gu;
const CIVILITY = /^(m|mr|mme|mlle|melle|monsieur|madame|mademoiselle|dr|me)\.?\s+/iu;

/** A name PrestaShop accepts, or null when nothing of it is left. A dot not followed by a space gets one
 *  (« J.Dupont » → « J. Dupont »): the shop refuses « J.Dupont » but not « J. Dupont ». */
export function cleanName(raw: string, max = 255): string | null {
  const s = raw.normalize('NFC').replace(REFUSED_IN_NAME, ' ').replace(/[.。](?=\S)/gu, '$& ').replace(/\s+/gu, ' ').trim();
  const cut = s.length > max ? s.slice(0, max).trim() : s;
  return cut === '' || !CUSTOMER_NAME.test(cut) ? null : cut;
}

export interface SplitName { firstname: string; lastname: string; cleaned: boolean }

/** One name field → first and last name: a civility dropped, the first word the first name, the rest the
 *  last name; a single word is both (PrestaShop requires both). Null when the name is nothing but
 *  characters PrestaShop refuses. */
export function splitName(raw: string): SplitName | null {
  const trimmed = raw.normalize('NFC').replace(/\s+/gu, ' ').trim();
  const cleaned = cleanName(trimmed.replace(CIVILITY, ''));
  if (cleaned === null) return null;
  const words = cleaned.split(' ');
  const firstname = words[0]!;
  const lastname = words.length > 1 ? words.slice(1).join(' ') : firstname;
  return { firstname, lastname, cleaned: cleaned !== trimmed.replace(CIVILITY, '') };
}

/** Both names given apart (a Sage contact): each cleaned; null when either has nothing left. */
export function cleanPair(first: string, last: string): SplitName | null {
  const f = cleanName(first);
  const l = cleanName(last);
  if (l === null) return null;
  return { firstname: f ?? l, lastname: l, cleaned: f !== first.normalize('NFC').trim() || l !== last.normalize('NFC').trim() };
}

/** isGenericName: no < > = { }. */
export const genericText = (s: string, max = 255): string => s.normalize('NFC').replace(/[<>={}]/gu, ' ').replace(/\s+/gu, ' ').trim().slice(0, max).trim();
/** isAddress: no ! < > ? = + @ { } _ $ %. */
export const addressText = (s: string, max = 128): string => s.normalize('NFC').replace(/[!<>?=+@{}_$%]/gu, ' ').replace(/\s+/gu, ' ').trim().slice(0, max).trim();
/** isCityName: no ! < > ; ? = + @ # " ° { } _ $ %. */
export const cityText = (s: string): string => s.normalize('NFC').replace(/[!<>;?=+@#"°{}_$%]/gu, ' ').replace(/\s+/gu, ' ').trim().slice(0, 64).trim();
/** isPostCode: letters, digits, space, '-'; an accent-free upper-cased value, max 12. */
export const postcodeText = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/gu, '').replace(/[^a-zA-Z 0-9-]/gu, '').trim().toUpperCase().slice(0, 12).trim();
/** isPhoneNumber: digits, space, + . ( ) / -; empty when no digit is left. */
export function phoneText(s: string): string {
  const p = s.replace(/[^+0-9. ()/-]/gu, '').replace(/\s+/gu, ' ').trim().slice(0, 32).trim();
  return /\d/.test(p) ? p : '';
}

/** The customer fields the connector owns; `groups` is the exact membership, sorted. */
export interface CustomerFields {
  firstname: string; lastname: string; email: string; company: string; siret: string; active: '0' | '1';
  id_default_group: string; groups: string[];
}

export function customerFieldsOf(c: PsRecord): CustomerFields {
  const groups = ((c.associations as Record<string, PsRecord[]> | undefined)?.groups ?? []).map((g) => String(g.id));
  return {
    firstname: String(c.firstname ?? ''), lastname: String(c.lastname ?? ''), email: String(c.email ?? ''),
    company: String(c.company ?? ''), siret: String(c.siret ?? ''), active: String(c.active ?? '') === '1' ? '1' : '0',
    id_default_group: String(c.id_default_group ?? ''), groups: [...new Set(groups)].sort(byNumber),
  };
}

const byNumber = (a: string, b: string) => Number(a) - Number(b) || a.localeCompare(b);
export const sortedGroups = (ids: readonly string[]): string[] => [...new Set(ids)].sort(byNumber);

/** What differs; an e-mail is compared case-insensitively (the shop's collation). */
export function changedCustomerFields(want: CustomerFields, have: CustomerFields): Partial<CustomerFields> {
  const out: Partial<CustomerFields> = {};
  for (const k of ['firstname', 'lastname', 'company', 'siret', 'active', 'id_default_group'] as const) if (want[k] !== have[k]) out[k] = want[k] as never;
  if (want.email.toLowerCase() !== have.email.toLowerCase()) out.email = want.email;
  if (want.groups.join(',') !== have.groups.join(',')) out.groups = want.groups;
  return out;
}

/** A PATCH body of changed fields: the membership as the groups association (it replaces the whole set). */
export function customerChange(changes: Partial<CustomerFields>): PsRecord {
  const { groups, ...rest } = changes;
  return { ...rest, ...(groups ? { associations: { groups: groups.map((id) => ({ id })) } } : {}) };
}

/** A POST body: `passwd` is a random plain password the customer never sees (PrestaShop hashes it; they
 *  use « mot de passe oublié »); the webservice sends no welcome mail. */
export function newCustomer(want: CustomerFields, passwd: string, newsletter: boolean): PsRecord {
  return { ...customerChange(want), passwd, newsletter: newsletter ? '1' : '0', optin: newsletter ? '1' : '0', is_guest: '0' };
}

/** The address fields the connector owns. */
export interface AddressFields {
  alias: string; company: string; firstname: string; lastname: string; address1: string; address2: string;
  postcode: string; city: string; id_country: string; phone: string; vat_number: string;
}
export const ADDRESS_FIELDS = ['alias', 'company', 'firstname', 'lastname', 'address1', 'address2', 'postcode', 'city', 'id_country', 'phone', 'vat_number'] as const;

export function addressFields(a: AddressLine, countryId: string): AddressFields {
  return {
    alias: a.alias, company: a.company, firstname: a.firstname, lastname: a.lastname, address1: a.address1, address2: a.address2,
    postcode: a.postcode, city: a.city, id_country: countryId, phone: a.phone, vat_number: a.vatNumber,
  };
}

export function addressFieldsOf(r: PsRecord): AddressFields {
  return Object.fromEntries(ADDRESS_FIELDS.map((k) => [k, String(r[k] ?? '')])) as unknown as AddressFields;
}

export function changedAddressFields(want: AddressFields, have: AddressFields): Partial<AddressFields> {
  return Object.fromEntries(ADDRESS_FIELDS.filter((k) => want[k] !== have[k]).map((k) => [k, want[k]])) as Partial<AddressFields>;
}
