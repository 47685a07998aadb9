// Stock figures: first sight of 100,000 references (look-ups per resource against ⌈n / 50⌉), 1 % changed
// (writes against the changed lines), nothing changed (local work against a bare parse), and the peak
// memory of a 1,000,000-line file in a fresh process.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Engine } from '../src/engine.ts';
import { silentLogger } from '../src/log.ts';
import { startSandbox } from '../src/sandbox/index.ts';
import { PIPELINES } from '../pipelines/registry.ts';
import { bareParseMs, configFor, figure, ref, ROOT, stockFile, timed, WORK } from './support.ts';

export async function stockBench(n: number, big: number): Promise<void> {
  const base = Array.from({ length: n }, (_, i) => 10 + (i % 500));
  const shop = await startSandbox({ seed: { products: base.map((q, i) => ({ reference: ref(i), name: `Article ${i}`, price: '1.000000', quantity: q })) } });
  try {
    const loaded = await configFor(shop, 'stock');
    const engine = await Engine.open(loaded, { log: silentLogger(), pipelines: PIPELINES });
    const patches = () => shop.requests.filter((r) => r.method === 'PATCH' && r.status === 200).length;
    const drop = async (name: string, bytes: Buffer) => {
      await fs.writeFile(path.join(loaded.config.paths.drop, name), bytes);
      return timed(() => engine.runOnce());
    };

    const first = await drop('stock_initial.csv', stockFile(base.map((q, i) => [ref(i), '1', q, 0])));
    const lookups = (p: string) => shop.requests.filter((r) => r.path === p && Object.keys(r.query).some((k) => k.startsWith('filter['))).length;
    const minimum = Math.ceil(n / 50);
    figure({ what: `stock, first sight of ${n.toLocaleString('en')} references`, value: `${(first.ms / 1000).toFixed(1)} s, ${shop.requests.length} requests, ${patches()} writes` });
    const products = lookups('/api/products');
    const rows = lookups('/api/stock_availables');
    figure({ what: 'look-ups per resource on a first run', value: `products ${products}, stock rows ${rows} (⌈n / 50⌉ = ${minimum})`, goal: '⌈n / 50⌉', ok: products === minimum && rows === minimum });

    const changed = base.map((q, i) => (i % 100 === 7 ? q + 3 : q));
    const expected = changed.filter((q, i) => q !== base[i]).length;
    const before = patches();
    const second = await drop('stock_1pct.csv', stockFile(changed.map((q, i) => [ref(i), '1', q, 0])));
    const writes = patches() - before;
    figure({ what: `stock, ${n.toLocaleString('en')} lines, 1 % changed`, value: `${writes} writes for ${expected} changed lines, ${(second.ms / 1000).toFixed(2)} s`, goal: 'writes = changed lines', ok: writes === expected });

    // Same data in new files (other line orders): all local work, no write. Best of three against the best
    // of three bare parses: the machine is shared, the least disturbed run is the fairest.
    let best = Infinity;
    let bare = Infinity;
    const reqBefore = shop.requests.length;
    for (let k = 0; k < 3; k++) {
      const lines = changed.map((q, i) => [ref(i), '1', q, 0] as [string, string, number, number]);
      const bytes = stockFile(k % 2 === 0 ? lines.reverse() : lines);
      best = Math.min(best, (await drop(`stock_same_${k}.csv`, Buffer.concat([bytes, Buffer.from('\r\n'.repeat(k + 1))]))).ms);
      bare = Math.min(bare, bareParseMs(bytes));
    }
    figure({ what: `stock, ${n.toLocaleString('en')} lines, nothing changed`, value: `${(best / 1000).toFixed(2)} s, ${shop.requests.length - reqBefore} requests` });
    figure({ what: 'local processing against a bare papaparse parse of the same file', value: `${(best / bare).toFixed(2)}× (${best.toFixed(0)} ms vs ${bare.toFixed(0)} ms)`, goal: '≤ 1.5×', ok: best / bare <= 1.5 });
    engine.close();

    if (big > 0) {
      // The same references over several warehouses, processed in a fresh process whose peak RSS is read.
      const perWarehouse = Math.ceil(big / n);
      const bigLines: Array<[string, string, number, number]> = [];
      for (let w = 0; w < perWarehouse; w++) {
        for (let i = 0; i < n && bigLines.length < big; i++) bigLines.push([ref(i), String(w + 1), w === 0 ? changed[i]! : 0, 0]);
      }
      const bigFile = path.join(WORK, 'stock_big.csv');
      await fs.writeFile(bigFile, stockFile(bigLines));
      const child = await timed(() => runChild(loaded.file, loaded.config.paths.drop, bigFile));
      figure({ what: `stock, ${bigLines.length.toLocaleString('en')} lines, \`prestasync run\` as installed (compiled dist/, default flags)`, value: `${(child.ms / 1000).toFixed(1)} s, peak RSS ${child.value} MB`, goal: '≤ 256 MB', ok: child.value <= 256 });
    }
  } finally {
    await shop.close();
  }
}

/** Processes `file` (a new copy each time: the same bytes twice would be a duplicate) with the process a
 *  user runs: `prestasync run` through the bin, which runs the compiled dist/ (the CLI figure builds it
 *  first), with bench/peak-rss.js preloaded to print its peak RSS. Not through tsx: tsx and esbuild
 *  would be measured with it. */
async function runChild(configFile: string, dropDir: string, file: string): Promise<number> {
  const copy = path.join(dropDir, path.basename(file).replace(/\.csv$/, `-${Date.now()}.csv`));
  await fs.copyFile(file, copy);
  await fs.appendFile(copy, '\r\n'.repeat(1 + (Date.now() % 97)));
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', pathToFileURL(path.join(ROOT, 'bench', 'peak-rss.js')).href, path.join(ROOT, 'bin', 'prestasync.js'), 'run', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PRESTASYNC_DEBUG: '1' } });
    let text = '';
    p.stdout.on('data', (d: Buffer) => { text += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { text += d.toString(); });
    p.on('exit', (code) => {
      const m = /peakRssMb=(\d+)/.exec(text);
      // the bin says on stderr when it falls back to the sources: then the figure would measure tsx
      if (code === 0 && m && !text.includes('tsx')) resolve(Number(m[1]));
      else reject(new Error(`prestasync run failed or did not run dist/ (${code}): ${text}`));
    });
  });
}
