// Sage families (#CFAM) and catalogue nodes (#CCATAL) → category lines (transforms/catalog/types.ts).
// The catalogue is the tree when the dossier has one; the families are then only the VAT of their
// articles (src/erp/format-sage/format.ts decides which reach the categories flow).
import type { Transformed } from '../../src/pipeline.ts';
import type { CategoryLine } from '../catalog/types.ts';
import { catalogueKey, familyKey, sameLabel } from './keys.ts';
import type { SageCatalogueRow, SageFamilyRow } from './rows.ts';
import type { SageTables } from './tables.ts';

/** A family under its centralising family (#CFAM 10), else under the root; active when published (#CFAM 31). */
export function sageFamilyToCategory(row: SageFamilyRow, _tables: SageTables): Transformed<CategoryLine> {
  const code = row.code.trim();
  if (code === '') return { line: row.line, reject: `famille sans code (ligne ${row.line + 1})` };
  const key = familyKey(code);
  const name = row.label.trim();
  if (name === '') return { line: row.line, key, reject: `famille ${code} sans intitulé (ligne ${row.line + 3})` };
  const central = row.centralising.trim();
  const parentKey = central !== '' && !sameLabel(central, code) ? familyKey(central) : null;
  return { line: row.line, key, record: { key, name, parentKey, active: row.published.trim() === '1' } };
}

/** A catalogue node under the node its path names (the reader placed it by its parent's label). */
export function sageCatalogueToCategory(row: SageCatalogueRow, _tables: SageTables): Transformed<CategoryLine> {
  if (!row.path) return { line: row.line, reject: `nœud de catalogue « ${row.label.trim()} » non placé dans l'arbre : ${row.problem ?? 'parent inconnu'}` };
  const key = catalogueKey(row.path);
  const parentKey = row.path.length > 1 ? catalogueKey(row.path.slice(0, -1)) : null;
  const movedFrom = row.movedFrom ? { movedFrom: catalogueKey(row.movedFrom) } : {};
  return { line: row.line, key, record: { key, name: row.path[row.path.length - 1]!, parentKey, active: true, ...movedFrom } };
}
