// Orders: an export of many orders as Sage files, the requests it costs per order (issue #6: ≤ 1.0).
import { promises as fs } from 'node:fs';
import { Engine } from '../src/engine.ts';
import { silentLogger } from '../src/log.ts';
import { startSandbox } from '../src/sandbox/index.ts';
import { PIPELINES } from '../pipelines/registry.ts';
import { webOrder } from '../test/support/orders.ts';
import { configFor, figure, timed } from './support.ts';

export async function ordersBench(count: number): Promise<void> {
  const shop = await startSandbox({ seed: { products: [{ reference: 'VIS-4X40', name: 'Vis', price: '8.250000' }, { reference: 'CHEVILLE-6', name: 'Cheville', price: '4.900000' }] } });
  try {
    for (let i = 1; i <= count; i++) shop.store.placeOrder(webOrder(i));
    const loaded = await configFor(shop, 'orders');
    const engine = await Engine.open(loaded, { log: silentLogger(), pipelines: PIPELINES });
    const run = await timed(() => engine.runOnce({ pipeline: 'orders' }));
    const files = (await fs.readdir(loaded.config.paths.outbox)).filter((f) => !f.startsWith('.')).length;
    const perOrder = shop.requests.length / count;
    figure({ what: `orders, ${count.toLocaleString('en')} exported as Sage files`, value: `${files} files in ${(run.ms / 1000).toFixed(1)} s, ${(run.ms / count).toFixed(2)} ms per order` });
    figure({ what: 'webservice requests per exported order', value: `${perOrder.toFixed(3)} (${shop.requests.length} requests)`, goal: '≤ 1.0', ok: perOrder <= 1.0 });
    engine.close();
  } finally {
    await shop.close();
  }
}
