// Test-side reader of the EBP `;` order file (EBP_DIVALTO.md §1.2-1.4), independent of the writer.
import iconv from 'iconv-lite';

export interface EbpFile { header: string[]; rows: Record<string, string>[]; raw: string[][]; bom: boolean }

export function parseEbp(bytes: Buffer, encoding: 'windows-1252' | 'utf-8'): EbpFile {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const text = encoding === 'utf-8' ? bytes.subarray(bom ? 3 : 0).toString('utf8') : iconv.decode(bytes, 'windows-1252');
  if (/(^|[^\r])\n/.test(text)) throw new Error('lone LF in file');
  const lines = text.replace(/\r\n$/, '').split('\r\n');
  const raw = lines.map((l) => l.split(';'));
  const header = raw[0] ?? [];
  const rows = raw.slice(1).map((cells) => {
    if (cells.length !== header.length) throw new Error(`row has ${cells.length} fields, header ${header.length}: ${cells.join(';')}`);
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
  return { header, rows, raw, bom };
}

export function ebpNumber(text: string): number {
  if (!/^-?\d+(,\d+)?$/.test(text)) throw new Error(`not an EBP decimal: ${JSON.stringify(text)}`);
  return Number(text.replace(',', '.'));
}

/** EBP arithmetic seen on real documents: unit discount rounded to the cent, × quantity, rounded. */
export function ebpDocumentTotalCents(rows: Record<string, string>[]): number {
  const cents = (x: number): number => Math.round(x * 100 + 1e-9);
  let lines = 0;
  for (const r of rows) {
    const pv = ebpNumber(r['Ligne - PV HT'] ?? '');
    const unitDiscount = cents(pv * ebpNumber(r['Ligne - % remise unitaire cumulé'] ?? '') / 100) / 100;
    lines += cents((pv - unitDiscount) * ebpNumber(r['Ligne - Quantité'] ?? ''));
  }
  const first = rows[0] ?? {};
  const discount = cents((lines / 100) * ebpNumber(first['Document - % remise'] ?? '') / 100);
  return lines - discount + cents(ebpNumber(first['Document - Frais de port HT'] ?? ''));
}
