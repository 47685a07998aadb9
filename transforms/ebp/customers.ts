// EBP Gestion commerciale's customer export (`Customers` saved export model; captions EBP_DIVALTO.md §1.5,
// as config/profiles/ebp.yaml names them) → CustomerLine (transforms/customers/types.ts). One billing
// address and at most one delivery address per row; countries are ISO codes already. Pure.
import type { CustomersFlowProfile } from '../../src/erp/profile.ts';
import type { Row } from '../../src/parse/row.ts';
import type { Transformed } from '../../src/pipeline.ts';
import { normalizeKey } from '../common/numbers.ts';
import { groupKeyOfCustomerFamily } from '../customers/keys.ts';
import type { AddressLine, CustomerLine } from '../customers/types.ts';
import { addressText, cityText, cleanPair, genericText, phoneText, postcodeText, splitName, type SplitName } from '../prestashop/customer.ts';

const EMAIL = /^[^@\s<>()[\]\\,;:"]+@[^@\s<>()[\]\\,;:"]+\.[^@\s<>()[\]\\,;:"]+$/u;

export interface EbpCustomerOptions {
  filter?: { field: string; values: readonly string[] };
  defaultCountry: string;
}

export function ebpRowToCustomer(row: Row, flow: CustomersFlowProfile, o: EbpCustomerOptions): Transformed<CustomerLine> {
  const line = row.line;
  if (row.error) return { line, reject: row.error };
  const cols = flow.columns;
  const v = (c: string | undefined): string => (c === undefined ? '' : (row.values[c] ?? '').trim());
  const code = normalizeKey(v(cols.code)).toUpperCase();
  if (code === '') return { line, reject: `client sans code (${cols.code}, ligne ${line})` };
  const fail = (reason: string): Transformed<CustomerLine> => ({ line, key: code, reject: `client ${code} : ${reason} (ligne ${line})` });
  const base = { code, firstname: '', lastname: '', company: '', siret: '', active: false, priceCategory: null, groupKey: null, priceCategoryLabel: null, priceCategoryTaxExcluded: true, accountingCategory: null, addresses: [], remarks: [] };
  if (o.filter) {
    // the filter names an EBP column by its caption
    const value = (row.values[o.filter.field] ?? '').trim().toLowerCase();
    if (!o.filter.values.some((w) => w.trim().toLowerCase() === value)) return { line, key: code, record: { ...base, email: null, skip: 'hors filtre web' } };
  }
  const rawEmail = v(cols.email);
  if (rawEmail === '') return { line, key: code, record: { ...base, email: null, skip: 'sans e-mail' } };
  const email = rawEmail.toLowerCase();
  if (!EMAIL.test(email)) return fail(`e-mail « ${rawEmail} » (${cols.email}) invalide : le client n'est pas publié`);

  const remarks: string[] = [];
  const names = (v(cols.contactLastName) !== '' ? cleanPair(v(cols.contactFirstName), v(cols.contactLastName)) : null) ?? splitName(v(cols.name));
  if (!names) return fail(`nom « ${v(cols.name)} » (${cols.name}) refusé par PrestaShop (chiffres ou caractères spéciaux) et vide une fois nettoyé`);
  if (names.cleaned) remarks.push(`client ${code} : nom nettoyé pour PrestaShop → « ${names.firstname} ${names.lastname} »`);
  const person = v(cols.physicalPerson) === '1';
  const company = person ? '' : genericText(v(cols.name));
  const vatNumber = genericText(v(cols.vatNumber), 32);

  const addresses: AddressLine[] = [];
  const add = (key: string, alias: string, who: SplitName, a: { address1: string; address2: string; postcode: string; city: string; country: string; phone: string }, what: string): string | undefined => {
    const address1 = addressText(a.address1);
    const city = cityText(a.city);
    if (address1 === '' || city === '') {
      remarks.push(`client ${code} : ${what} (ligne ${line}) sans adresse ou sans ville, non publiée`);
      return undefined;
    }
    const country = (a.country || o.defaultCountry).toUpperCase();
    if (!/^[A-Z]{2}$/.test(country)) return `pays « ${a.country} » de ${what} : code ISO à deux lettres attendu (FR, BE…)`;
    addresses.push({ key, alias: genericText(alias, 32) || 'Livraison', company, firstname: who.firstname, lastname: who.lastname, address1, address2: addressText(a.address2), postcode: postcodeText(a.postcode), city, country, phone: phoneText(a.phone), vatNumber, line });
    return undefined;
  };
  const billing = add(`${code}#billing`, 'Facturation', names, { address1: v(cols.address1), address2: v(cols.address2), postcode: v(cols.postcode), city: v(cols.city), country: v(cols.country), phone: v(cols.phone) || v(cols.mobile) }, 'l\'adresse de facturation');
  if (billing) return fail(billing);
  if (v(cols.deliveryAddress1) !== '') {
    const who = (v(cols.deliveryLastName) !== '' ? cleanPair(v(cols.deliveryFirstName), v(cols.deliveryLastName)) : null) ?? names;
    const label = v(cols.deliveryName) || 'Livraison';
    const delivery = add(`${code}#${normalizeKey(label).toUpperCase()}`, label, who, { address1: v(cols.deliveryAddress1), address2: v(cols.deliveryAddress2), postcode: v(cols.deliveryPostcode), city: v(cols.deliveryCity), country: v(cols.deliveryCountry), phone: v(cols.deliveryPhone) || v(cols.phone) || v(cols.mobile) }, 'l\'adresse de livraison');
    if (delivery) return fail(delivery);
  }
  const family = v(cols.family);
  const status = v(cols.status);
  return {
    line, key: code,
    record: {
      code, email, firstname: names.firstname, lastname: names.lastname, company, siret: person ? '' : genericText(v(cols.siret), 32),
      // « A » actif; an EBP account in any other state takes no web order
      active: cols.status === undefined || status === '' || status.toUpperCase() === 'A',
      priceCategory: family === '' ? null : normalizeKey(family).toUpperCase(),
      groupKey: family === '' ? null : groupKeyOfCustomerFamily(family),
      priceCategoryLabel: v(cols.familyLabel) || (family === '' ? null : family),
      priceCategoryTaxExcluded: true,
      accountingCategory: v(cols.territoriality) === '' ? null : normalizeKey(v(cols.territoriality)).toUpperCase(),
      addresses, remarks,
    },
  };
}
