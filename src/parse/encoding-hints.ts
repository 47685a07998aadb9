// What a file's bytes or text say about the encoding it really has, when it contradicts the declared one
// (issue #7): a reason that names the likely encoding and the profile setting saves the integrator a
// round of guessing. Only hints: the declared encoding stays the rule (LESSONS G1).
import type { Encoding } from './decode.ts';

export type Utf16 = 'utf-16le' | 'utf-16be';

/** `encoding: x` to set in the flow profile, as the integrator writes it. */
export function setting(enc: Encoding): string {
  return `déclarez « encoding: ${enc} » pour ce flux dans le profil ERP`;
}

export function utf16Bom(head: Buffer): Utf16 | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** ASCII text in UTF-16 has a NUL byte in every pair: at odd offsets (LE) or even ones (BE). */
export function utf16Pattern(bytes: Buffer): Utf16 | undefined {
  const n = Math.min(bytes.length, 512) & ~1;
  if (n < 4) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  const pairs = n / 2;
  if (odd >= pairs * 0.6 && even <= pairs * 0.1) return 'utf-16le';
  if (even >= pairs * 0.6 && odd <= pairs * 0.1) return 'utf-16be';
  return undefined;
}

/** cp850 letters of the bytes windows-1252 leaves undefined (a cp850 file read as cp1252 stops there). */
const CP850_OF_UNDEFINED_1252: Record<number, string> = { 0x81: 'ü', 0x8d: 'ì', 0x8f: 'Å', 0x90: 'É', 0x9d: 'Ø' };

/** A sentence to append to an invalid-byte reason, or ''. */
export function byteHint(declared: Encoding, byte: number): string {
  if (declared === 'windows-1252') {
    const letter = CP850_OF_UNDEFINED_1252[byte];
    return letter === undefined ? '' : ` En cp850 (DOS), cet octet est « ${letter} » : le fichier est probablement en cp850 ; ${setting('cp850')}.`;
  }
  if (declared === 'utf-8' || declared === 'utf-8-bom') {
    // the usual French accents: é è à ç ê in windows-1252, the same letters in cp850
    if ([0xe9, 0xe8, 0xe0, 0xe7, 0xea, 0xf4, 0xee, 0xfb, 0xf9, 0xc9].includes(byte)) {
      return ` Cet octet est une lettre accentuée en windows-1252 : le fichier est probablement en windows-1252 ; ${setting('windows-1252')}.`;
    }
    if ([0x82, 0x8a, 0x85, 0x87, 0x88, 0x93, 0x8c, 0x96, 0x97, 0x90].includes(byte)) {
      return ` Cet octet est une lettre accentuée en cp850 (DOS) : le fichier est probablement en cp850 ; ${setting('cp850')}.`;
    }
  }
  return '';
}

export interface Misread { pattern: RegExp; what: string; hint: string }

// UTF-8 read as a single-byte code page: `é` → `Ã©` (cp1252) or `├®` (cp850); `€’…` → `â€…`.
// On a UTF-8 file the same pattern means the text was encoded twice.
const UTF8_AS_1252 = /Ã[\u00A0-\u00BF€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]|â€|Å“|Â[\u00A0-\u00BF]/;
const UTF8_AS_850 = /[├┼][\u0080-\uFFFF]|Ôé¼|ÔÇ/;
// cp850 read as cp1252: é ‚, è Š, à …, ç ‡, ê ˆ, â ƒ, ë ‰, ï ‹, î Œ, ô “, û –, ù —. The first ones never sit
// against a letter in French text; … “ – — do, so they count only between two lowercase letters.
const CP850_AS_1252 = /[A-Za-z][‚‡ˆƒ‰‹]|[‚‡ˆƒ‰‹][a-z]|[a-z][ŠŒ]|[a-z][…“–—][a-z]/;
// windows-1252 read as cp850: é Ú, è Þ, à Ó, ç þ, ê Û — never after a lowercase letter in French text.
const CP1252_AS_850 = /[a-z][ÚÞÓþÛ]|[ÚÞÓþÛ][a-z]{2}/;

/** The patterns of text decoded with the wrong table, for a declared encoding: first match wins per line. */
export function misreadPatterns(declared: Encoding): Misread[] {
  switch (declared) {
    case 'windows-1252':
      return [
        { pattern: UTF8_AS_1252, what: "de l'UTF-8 lu en windows-1252", hint: '' },
        { pattern: CP850_AS_1252, what: 'du cp850 (DOS) lu en windows-1252', hint: ` : ${setting('cp850')}` },
      ];
    case 'cp850':
      return [
        { pattern: UTF8_AS_850, what: "de l'UTF-8 lu en cp850", hint: '' },
        { pattern: CP1252_AS_850, what: 'du windows-1252 lu en cp850', hint: ` : ${setting('windows-1252')}` },
      ];
    default:
      return [{ pattern: UTF8_AS_1252, what: "de l'UTF-8 encodé deux fois", hint: '' }];
  }
}
