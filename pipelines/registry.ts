// Every pipeline prestasync runs, in dependency order, and the multi-flow documents whose records they share.
// Explicit on purpose: no registration by import side effects, so a test loads exactly what it needs
// (STYLE.md §1).
import type { DocumentFormat } from '../src/document.ts';
import { formatSage } from '../src/erp/format-sage/format.ts';
import type { Pipeline } from '../src/pipeline.ts';
import { categories } from './categories.ts';
import { customers } from './customers.ts';
import { invoices } from './invoices.ts';
import { orderStatus } from './order-status.ts';
import { orders } from './orders.ts';
import { prices } from './prices.ts';
import { products } from './products.ts';
import { stock } from './stock.ts';

// prices last: after products and customers (its dependsOn)
export const PIPELINES: readonly Pipeline[] = [categories, products, customers, stock, orders, orderStatus, invoices, prices];

/** Files recognised by their content wherever dropped, each record going to the pipeline of its kind. */
export const DOCUMENT_FORMATS: readonly DocumentFormat[] = [formatSage];
