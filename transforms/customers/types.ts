// The canonical customer records every ERP's transforms produce and the customers pipeline loads: one
// shape whatever the ERP. Names are already cleaned to PrestaShop's rules (transforms/prestashop/customer.ts).

/** A shop address of the account: its billing address or one delivery place. */
export interface AddressLine {
  /** Identity map key (entity `address`): `<CODE>#billing`, `<CODE>#<DELIVERY LABEL>` (upper case; a
   *  repeated label gets `#2`, `#3`… in file order). */
  key: string;
  /** Shown at checkout; max 32 characters. */
  alias: string;
  company: string;
  firstname: string;
  lastname: string;
  address1: string;
  address2: string;
  postcode: string;
  city: string;
  /** ISO 3166 alpha-2. */
  country: string;
  phone: string;
  vatNumber: string;
  /** Physical line of the record the address comes from. */
  line: number;
}

/** Why an ERP account is not published (counted in the report, not rejected). */
export type NotPublished = 'sans e-mail' | 'hors filtre web' | 'prospect';

export interface CustomerLine {
  /** ERP account code, `normalizeKey(code).toUpperCase()`: the identity map key (entity `customer`). */
  code: string;
  /** Lower-cased; null = not published. */
  email: string | null;
  skip?: NotPublished;
  firstname: string;
  lastname: string;
  company: string;
  siret: string;
  active: boolean;
  /** Price category or customer family, as the ERP numbers / codes it (the key of customers.groupNames /
   *  groupIds). */
  priceCategory: string | null;
  /** Its group's identity key (transforms/customers/keys.ts). */
  groupKey: string | null;
  /** Its ERP label, the group's default name. */
  priceCategoryLabel: string | null;
  /** true: the ERP's prices for this category are tax excluded (the group shows prices HT). */
  priceCategoryTaxExcluded: boolean;
  accountingCategory: string | null;
  addresses: AddressLine[];
  /** What was cleaned or left out to satisfy PrestaShop (remarks for the report, not rejects). */
  remarks: string[];
}
