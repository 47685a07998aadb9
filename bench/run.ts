// `npm run bench`: the figures the README quotes. Not a test: it prints what it measures.
//   1. stock, 100,000-line cp1252 file, 1 % of quantities changed: writes made (must equal the changed lines)
//   2. local processing of a 100,000-line file (nothing to write) against a bare papaparse parse: ratio
//   3. peak RSS of a process handling a 1,000,000-line file
//   4. orders: 10,000 orders exported, time per order
import { spawn } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { validateConfig, type LoadedConfig } from '../src/config/load.ts';
import { Engine } from '../src/engine.ts';
import { silentLogger } from '../src/log.ts';
import { startSandbox, type SandboxShop } from '../src/sandbox/index.ts';
import { PIPELINES } from '../pipelines/registry.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.env.BENCH_LINES ?? 100_000);
const BIG = Number(process.env.BENCH_BIG_LINES ?? 1_000_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 10_000);
const work = path.join(ROOT, '.bench', new Date().toISOString().replace(/[:.]/g, '-'));
const ref = (i: number) => `REF-${String(i).padStart(7, '0')}`;
const out = (s: string) => process.stdout.write(`${s}\n`);

function stockFile(lines: Array<[string, string, number, number]>): Buffer {
  const text = ['AR_Ref;DE_No;AS_QteSto;AS_QteRes', ...lines.map(([r, d, q, res]) => `${r};${d};${q},000;${res},000`)].join('\r\n');
  return iconv.encode(`${text}\r\n`, 'windows-1252');
}

