// Test-side reader of Format Sage files, written from ERP_FORMATS.md §1.1 (not from the writer's code).
import iconv from 'iconv-lite';

export interface SageRecord { flag: string; fields: string[] }

export interface SageFile { lines: string[]; records: SageRecord[]; hasLoneLf: boolean; hasLoneCr: boolean }

const FLAGS = new Set(['#FLG', '#VER', '#CHEN', '#CHLI', '#CHRE', '#CCLI', '#CCDL', '#FIN']);

export function parseSage(bytes: Buffer): SageFile {
  const text = iconv.decode(bytes, 'cp850');
  const hasLoneLf = /(^|[^\r])\n/.test(text);
  const hasLoneCr = /\r(?!\n)/.test(text);
  if (!text.endsWith('\r\n')) throw new Error('file does not end with CRLF');
  const lines = text.slice(0, -2).split('\r\n');
  const records: SageRecord[] = [];
  for (const line of lines) {
    const head = line.split(' ')[0] ?? '';
    if (/^#[A-Z0-9]{3,12}$/.test(head) && FLAGS.has(head)) {
      records.push({ flag: head, fields: line.length > head.length ? [line.slice(head.length + 1)] : [] });
    } else {
      const current = records[records.length - 1];
      if (!current) throw new Error(`data before any flag: ${line}`);
      current.fields.push(line);
    }
  }
  return { lines, records, hasLoneLf, hasLoneCr };
}

/** Field n (1-based) of a record. */
export function field(r: SageRecord, n: number): string {
  const v = r.fields[n - 1];
  if (v === undefined) throw new Error(`${r.flag} has no field ${n}`);
  return v;
}

/** "16,3875" → 16.3875 (refuses a dot: Sage wants the comma). */
export function sageNumber(text: string): number {
  if (!/^-?\d+(,\d+)?$/.test(text)) throw new Error(`not a Sage decimal: ${JSON.stringify(text)}`);
  return Number(text.replace(',', '.'));
}

/** Line amount HT as Sage computes it from #CHLI 12 (PU), 14 (qty), 19 (remise `10%` or `0,50U`). */
export function chliAmountCents(r: SageRecord): number {
  const pu = sageNumber(field(r, 12));
  const qty = sageNumber(field(r, 14));
  const remise = field(r, 19);
  let net = pu * qty;
  if (remise.endsWith('%')) net = net * (1 - sageNumber(remise.slice(0, -1)) / 100);
  else if (remise.endsWith('U')) net = (pu - sageNumber(remise.slice(0, -1))) * qty;
  else if (remise !== '') throw new Error(`unexpected remise ${remise}`);
  return Math.round(net * 100 + 1e-6);
}
