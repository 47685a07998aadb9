// Recognise a file by its first bytes when its name says nothing (drop/ without a flow folder, odd names).
// Decoding here is lenient on purpose: the file is decoded strictly later, by the flow that claims it.
import iconv from 'iconv-lite';
import type { ErpProfile, FlowName, FlowProfile } from './profile.ts';
import { flowColumns } from './profile.ts';
import { utf16Bom, utf16Pattern } from '../parse/encoding-hints.ts';

export interface Sniffed {
  flow?: FlowName;
  /** 'format-sage' (Sage #FLG flat file), 'xlsx' (a zip workbook), 'delimited'. */
  format?: string;
  /** Name of the profile whose columns matched. */
  profile?: string;
}

const DELIMITERS = [';', ',', '\t', '|'];

export function sniffFlow(firstBytes: Buffer, profiles: ErpProfile | readonly ErpProfile[] = []): Sniffed {
  let bytes = firstBytes;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  // Sage "Format Sage" export (ERP_FORMATS.md §1.1): `#FLG 000` then `#VER n`; its flow is told by the
  // record flags further down, which no flow handles yet — the engine quarantines it with that message.
  if (bytes.subarray(0, 4).toString('latin1') === '#FLG') return { format: 'format-sage' };
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return { format: 'xlsx' };

  // a UTF-16 file is recognised whatever the flow declares: its reader then names the encoding to set
  const wide = utf16Bom(bytes) ?? utf16Pattern(bytes);
  const wideLine = wide === undefined ? undefined : (iconv.decode(bytes, wide).split(/\r\n|\r|\n/)[0] ?? '');
  let end = bytes.indexOf(10);
  if (end === -1) end = bytes.length;
  const firstLine = bytes.subarray(0, end);
  for (const profile of Array.isArray(profiles) ? profiles : [profiles as ErpProfile]) {
    for (const [flow, def] of Object.entries(profile.flows) as Array<[string, FlowProfile | undefined]>) {
      if (def === undefined || def.format !== 'delimited') continue;
      const wanted = flowColumns(def).map(fold);
      const text = wideLine ?? iconv.decode(firstLine, def.encoding === 'utf-8-bom' ? 'utf-8' : def.encoding).replace(/\r$/, '');
      const delimiters = def.delimiter === 'auto' ? DELIMITERS : [def.delimiter];
      for (const d of delimiters) {
        const columns = new Set(text.split(d).map((c) => fold(c.trim().replace(/^"(.*)"$/, '$1').trim())));
        if (wanted.every((w) => columns.has(w))) return { flow: flow as FlowName, format: 'delimited', profile: profile.name };
      }
    }
  }
  return {};
}

function fold(s: string): string {
  return s.normalize('NFC').toLowerCase();
}