function configFor(shop: SandboxShop, name: string): LoadedConfig {
  const dir = path.join(work, name);
  const raw = {
    erp: { profile: 'sage100' },
    shop: { url: shop.url, key: shop.key },
    paths: { drop: path.join(dir, 'drop'), archive: path.join(dir, 'archive'), outbox: path.join(dir, 'outbox'), state: path.join(dir, 'state.sqlite'), logs: path.join(dir, 'logs') },
    intake: { stableMs: 0 },
    orders: { since: '2000-01-01' },
  };
  return { ...validateConfig(raw, {}), file: path.join(dir, 'config.json') };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

async function runFile(engine: Engine, loaded: LoadedConfig, name: string, bytes: Buffer) {
  await fs.writeFile(path.join(loaded.config.paths.drop, name), bytes);
  return timed(() => engine.runOnce());
}

function bareParse(bytes: Buffer): number {
  let rows = 0;
  Papa.parse<Record<string, string>>(iconv.decode(bytes, 'windows-1252'), { header: true, delimiter: ';', skipEmptyLines: true, step: () => { rows++; } });
  return rows;
}

async function stockBench(): Promise<void> {
  const base = Array.from({ length: N }, (_, i) => 10 + (i % 500));
  const shop = await startSandbox({ seed: { products: base.map((q, i) => ({ reference: ref(i), name: `Article ${i}`, price: '1.000000', quantity: q })) } });
  try {
    const loaded = configFor(shop, 'stock');
    await fs.mkdir(path.dirname(loaded.file), { recursive: true });
    await fs.writeFile(loaded.file, JSON.stringify({ ...loaded.config }, null, 2));
    const engine = await Engine.open(loaded, { log: silentLogger(), pipelines: PIPELINES });
    const patches = () => shop.requests.filter((r) => r.method === 'PATCH' && r.status === 200).length;

    // First sight of every reference: look-ups, identities remembered, nothing to write.
    const first = await runFile(engine, loaded, 'stock_initial.csv', stockFile(base.map((q, i) => [ref(i), '1', q, 0])));
    out(`stock, first run, ${N.toLocaleString('en')} lines (identity look-ups): ${(first.ms / 1000).toFixed(1)} s, ${shop.requests.length} requests, ${patches()} writes`);

    const changed = base.map((q, i) => (i % 100 === 7 ? q + 3 : q));
    const expected = changed.filter((q, i) => q !== base[i]).length;
    const before = patches();
    const second = await runFile(engine, loaded, 'stock_1pct.csv', stockFile(changed.map((q, i) => [ref(i), '1', q, 0])));
    const writes = patches() - before;
    out(`stock, ${N.toLocaleString('en')} lines, 1 % changed: ${writes} writes for ${expected} changed lines (${writes === expected ? 'minimum' : 'NOT the minimum'}), ${(second.ms / 1000).toFixed(2)} s`);

    // Same data, new file (other order of lines): all local work, no write.
    const reordered = stockFile(changed.map((q, i) => [ref(i), '1', q, 0] as [string, string, number, number]).reverse());
    const reqBefore = shop.requests.length;
    const local = await runFile(engine, loaded, 'stock_same.csv', reordered);
    const parse = await timed(async () => bareParse(reordered));
    await timed(async () => bareParse(reordered)); // second parse: JIT warmed, the fairer figure
    const parse2 = await timed(async () => bareParse(reordered));
    const bare = Math.min(parse.ms, parse2.ms);
    out(`stock, ${N.toLocaleString('en')} lines, nothing changed: ${(local.ms / 1000).toFixed(2)} s, ${shop.requests.length - reqBefore} requests, ${patches() - before - writes} writes`);
    out(`local processing vs bare papaparse parse (${(bare / 1000).toFixed(2)} s): ratio ${(local.ms / bare).toFixed(1)}×`);
    engine.close();

    // 1,000,000 lines: the same references over 10 warehouses, in a child process whose peak RSS is read.
    const perWarehouse = Math.ceil(BIG / N);
    const bigLines: Array<[string, string, number, number]> = [];
    for (let w = 0; w < perWarehouse; w++) {
      for (let i = 0; i < N && bigLines.length < BIG; i++) bigLines.push([ref(i), String(w + 1), w === 0 ? changed[i]! : 0, 0]);
    }
    const bigFile = path.join(work, 'stock_1m.csv');
    await fs.writeFile(bigFile, stockFile(bigLines));
    const child = await timed(() => runChild(loaded.file, loaded.config.paths.drop, bigFile, []));
    out(`stock, ${bigLines.length.toLocaleString('en')} lines in a fresh process: ${(child.ms / 1000).toFixed(1)} s, peak RSS ${child.value} MB (V8's default heap growth)`);
    // The same with a capped heap: what stays live is small; the default peak is garbage V8 collects late.
    const capped = await timed(() => runChild(loaded.file, loaded.config.paths.drop, bigFile, ['--max-old-space-size=128']));
    out(`stock, ${bigLines.length.toLocaleString('en')} lines, node --max-old-space-size=128: ${(capped.ms / 1000).toFixed(1)} s, peak RSS ${capped.value} MB`);
  } finally {
    await shop.close();
  }
}

/** Processes `file` (a new copy each time: the same bytes twice would be a duplicate) in a child process. */
async function runChild(configFile: string, dropDir: string, file: string, nodeFlags: string[]): Promise<number> {
  const copy = path.join(dropDir, path.basename(file).replace(/\.csv$/, `-${Date.now()}.csv`));
  await fs.copyFile(file, copy);
  await fs.appendFile(copy, '\r\n'.repeat(1 + (Date.now() % 97)));
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', path.join(ROOT, 'bench', 'rss-child.ts'), configFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    p.stdout.on('data', (d: Buffer) => { text += d.toString(); });
    p.on('exit', (code) => {
      const m = /files=done peakRssMb=(\d+)/.exec(text);
      if (code === 0 && m) resolve(Number(m[1]));
      else reject(new Error(`rss child failed (${code}): ${text}`));
    });
  });
}

async function ordersBench(): Promise<void> {
  const shop = await startSandbox({ seed: { products: [{ reference: 'VIS-4X40', name: 'Vis', price: '8.250000' }, { reference: 'CHEVILLE-6', name: 'Cheville', price: '4.900000' }] } });
  try {
    const { webOrder } = await import('../test/support/orders.ts');
    for (let i = 1; i <= ORDERS; i++) shop.store.placeOrder(webOrder(i));
    const loaded = configFor(shop, 'orders');
    const engine = await Engine.open(loaded, { log: silentLogger(), pipelines: PIPELINES });
    const run = await timed(() => engine.runOnce({ pipeline: 'orders' }));
    const files = (await fs.readdir(loaded.config.paths.outbox)).filter((f) => !f.startsWith('.')).length;
    out(`orders: ${ORDERS.toLocaleString('en')} orders exported to ${files} Sage files in ${(run.ms / 1000).toFixed(1)} s — ${(run.ms / ORDERS).toFixed(2)} ms per order (${shop.requests.length} requests)`);
    engine.close();
  } finally {
    await shop.close();
  }
}

out(`prestasync bench — node ${process.version}, ${new Date().toISOString()}`);
await fs.mkdir(work, { recursive: true });
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
out(`version ${pkg.version}; scratch folder ${path.relative(ROOT, work)}`);
await stockBench();
await ordersBench();
