// Line numbers as a report names them: « ligne 4 », « lignes 3 et 7 », « lignes 3, 7, 9… et 40 autres ».
import { frNumber } from '../../transforms/common/format.ts';

export function boundedLines(lines: readonly number[], max = 10): string {
  const shown = lines.slice(0, max).map((l) => frNumber(l));
  if (lines.length === 1) return `ligne ${shown[0]}`;
  if (lines.length <= max) return `lignes ${shown.slice(0, -1).join(', ')} et ${shown[shown.length - 1]}`;
  return `lignes ${shown.join(', ')}… et ${frNumber(lines.length - max)} autres`;
}
