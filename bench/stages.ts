// Profiling aid (not part of `npm run bench`): CPU time of each stage of the stock flow's local work on a
// 100,000-line file, against a bare papaparse parse: where the ratio goes.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { readDelimited } from '../src/parse/delimited.ts';
import { loadProfile } from '../src/erp/profile.ts';
import { stockFlow } from '../src/erp/read-flow.ts';
import { toStockLine, StockAccumulator } from '../transforms/stock/lines.ts';

const N = Number(process.env.BENCH_LINES ?? 100_000);
const ref = (i: number) => `REF-${String(i).padStart(7, '0')}`;
const bytes = iconv.encode(['AR_Ref;DE_No;AS_QteSto;AS_QteRes', ...Array.from({ length: N }, (_, i) => `${ref(i)};1;${10 + (i % 500)},000;0,000`)].join('\r\n') + '\r\n', 'windows-1252');
const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'stages-')), 'stock.csv');
await fs.writeFile(file, bytes);
const flow = stockFlow(loadProfile('sage100'));

async function cpu(label: string, fn: () => Promise<unknown> | unknown): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const c = process.cpuUsage();
    await fn();
    const u = process.cpuUsage(c);
    times.push((u.user + u.system) / 1000);
  }
  process.stdout.write(`${label.padEnd(34)} min ${Math.min(...times).toFixed(0)} ms cpu\n`);
}

await cpu('bare papaparse (header, step)', () => {
  let rows = 0;
  Papa.parse<Record<string, string>>(iconv.decode(bytes, 'windows-1252'), { header: true, delimiter: ';', skipEmptyLines: true, step: () => { rows++; } });
  return rows;
});
await cpu('readDelimited (decode + parse)', async () => { let n = 0; for await (const r of readDelimited(file, { encoding: 'windows-1252', requiredColumns: ['AR_Ref', 'DE_No', 'AS_QteSto', 'AS_QteRes'] })) if (r) n++; return n; });
await cpu('+ toStockLine', async () => { let n = 0; for await (const r of readDelimited(file, { encoding: 'windows-1252', requiredColumns: ['AR_Ref', 'DE_No', 'AS_QteSto', 'AS_QteRes'] })) if (toStockLine(r, flow)) n++; return n; });
await cpu('+ accumulate', async () => {
  const acc = new StockAccumulator({ quantity: 'available', warehouses: [] });
  for await (const r of readDelimited(file, { encoding: 'windows-1252', requiredColumns: ['AR_Ref', 'DE_No', 'AS_QteSto', 'AS_QteRes'] })) { const t = toStockLine(r, flow); if (!('reject' in t)) acc.add(t); }
  let n = 0; for (const x of acc.results()) if (x) n++; return n;
});
