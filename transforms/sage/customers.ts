// Sage clients (#CCLI, with their delivery places #CCDL and contacts #MCTT) → CustomerLine
// (transforms/customers/types.ts). Positions: SAGE_MASTER_DATA.md §9–11 (#VER 33); countries by their
// label through the #CPAI rows, price category labels from #CCCL, defaults from #CCOM.
import type { Transformed } from '../../src/pipeline.ts';
import { normalizeKey } from '../common/numbers.ts';
import { customerKeyOf, groupKeyOfPriceCategory } from '../customers/keys.ts';
import type { AddressLine, CustomerLine, NotPublished } from '../customers/types.ts';
import { addressText, cityText, cleanPair, genericText, phoneText, postcodeText, splitName, type SplitName } from '../prestashop/customer.ts';
import type { SageClientRow, SageCountryRow, SagePriceCategoryRow } from './rows.ts';
import type { SageTables } from './tables.ts';
import { looseLabel } from './keys.ts';

export interface SageCustomerOptions {
  filter?: { field: string; values: readonly string[] };
  /** ISO code of an address without a country. */
  defaultCountry: string;
}

/** isEmail's approximation for a test double (validate.json): the shop's own check is stricter. */
const EMAIL = /^[^@\s<>()[\]\\,;:"]+@[^@\s<>()[\]\\,;:"]+\.[^@\s<>()[\]\\,;:"]+$/u;

function rows<T>(t: SageTables, name: string): ReadonlyMap<string, T> {
  return (t.get(name) as ReadonlyMap<string, T> | undefined) ?? new Map<string, T>();
}
const settings = (t: SageTables) => rows<{ priceCategory: string; accountingCategory: string }>(t, 'settings').get('CCOM');

/** A #CPAI row by its label, compared as Sage does (case-insensitive, trimmed). */
function countryByLabel(t: SageTables, label: string): SageCountryRow | undefined {
  const table = rows<SageCountryRow>(t, 'countries');
  const exact = table.get(normalizeKey(label));
  if (exact) return exact;
  for (const c of table.values()) if (looseLabel(c.label) === looseLabel(label)) return c;
  return undefined;
}

/** The customer key of an ERP account code, as the identity map stores it (contract of issue 9). */
export const customerKey = customerKeyOf;

function filterValue(row: SageClientRow, field: string): string {
  const stat = /^statistique(\d+)$/.exec(field);
  if (stat) return row.statistics[Number(stat[1]) - 1] ?? '';
  if (field === 'categorieTarifaire') return row.priceCategory;
  if (field === 'categorieComptable') return row.accountingCategory;
  return '';
}

export function sageClientToCustomer(row: SageClientRow, tables: SageTables, o: SageCustomerOptions): Transformed<CustomerLine> {
  const line = row.line;
  const code = customerKey(row.number);
  if (code === '') return { line, reject: `client sans numéro (ligne ${line + 1})` };
  const fail = (reason: string): Transformed<CustomerLine> => ({ line, key: code, reject: `client ${code} : ${reason}` });

  const skip = (why: NotPublished): Transformed<CustomerLine> => ({ line, key: code, record: { ...EMPTY, code, skip: why, remarks: [] } });
  if (row.prospect.trim() === '1') return skip('prospect');
  if (o.filter) {
    const v = looseLabel(filterValue(row, o.filter.field));
    if (!o.filter.values.some((w) => looseLabel(w) === v)) return skip('hors filtre web');
  }
  const contactWithMail = row.contacts.find((c) => c.email.trim() !== '');
  const rawEmail = row.email.trim() !== '' ? row.email.trim() : (contactWithMail?.email.trim() ?? '');
  if (rawEmail === '') return skip('sans e-mail');
  const email = rawEmail.toLowerCase();
  const emailLine = row.email.trim() !== '' ? line + 57 : contactWithMail!.line + 8;
  if (!EMAIL.test(email) || email.length > 255) return fail(`e-mail « ${rawEmail} » invalide (ligne ${emailLine}) : le client n'est pas publié`);

  const remarks: string[] = [];
  const names = personName(row, email);
  if (!names) return fail(`nom « ${row.name.trim()} » (ligne ${line + 5}) refusé par PrestaShop (chiffres ou caractères spéciaux) et vide une fois nettoyé : corrigez l'intitulé ou ajoutez un contact (#MCTT)`);
  if (names.cleaned) remarks.push(`client ${code} : nom nettoyé pour PrestaShop → « ${names.firstname} ${names.lastname} »`);

  const particulier = row.taxStatus.trim() === '1';
  const company = particulier ? '' : genericText(row.name);
  const vatNumber = genericText(row.vatNumber, 32);
  const priceCategory = category(row.priceCategory) ?? category(settings(tables)?.priceCategory ?? '');
  const label = priceCategory === null ? undefined : rows<SagePriceCategoryRow>(tables, 'priceCategories').get(priceCategory);

  const addresses: AddressLine[] = [];
  const place = (key: string, alias: string, src: { name: SplitName; address: string; address2: string; postcode: string; city: string; country: string; phone: string; line: number; countryLine: number }, what: string): string | undefined => {
    const address1 = addressText(src.address);
    const city = cityText(src.city);
    if (address1 === '' || city === '') {
      remarks.push(`client ${code} : ${what} (ligne ${src.line}) sans adresse ou sans ville, non publiée`);
      return undefined;
    }
    const countryLabel = src.country.trim();
    let iso = o.defaultCountry.toUpperCase();
    if (countryLabel !== '') {
      const found = countryByLabel(tables, countryLabel);
      const fromTable = found?.iso2.trim().toUpperCase();
      if (fromTable) iso = fromTable;
      else if (/^[A-Za-z]{2}$/.test(countryLabel)) iso = countryLabel.toUpperCase();
      else return `pays « ${countryLabel} » de ${what} (ligne ${src.countryLine}) absent des pays de Sage (#CPAI) ou sans code ISO`;
    }
    addresses.push({
      key, alias: genericText(alias, 32) || 'Livraison', company, firstname: src.name.firstname, lastname: src.name.lastname,
      address1, address2: addressText(src.address2), postcode: postcodeText(src.postcode), city, country: iso,
      phone: phoneText(src.phone), vatNumber, line: src.line,
    });
    return undefined;
  };
  const billingProblem = place(`${code}#billing`, 'Facturation', { name: names, address: row.address, address2: row.address2, postcode: row.postcode, city: row.city, country: row.country, phone: row.phone, line: line + 8, countryLine: line + 13 }, 'l\'adresse de facturation');
  if (billingProblem) return fail(billingProblem);
  const seen = new Map<string, number>();
  for (const d of row.deliveries) {
    const base = `${code}#${normalizeKey(d.label).toUpperCase() || 'LIVRAISON'}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const who = d.contact.trim() !== '' ? splitName(d.contact) ?? names : names;
    const problem = place(n === 1 ? base : `${base}#${n}`, d.label, { name: who, address: d.address, address2: d.address2, postcode: d.postcode, city: d.city, country: d.country, phone: d.phone.trim() !== '' ? d.phone : row.phone, line: d.line, countryLine: d.line + 7 }, `l'adresse de livraison « ${d.label.trim()} »`);
    if (problem) return fail(problem);
  }

  return {
    line, key: code,
    record: {
      code, email, firstname: names.firstname, lastname: names.lastname, company, siret: particulier ? '' : genericText(row.siret, 32),
      // « mis en sommeil », or « compte bloqué » (contrôle de l'encours 2): no web orders either
      active: row.asleep.trim() !== '1' && row.creditControl.trim() !== '2',
      priceCategory, groupKey: priceCategory === null ? null : groupKeyOfPriceCategory(priceCategory), priceCategoryLabel: label?.label.trim() || null, priceCategoryTaxExcluded: (label?.priceType.trim() ?? '0') !== '1',
      accountingCategory: category(row.accountingCategory) ?? category(settings(tables)?.accountingCategory ?? ''),
      addresses, remarks,
    },
  };
}

const EMPTY: Omit<CustomerLine, 'code' | 'remarks'> = {
  email: null, firstname: '', lastname: '', company: '', siret: '', active: false,
  priceCategory: null, groupKey: null, priceCategoryLabel: null, priceCategoryTaxExcluded: true, accountingCategory: null, addresses: [],
};

/** '1'–'50' without leading zeros; null for empty or 0. */
function category(raw: string): string | null {
  const t = raw.trim();
  return /^\d{1,2}$/.test(t) && Number(t) > 0 ? String(Number(t)) : null;
}

/** The person: the contact (#MCTT) with the customer's e-mail, else the first one named, else the
 *  « Contact » field, else the account's name. */
function personName(row: SageClientRow, email: string): SplitName | null {
  const contact = row.contacts.find((c) => c.email.trim().toLowerCase() === email && c.lastName.trim() !== '') ?? row.contacts.find((c) => c.lastName.trim() !== '');
  const tries: Array<() => SplitName | null> = [
    () => (contact ? cleanPair(contact.firstName, contact.lastName) : null),
    () => (row.contact.trim() !== '' ? splitName(row.contact) : null),
    () => splitName(row.name),
  ];
  for (const t of tries) {
    const n = t();
    if (n) return n;
  }
  return null;
}
