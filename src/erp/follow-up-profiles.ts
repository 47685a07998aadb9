// File layouts of the order follow-up flows (issue #10), declared beside the stock layout in
// src/erp/profile.ts: the ERP's document export (order-status) and its invoices (PDFs, an index CSV
// naming them, or invoice data to render). Built from profile.ts's own flow base and delimited format
// so that every delimited option of the stock flow applies here too.
import { z } from 'zod';
import { columnName } from './columns.ts';
import { ERP_STAGES } from '../../transforms/order-status/stages.ts';


export const DATE_FORMATS = ['dd/mm/yyyy', 'yyyymmdd', 'yyyy-mm-dd'] as const;
const dateFormat = z.enum(DATE_FORMATS).default('dd/mm/yyyy').describe('how the ERP writes dates (Sage, EBP: dd/mm/yyyy)');

export const OrderStatusColumnsSchema = z.strictObject({
  document: columnName.describe('ERP document number (Sage DO_Piece); may carry our own number WEB000042'),
  type: columnName.describe('document type: its values map to a stage through `stages` (Sage DO_Type)'),
  orderReference: columnName.describe('shop order reference or our document number (Sage DO_NoWeb; EBP: "Document importé n° WEB000042")'),
  reference: columnName.optional().describe('fallback reference when orderReference is empty (Sage DO_Ref)'),
  date: columnName.optional().describe('document date, checked against dateFormat'),
  tracking: columnName.optional().describe('carrier tracking number(s) of a delivery; several separated by , ; or |'),
  status: columnName.optional().describe('document state column; a value listed in cancelledValues means the order is cancelled'),
});

export function orderStatusFlowSchema<B extends z.ZodRawShape, D extends z.ZodRawShape>(flowBase: B, delimited: D) {
  return z.strictObject({
    ...flowBase,
    ...delimited,
    columns: OrderStatusColumnsSchema,
    stages: z.record(z.string().trim().min(1), z.enum(ERP_STAGES))
      .describe('value of the type column → ERP stage (BC, PL, BL, FA, ANNULE); other values are rejected'),
    cancelledValues: z.array(z.string().trim().min(1)).default([]).describe('values of the status column meaning cancelled'),
    dateFormat,
  });
}

export const InvoiceDataColumnsSchema = z.strictObject({
  invoice: columnName.describe('invoice number; the lines of one invoice share it'),
  date: columnName.describe('invoice date'),
  orderReference: columnName.describe('shop order reference or our document number WEB000042'),
  customerName: columnName.describe('billing name'),
  customerAddress: columnName.optional(),
  customerPostcode: columnName.optional(),
  customerCity: columnName.optional(),
  customerCountry: columnName.optional(),
  lineReference: columnName.optional().describe('article code'),
  designation: columnName.describe('line text'),
  quantity: columnName,
  unitPrice: columnName.describe('unit price excluding tax, before the line discount'),
  vatRate: columnName.describe('VAT rate in percent (20, 5,5)'),
  discountPercent: columnName.optional().describe('line discount in percent'),
  lineTotal: columnName.optional().describe('net line amount excluding tax, as the ERP computed it (checked)'),
  shipping: columnName.optional().describe('document-level shipping excluding tax (EBP « Frais de port HT »)'),
  shippingVatRate: columnName.optional(),
  documentTotal: columnName.optional().describe('invoice total including tax, as the ERP computed it (checked)'),
});

export const InvoiceIndexColumnsSchema = z.strictObject({
  file: columnName.describe('PDF file name as dropped'),
  invoice: columnName.describe('invoice number'),
  orderReference: columnName.describe('shop order reference or our document number WEB000042'),
});

export function invoicesFlowSchema<B extends z.ZodRawShape, D extends z.ZodRawShape>(flowBase: B, delimited: D) {
  return z.strictObject({
    ...flowBase,
    ...delimited,
    // The data export, when the ERP exports invoice lines instead of PDFs (rendered by prestasync).
    columns: InvoiceDataColumnsSchema,
    // A companion CSV naming PDFs whose file names do not follow invoices.fileNamePattern.
    index: z.strictObject({ columns: InvoiceIndexColumnsSchema }).optional(),
    dateFormat,
  });
}
