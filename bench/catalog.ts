// Catalogue figures (issue 8): a Format Sage export of n articles — first load, 1 % of the prices changed
// (writes against the changed articles), the same data in a new file (local work against a bare read of the
// same bytes: CP850 decode and CRLF split), and a re-sync against a sandbox with a real shop's latency
// (requests per changed article).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { Engine } from '../src/engine.ts';
import { silentLogger } from '../src/log.ts';
import { startSandbox } from '../src/sandbox/index.ts';
import { DOCUMENT_FORMATS, PIPELINES } from '../pipelines/registry.ts';
import { article, catalogueRecords, encodeFormatSage } from '../test/fixtures/erp/sage/make-catalogue.ts';
import { configFor, figure, timed } from './support.ts';

type Rec = ReturnType<typeof catalogueRecords>[number];
const ARTICLE_FLAGS = new Set(['#CART', '#CACP', '#CACL', '#CATQ', '#CAST']);
const isChanged = (n: number, pct: number): boolean => pct > 0 && n % Math.round(100 / pct) === 50;

function catalogueOf(n: number, changedPct: number, tag: string): Buffer {
  const head = catalogueRecords().filter(([flag]) => !ARTICLE_FLAGS.has(flag));
  const articles: Rec[] = [];
  for (let i = 1; i <= n; i++) {
    // the fixture's article 7 has a VAT code the shop has no group for (a reject, looked up again in every
    // file): the bench catalogue is a clean one
    const recs = article(i).map(([flag, f]): Rec => [flag, flag === '#CACP' ? f.map((v) => (v === 'C07' ? 'C20' : v)) : f]);
    if (isChanged(i, changedPct)) {
      const cart = recs[0]![1];
      cart[12] = `${(Number(cart[12]!.replace(',', '.')) + 1).toFixed(2).replace('.', ',')}`; // #CART 13, the price
    }
    articles.push(...recs);
  }
  // the customer's phone carries the tag: another file with the same articles is not a duplicate
  const records = [...head, ...articles].map(([flag, f]): Rec => (flag === '#CCLI' ? [flag, f.map((v, i) => (i === 54 ? tag : v))] : [flag, f]));
  return encodeFormatSage(records);
}

function bareReadMs(bytes: Buffer): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    iconv.decode(bytes, 'cp850').split('\r\n');
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

export async function catalogBench(n: number, latencyArticles: number): Promise<void> {
  const writes = (shop: { requests: Array<{ method: string; path: string }> }, from: number) => shop.requests.slice(from).filter((r) => r.method !== 'GET').length;
  {
    const shop = await startSandbox();
    try {
      const loaded = await configFor(shop, 'catalog');
      const engine = await Engine.open(loaded, { log: silentLogger(), pipelines: PIPELINES, documents: DOCUMENT_FORMATS });
      const drop = async (name: string, bytes: Buffer) => {
        await fs.writeFile(path.join(loaded.config.paths.drop, name), bytes);
        return timed(() => engine.runOnce());
      };
      const first = await drop('catalogue_0.txt', catalogueOf(n, 0, 'a'));
      figure({ what: `catalogue, first load of ${n.toLocaleString('en')} articles (Format Sage)`, value: `${(first.ms / 1000).toFixed(1)} s, ${shop.requests.length} requests, ${writes(shop, 0)} writes` });
      const expected = Array.from({ length: n }, (_, i) => i + 1).filter((i) => isChanged(i, 1)).length;
      let from = shop.requests.length;
      const second = await drop('catalogue_1pct.txt', catalogueOf(n, 1, 'b'));
      const w = writes(shop, from);
      figure({ what: `catalogue, ${n.toLocaleString('en')} articles, 1 % of the prices changed`, value: `${w} writes for ${expected} changed articles, ${(second.ms / 1000).toFixed(2)} s`, goal: 'writes = changed articles', ok: w === expected });
      let best = Infinity;
      let bare = Infinity;
      from = shop.requests.length;
      for (let k = 0; k < 3; k++) {
        const bytes = catalogueOf(n, 1, `c${k}`);
        best = Math.min(best, (await drop(`catalogue_same_${k}.txt`, bytes)).ms);
        bare = Math.min(bare, bareReadMs(bytes));
      }
      figure({ what: `catalogue, ${n.toLocaleString('en')} articles, nothing changed`, value: `${(best / 1000).toFixed(2)} s, ${shop.requests.length - from} requests; ${(best / bare).toFixed(1)}× a bare CP850 decode and CRLF split (${bare.toFixed(0)} ms)` });
      engine.close();
    } finally {
      await shop.close();
    }
  }
  {
    const shop = await startSandbox({ latencyMs: [12, 25], workers: 4 });
    try {
      const loaded = await configFor(shop, 'catalog-latency');
      const engine = await Engine.open(loaded, { log: silentLogger(), pipelines: PIPELINES, documents: DOCUMENT_FORMATS });
      await fs.writeFile(path.join(loaded.config.paths.drop, 'catalogue_0.txt'), catalogueOf(latencyArticles, 0, 'a'));
      await engine.runOnce();
      const changed = Array.from({ length: latencyArticles }, (_, i) => i + 1).filter((i) => isChanged(i, 1)).length;
      const from = shop.requests.length;
      await fs.writeFile(path.join(loaded.config.paths.drop, 'catalogue_1pct.txt'), catalogueOf(latencyArticles, 1, 'b'));
      const resync = await timed(() => engine.runOnce());
      const requests = shop.requests.length - from;
      figure({ what: `products re-sync against a shop answering in 12–25 ms, ${latencyArticles.toLocaleString('en')} articles, ${changed} changed`, value: `${(requests / changed).toFixed(2)} requests per changed article (${requests} requests, ${(resync.ms / 1000).toFixed(2)} s)`, goal: '1.00', ok: requests === changed });
      engine.close();
    } finally {
      await shop.close();
    }
  }
}
