// File layouts of the catalogue flows (issue #8) for the ERPs whose families and articles come as plain
// exports (EBP, Divalto), declared beside the stock layout in src/erp/profile.ts and built from its flow
// base and formats, so that every delimited / workbook option of the stock flow applies here too.
import { z } from 'zod';
import { columnName } from './columns.ts';


export const CategoryColumnsSchema = z.strictObject({
  code: columnName.describe('family code: the key of the category'),
  name: columnName.describe('family label: the category name'),
  parent: columnName.optional().describe('code of the parent family; absent or empty = under catalog.rootCategory'),
});

/** A second file of the same flow (EBP: sub-families under their families), told apart by its header. */
export const SubCategoryColumnsSchema = z.strictObject({
  code: columnName.describe('sub-family code; a file whose header holds this column is read with this layout'),
  name: columnName.describe('sub-family label'),
  parent: columnName.describe('code of its family'),
});

export const ProductColumnsSchema = z.strictObject({
  recordType: columnName.optional().describe('record type column of a multi-record sheet (Divalto FICHE): only its `recordTypes` rows are articles'),
  reference: columnName.describe('article code: the product reference'),
  name: columnName.describe('designation: the product name in every language'),
  priceTaxExcl: columnName.describe('sale price tax excluded'),
  vatRate: columnName.optional().describe('VAT rate in percent (EBP « Taux de TVA »: 20,00)'),
  vatCode: columnName.optional().describe('VAT code, turned into a rate by `vatCodes` (Divalto ART.TVAART)'),
  family: columnName.optional().describe('family code → the category key FAM:<code>'),
  subFamily: columnName.optional().describe('sub-family code → SFAM:<code>, under its family'),
  ean13: columnName.optional().describe('barcode; kept only with exactly 13 digits'),
  weightKg: columnName.optional().describe('net weight in kilograms'),
  unity: columnName.optional().describe('sales unit label → unity, with unit_price = price / unitPriceRatio'),
  unitPriceRatio: columnName.optional().describe('how many sales units one item holds (0,25: 250 g sold by the kg); absent or empty = 1'),
  images: columnName.optional().describe('images: an http(s) URL or a path inside the drop folder, `|` between several, the first the cover'),
  state: columnName.optional().describe('EBP ActiveState: 0 actif, 1 en sommeil, 2 bloqué, 3 partiellement bloqué'),
  active: columnName.optional().describe('generic mapping: 1 / 0, oui / non, true / false, actif / inactif; empty = active'),
  endDate: columnName.optional().describe('end of validity (Divalto ART.HSDT, ISO date): inactive from that day'),
});

export function categoriesFlowSchema<B extends z.ZodRawShape, D extends z.ZodRawShape, X extends z.ZodRawShape, M extends z.ZodRawShape>(flowBase: B, delimited: D, xlsx: X, xml: M) {
  const extra = {
    columns: CategoryColumnsSchema,
    subFamilies: SubCategoryColumnsSchema.optional(),
  };
  return z.discriminatedUnion('format', [
    z.strictObject({ ...flowBase, ...delimited, ...extra }),
    z.strictObject({ ...flowBase, ...xlsx, ...extra }),
    z.strictObject({ ...flowBase, ...xml, ...extra }),
  ]);
}

export function productsFlowSchema<B extends z.ZodRawShape, D extends z.ZodRawShape, X extends z.ZodRawShape, M extends z.ZodRawShape>(flowBase: B, delimited: D, xlsx: X, xml: M) {
  const extra = {
    columns: ProductColumnsSchema,
    recordTypes: z.array(z.string().trim().min(1)).default(['ART'])
      .describe('values of the recordType column that are articles; the other records are reported, not read'),
    vatCodes: z.record(z.string().trim().min(1), z.string().regex(/^\d+([.,]\d+)?$/, 'taux de TVA attendu, ex. "20" ou "5.5"')).default({})
      .describe('VAT code → rate in percent, for an ERP that exports codes (Divalto TVAART); a code not listed is a reject'),
  };
  return z.discriminatedUnion('format', [
    z.strictObject({ ...flowBase, ...delimited, ...extra }),
    z.strictObject({ ...flowBase, ...xlsx, ...extra }),
    z.strictObject({ ...flowBase, ...xml, ...extra }),
  ]);
}
