// File layout of an hourly price file (issue 9): one line per article with its base price, delimited text
// or workbook, declared beside the stock layout in src/erp/profile.ts and built from its flow base and
// formats, so that every delimited / workbook option of the stock flow applies here too.
import { z } from 'zod';

const columnName = z.string().trim().min(1);

export const PriceColumnsSchema = z.strictObject({
  reference: columnName.describe('article reference (the products flow\'s key)'),
  price: columnName.describe('base sale price tax excluded: the product\'s `price`, nothing else'),
});

export function pricesFlowSchema<B extends z.ZodRawShape, D extends z.ZodRawShape, X extends z.ZodRawShape>(flowBase: B, delimited: D, xlsx: X) {
  return z.discriminatedUnion('format', [
    z.strictObject({ ...flowBase, ...delimited, columns: PriceColumnsSchema }),
    z.strictObject({ ...flowBase, ...xlsx, columns: PriceColumnsSchema }),
  ]);
}
