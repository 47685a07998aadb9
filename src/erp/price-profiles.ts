// File layout of an hourly price file (issue 9): delimited text or workbook, declared beside the stock layout
// in src/erp/profile.ts and built from its flow base and formats, so that every delimited / workbook option
// of the stock flow applies here too. Two kinds of line, told apart by their own cells: an article's base
// price (no group nor customer on the line), or a tariff (a group or a customer: a specific price).
import { z } from 'zod';
import { columnName } from './columns.ts';


export const PriceColumnsSchema = z.strictObject({
  reference: columnName.describe('article reference (the products flow\'s key)'),
  price: columnName.describe('sale price tax excluded: the product\'s base `price` on a line without group nor customer; on a tariff line its fixed price (0 or empty: the base price, with the discount)'),
  group: columnName.optional().describe('tariff / customer family code of the line → the shop group `<groupKey>:<code>` of the customers flow (Divalto TAR.TACOD; EBP famille client)'),
  customer: columnName.optional().describe('customer account code of the line → that shop customer (customers flow)'),
  fromQuantity: columnName.optional().describe('quantity from which the price applies (whole number; empty = 1)'),
  discount: columnName.optional().describe('discount in percent (10 = 10 %)'),
  priceUnit: columnName.optional().describe('quantity the price is for (Divalto TAR.PPAR « prix par »): the price is divided by it'),
  from: columnName.optional().describe('first day of the price (aaaa-mm-jj or jj/mm/aaaa; Divalto TAR.TADT)'),
  to: columnName.optional().describe('last day of the price'),
  subReference1: columnName.optional().describe('variant key (Divalto SREF1): a line for a variant is rejected (variants not linked yet)'),
  subReference2: columnName.optional().describe('second variant key (Divalto SREF2)'),
});

export function pricesFlowSchema<B extends z.ZodRawShape, D extends z.ZodRawShape, X extends z.ZodRawShape>(flowBase: B, delimited: D, xlsx: X) {
  const extra = {
    columns: PriceColumnsSchema,
    groupKey: z.enum(['tarif', 'famille']).default('tarif')
      .describe('identity-map prefix of the group column: tarif (Divalto tariff code, tarif:<CODE>) or famille (EBP customer family, famille:<CODE>)'),
  };
  return z.discriminatedUnion('format', [
    z.strictObject({ ...flowBase, ...delimited, ...extra }),
    z.strictObject({ ...flowBase, ...xlsx, ...extra }),
  ]);
}
