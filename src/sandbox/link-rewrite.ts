// Tools::link_rewrite / Tools::str2url as PrestaShop runs them with PS_ALLOW_ACCENTED_CHARS_URL off (the
// default): lower case, accents replaced, every character outside [a-z0-9 ':/[]-] dropped (so "_", "." and
// "," vanish rather than becoming "-"), runs of separators turned into one "-". Leading and trailing dashes
// are kept, as the PHP does. [SRC classes/Tools.php str2url, replaceAccentedChars]
// WEBSERVICE.md §6.1: a category link_rewrite "bad rewrite é" was stored as "bad-rewrite-e" [LIVE].

/** Letters replaceAccentedChars spells out with more than their base letter (NFD alone would drop them). */
const SPELLED: Record<string, string> = { æ: 'ae', œ: 'oe', ß: 'ss', ø: 'o', đ: 'd', ð: 'd', ł: 'l', þ: 'th', ĳ: 'ij' };

export function linkRewrite(input: string): string {
  let s = input.trim().toLowerCase();
  s = [...s].map((c) => SPELLED[c] ?? c).join('').normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  s = s.replace(/[^a-zA-Z0-9\s':/[\]-]/g, '');
  s = s.replace(/[\s':/[\]-]+/g, ' ');
  return s.replace(/[ /]/g, '-');
}
