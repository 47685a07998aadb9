// Every pipeline prestasync runs, in dependency order. Explicit on purpose: no registration by import
// side effects, so a test loads exactly what it needs (STYLE.md §1).
import type { Pipeline } from '../src/pipeline.ts';
import { invoices } from './invoices.ts';
import { orderStatus } from './order-status.ts';
import { orders } from './orders.ts';
import { stock } from './stock.ts';

export const PIPELINES: readonly Pipeline[] = [stock, orders, orderStatus, invoices];
