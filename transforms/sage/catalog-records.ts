// Format Sage records → the catalogue's canonical lines. Work in progress (issue #8): the Format Sage
// reader is not merged yet, so every record is rejected with a clear reason; the categories pipeline is
// not in the registry until it is.
import type { FileContext, Transformed } from '../../src/pipeline.ts';
import type { DocumentRecord } from '../../src/runner/process-document.ts';
import type { CategoryLine } from '../catalog/types.ts';

export function sageCategoryRecord(item: DocumentRecord, _ctx: FileContext): Transformed<CategoryLine> {
  return { line: item.line, reject: `enregistrement ${item.kind} : la lecture des familles Sage n'est pas encore disponible` };
}
