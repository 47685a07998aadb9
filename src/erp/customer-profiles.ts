// File layout of the customers flow (issue 9) for the ERPs whose customer accounts come as a plain export
// (EBP's `Customers` export model, EBP_DIVALTO.md §1.5), declared beside the stock and catalogue layouts in
// src/erp/profile.ts and built from the same flow base and formats.
import { z } from 'zod';
import { columnName } from './columns.ts';


export const CustomerColumnsSchema = z.strictObject({
  code: columnName.describe('customer account code: the identity map key'),
  name: columnName.describe('account name (company, or the person for a « personne physique »)'),
  email: columnName.describe('e-mail: an account without one is not published'),
  physicalPerson: columnName.optional().describe('1 = a private person (no company, no SIRET)'),
  status: columnName.optional().describe('EBP « Statut »: A actif; anything else (sommeil, bloqué) = inactive'),
  family: columnName.optional().describe('customer family code → group famille:<CODE>'),
  familyLabel: columnName.optional().describe('customer family label: the group name'),
  contactLastName: columnName.optional().describe('billing contact last name'),
  contactFirstName: columnName.optional().describe('billing contact first name'),
  address1: columnName.describe('billing address line 1'),
  address2: columnName.optional().describe('billing address line 2'),
  postcode: columnName.describe('billing postcode'),
  city: columnName.describe('billing city'),
  country: columnName.describe('billing country ISO code (FR)'),
  phone: columnName.optional().describe('billing phone'),
  mobile: columnName.optional().describe('billing mobile phone, when there is no fixed one'),
  deliveryName: columnName.optional().describe('delivery address name: its alias'),
  deliveryAddress1: columnName.optional().describe('delivery address line 1; empty = no separate delivery address'),
  deliveryAddress2: columnName.optional(),
  deliveryPostcode: columnName.optional(),
  deliveryCity: columnName.optional(),
  deliveryCountry: columnName.optional().describe('delivery country ISO code'),
  deliveryLastName: columnName.optional().describe('delivery contact last name'),
  deliveryFirstName: columnName.optional().describe('delivery contact first name'),
  deliveryPhone: columnName.optional(),
  siret: columnName.optional().describe('SIREN / SIRET'),
  vatNumber: columnName.optional().describe('intra-EU VAT number'),
  territoriality: columnName.optional().describe('EBP « Code territorialité » (FRANCE, …): the accounting category of customers.accountingGroups'),
});

export function customersFlowSchema<B extends z.ZodRawShape, D extends z.ZodRawShape, X extends z.ZodRawShape>(flowBase: B, delimited: D, xlsx: X) {
  const extra = { columns: CustomerColumnsSchema };
  return z.discriminatedUnion('format', [
    z.strictObject({ ...flowBase, ...delimited, ...extra }),
    z.strictObject({ ...flowBase, ...xlsx, ...extra }),
  ]);
}
