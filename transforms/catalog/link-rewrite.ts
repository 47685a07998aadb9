// PrestaShop's friendly URL of a name (Tools::str2url with PS_ALLOW_ACCENTED_CHARS_URL off): lower case,
// accents folded, every character outside [a-z0-9 '-:/[]] dropped (« & », « . », « , » vanish: 1.5 kg →
// 15-kg, as the back office would make it), each run of spaces and ' : / [ ] - one '-'; and, unlike the
// shop, no '-' left at either end; at most 128 characters (the field's size).
const FOLD: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', ł: 'l', þ: 'th', ı: 'i' };

export function linkRewrite(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[ßæœøđðłþı]/g, (c) => FOLD[c] ?? c)
    .replace(/[^a-z0-9\s':/[\]-]/g, '')
    .replace(/[\s':/[\]-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 128)
    .replace(/-+$/, '');
}
