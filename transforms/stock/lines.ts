// The stock transforms, as the stock pipeline uses them: row → StockLine (per warehouse), then the
// per-reference sum.
export { toStockLine, isStockReject, type StockLine, type StockReject } from './stock-line.ts';
export {
  MAX_QUANTITY, StockAccumulator, isStockLineReject, sumByReference, sumByReferenceWithStats,
  type StockLineReject, type StockRecord, type StockSumOptions, type StockSumStats,
} from './sum-by-reference.ts';
