// Profiling aid (not part of `npm run bench`): the « nothing changed » case of the stock bench in one
// process, so that `node --cpu-prof --import tsx bench/local-profile.ts` shows where local time goes.
import { promises as fs, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { validateConfig, type LoadedConfig } from '../src/config/load.ts';
import { Engine } from '../src/engine.ts';
import { silentLogger } from '../src/log.ts';
import { startSandbox } from '../src/sandbox/index.ts';
import { PIPELINES } from '../pipelines/registry.ts';

const N = Number(process.env.BENCH_LINES ?? 100_000);
const ref = (i: number) => `REF-${String(i).padStart(7, '0')}`;
const file = (q: (i: number) => number) => iconv.encode(['AR_Ref;DE_No;AS_QteSto;AS_QteRes', ...Array.from({ length: N }, (_, i) => `${ref(i)};1;${q(i)},000;0,000`)].join('\r\n') + '\r\n', 'windows-1252');
const shop = await startSandbox({ seed: { products: Array.from({ length: N }, (_, i) => ({ reference: ref(i), name: `A${i}`, price: '1.000000', quantity: 10 + (i % 500) })) } });
const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'prestasync-prof-'));
const raw = { erp: { profile: 'sage100' }, shop: { url: shop.url, key: shop.key }, paths: { drop: path.join(dir, 'drop'), archive: path.join(dir, 'archive'), outbox: path.join(dir, 'outbox'), state: path.join(dir, 'state.sqlite'), logs: path.join(dir, 'logs') }, intake: { stableMs: 0 } };
const loaded: LoadedConfig = { ...validateConfig(raw, {}), file: path.join(dir, 'c.json') };
const engine = await Engine.open(loaded, { log: silentLogger(), pipelines: PIPELINES });
await fs.writeFile(path.join(loaded.config.paths.drop, 'a.csv'), file((i) => 10 + (i % 500)));
await engine.runOnce();
const session = new Session();
if (process.env.PROFILE) {
  session.connect();
  await session.post('Profiler.enable');
}
const ROUNDS = Number(process.env.ROUNDS ?? 3);
let bestLocal = Infinity;
let bestBare = Infinity;
for (let k = 0; k < ROUNDS; k++) {
  const bytes = file((i) => 10 + (i % 500) + (k === 0 ? 0 : 0));
  const copy = Buffer.concat([bytes, Buffer.from('\r\n'.repeat(k + 1))]);
  await fs.writeFile(path.join(loaded.config.paths.drop, `b${k}.csv`), copy);
  const t = performance.now();
  if (process.env.PROFILE && k === ROUNDS - 1) await session.post('Profiler.start');
  const c1 = process.cpuUsage();
  await engine.runOnce();
  const localCpu = process.cpuUsage(c1);
  process.stdout.write(`requests so far ${shop.requests.length}; `);
  if (process.env.PROFILE && k === ROUNDS - 1) writeFileSync(process.env.PROFILE, JSON.stringify((await session.post('Profiler.stop')).profile));
  const local = performance.now() - t;
  const t2 = performance.now();
  const c2 = process.cpuUsage();
  let rows = 0;
  Papa.parse<Record<string, string>>(iconv.decode(copy, 'windows-1252'), { header: true, delimiter: ';', skipEmptyLines: true, step: () => { rows++; } });
  if (rows !== N) throw new Error(`bare parse read ${rows} rows`);
  const bare = performance.now() - t2;
  const bareCpu = process.cpuUsage(c2);
  const cpu = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
  bestLocal = Math.min(bestLocal, local);
  bestBare = Math.min(bestBare, bare);
  process.stdout.write(`local ${local.toFixed(0)} ms (cpu ${cpu(localCpu).toFixed(0)}), bare parse ${bare.toFixed(0)} ms (cpu ${cpu(bareCpu).toFixed(0)}): ${(local / bare).toFixed(2)}×, cpu ${(cpu(localCpu) / cpu(bareCpu)).toFixed(2)}×\n`);
}
process.stdout.write(`best local ${bestLocal.toFixed(0)} ms against best bare parse ${bestBare.toFixed(0)} ms: ${(bestLocal / bestBare).toFixed(2)}×\n`);
engine.close();
await shop.close();
await fs.rm(dir, { recursive: true, force: true });
