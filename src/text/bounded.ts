// Lists that come from a file (column names, sheet names, first rows) go into reasons a person reads: the
// first items, then « … et N autres », a few hundred characters whatever the file holds (issue #7; a header
// of 2,000,000 columns once made a 62 MB reason). report.ts caps any reason at MAX_REASON_CHARS as a last
// resort; this keeps the list itself readable well under that cap.
import { frNumber } from '../../transforms/common/format.ts';

export interface BoundedOptions {
  /** Longest text for the listed items, separators included (default 300). */
  maxChars?: number;
  /** Most items shown (default 20). */
  maxItems?: number;
  /** Longest single item before it is cut with « … » (default 60). */
  maxItemChars?: number;
  /** How an item is shown (default « item »). */
  format?: (item: string) => string;
  separator?: string;
  /** What an empty list reads as (default « (aucune) »). */
  empty?: string;
}

export function boundedList(items: readonly string[], o: BoundedOptions = {}): string {
  const maxChars = o.maxChars ?? 300;
  const maxItems = o.maxItems ?? 20;
  const format = o.format ?? ((s: string) => `« ${s} »`);
  const separator = o.separator ?? ', ';
  if (items.length === 0) return o.empty ?? '(aucune)';
  let out = '';
  let shown = 0;
  for (const item of items) {
    if (shown >= maxItems) break;
    const piece = (shown > 0 ? separator : '') + format(cut(item, o.maxItemChars ?? 60));
    // the first item is always shown (cut), the others only whole
    if (shown > 0 && out.length + piece.length > maxChars) break;
    out += piece;
    shown++;
  }
  const rest = items.length - shown;
  return rest > 0 ? `${out} … et ${frNumber(rest)} autre${rest > 1 ? 's' : ''}` : out;
}

/** One text cut to `max` characters with « … », never inside a surrogate pair. */
export function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 1;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${s.slice(0, end)}…`;
}
