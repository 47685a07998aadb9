// Format Sage records (src/erp/format-sage/format.ts) → the catalogue's canonical lines: the
// `documents['format-sage']` transforms of the categories and products pipelines.
import type { FileContext, Transformed } from '../../src/pipeline.ts';
import type { DocumentRecord } from '../../src/runner/process-document.ts';
import type { CategoryLine, ProductLine } from '../catalog/types.ts';
import { sageCatalogueToCategory, sageFamilyToCategory } from './categories.ts';
import { sageArticleToProduct, type SageProductOptions } from './product.ts';
import type { SageArticleRow, SageCatalogueRow, SageFamilyRow } from './rows.ts';

const NO_TABLES = new Map<string, ReadonlyMap<string, unknown>>();

export function sageCategoryRecord(item: DocumentRecord, ctx: FileContext): Transformed<CategoryLine> {
  const tables = ctx.document?.tables ?? NO_TABLES;
  if (item.kind === 'famille') return sageFamilyToCategory(item.row as SageFamilyRow, tables);
  if (item.kind === 'catalogue') return sageCatalogueToCategory(item.row as SageCatalogueRow, tables);
  return { line: item.line, reject: `enregistrement ${item.kind} : pas une famille ni un nœud de catalogue` };
}

/** `rates`: the VAT rates the shop can apply, when the pipeline knows them before the transforms run. */
export function sageProductRecord(item: DocumentRecord, ctx: FileContext, rates?: ReadonlySet<string>): Transformed<ProductLine> {
  if (item.kind !== 'article') return { line: item.line, reject: `enregistrement ${item.kind} : pas un article` };
  const options: SageProductOptions = { languages: ctx.config.catalog.languages, defaultLanguage: ctx.config.shop.language, ...(rates ? { rates } : {}) };
  return sageArticleToProduct(item.row as SageArticleRow, ctx.document?.tables ?? NO_TABLES, options);
}
