// The whole `prestasync run` process against the shop's own floor (issue #6): 1,000 changed stock lines
// sent by the CLI to the sandbox with a real shop's latency (12–25 ms a request, 4 PHP workers), against
// the same 1,000 PATCHes sent directly to that sandbox at concurrency 4. Runs in turn, ratio pair by pair.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Engine } from '../src/engine.ts';
import { silentLogger } from '../src/log.ts';
import { startSandbox, type SandboxShop } from '../src/sandbox/index.ts';
import { PIPELINES } from '../pipelines/registry.ts';
import { configFor, figure, median, ref, ROOT, stockFile, timed } from './support.ts';

const COUNT = 1000;

export async function floorBench(rounds = 3): Promise<void> {
  const shop = await startSandbox({ latencyMs: [12, 25], workers: 4, seed: { products: Array.from({ length: COUNT }, (_, i) => ({ reference: ref(i), name: `A${i}`, price: '1.000000', quantity: 1 })) } });
  try {
    const loaded = await configFor(shop, 'floor');
    // The identities are known (a re-sync, as every hour): a first file is processed in this process.
    const engine = await Engine.open(loaded, { log: silentLogger(), pipelines: PIPELINES });
    await fs.writeFile(path.join(loaded.config.paths.drop, 'stock_0.csv'), stockFile(Array.from({ length: COUNT }, (_, i) => [ref(i), '1', 1, 0])));
    await engine.runOnce();
    const rowIds = Array.from({ length: COUNT }, (_, i) => engine.state.lookup('stock', ref(i))!.shopId);
    engine.close();

    const ratios: number[] = [];
    const cli: number[] = [];
    const direct: number[] = [];
    for (let r = 1; r <= rounds; r++) {
      await fs.writeFile(path.join(loaded.config.paths.drop, `stock_${r}.csv`), stockFile(Array.from({ length: COUNT }, (_, i) => [ref(i), '1', 10 * r + 1, 0])));
      const a = await timed(() => runCli(loaded.file));
      const b = await timed(() => directPatches(shop, rowIds, 10 * r + 5));
      cli.push(a.ms);
      direct.push(b.ms);
      ratios.push(a.ms / b.ms);
    }
    const ratio = median(ratios);
    figure({ what: `\`prestasync run\` (whole process) for ${COUNT} changed lines vs ${COUNT} direct PATCHes at concurrency 4, latency 12–25 ms`, value: `${ratio.toFixed(2)}× (median of ${rounds}: ${(median(cli) / 1000).toFixed(2)} s vs ${(median(direct) / 1000).toFixed(2)} s)`, goal: '≤ 1.15×', ok: ratio <= 1.15 });
  } finally {
    await shop.close();
  }
}

function runCli(configFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [path.join(ROOT, 'bin', 'prestasync.js'), 'run', '--config', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`prestasync run failed (${code}): ${err}`))));
  });
}

/** The floor: the same writes, nothing else, four at a time. */
async function directPatches(shop: SandboxShop, ids: string[], quantity: number): Promise<void> {
  const auth = `Basic ${Buffer.from(`${shop.key}:`).toString('base64')}`;
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      const body = `<prestashop><stock_available><id>${id}</id><quantity>${quantity}</quantity></stock_available></prestashop>`;
      const res = await fetch(`${shop.url}/api/stock_availables/${id}`, { method: 'PATCH', headers: { Authorization: auth, 'Content-Type': 'text/xml' }, body });
      await res.text();
      if (res.status !== 200) throw new Error(`PATCH ${id}: ${res.status}`);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}
