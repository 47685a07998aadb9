// Public API of the orders transforms (issue 3): pure functions the engine's outbox builds on.
export type { ErpAddress, ErpCustomer, ErpOrder, ErpOrderDiscount, ErpOrderLine, ErpOrderTotals, LineDiscount } from './model.ts';
export type { Micros } from './money.ts';
export { formatEuros, parseMicros } from './money.ts';
export { erpCodeFromNote, toErpOrder } from './from-prestashop.ts';
export type { PrestaShopOrderSource, PsAddress, PsCustomer, PsOrder, PsOrderCartRule, PsOrderDetail, PsOrderRow } from './from-prestashop.ts';
export { checkTotals } from './check.ts';
export type { CheckResult, ExportedAmount } from './check.ts';
export { batchFileName, customerCodeFor, documentNumber, orderFileName, OrderHeld } from './common.ts';
export type { ErpFile, ErpKind } from './common.ts';
export { checkSageOrder, sageLines, writeSage100 } from './sage100.ts';
export { checkEbpOrder, EBP_IMPORT_TABLE, EBP_ORDER_HEADER, ebpImportCommand, writeEbp } from './ebp.ts';
export { checkDivaltoOrder, DIVALTO_TYPE_PIECE, writeDivalto, writeDivaltoBatch } from './divalto.ts';
export { DEFAULT_DIVALTO_COLUMNS } from './divalto-template.ts';
export type { DivaltoColumn } from './divalto-template.ts';
export { writeCancellationNotice } from './cancellation.ts';
export type { CancellationNotice } from './cancellation.ts';
export { checkOrderFor, writeOrdersFor } from './write.ts';
