// Multistore orders (issue 11): two shops of one PrestaShop, orders read per shop (id_shop), each written to
// the ERP exactly once — also when a run is killed midway — with its shop named in the document.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../src/errors.ts';
import { StateStore } from '../../src/state/store.ts';
import { Outbox } from '../../src/state/outbox.ts';
import { makeWorkspace, type Workspace } from '../support/workspace.ts';
import { webOrder } from '../support/orders.ts';
import { field, parseSage } from '../transforms/orders/parsers/sage-parser.ts';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'prestasync.js');
const PRODUCTS = [{ reference: 'VIS-4X40', quantity: 50 }, { reference: 'CHEVILLE-6', quantity: 50 }];
const SHOPS = [{ id: 2, name: 'Boutique Belgique' }];
const NAMING = { 1: { documentPrefix: 'WEBFR', label: 'BOUT-FR' }, 2: { documentPrefix: 'WEBBE', label: 'BOUT-BE' } };

async function outboxFiles(ws: Workspace): Promise<string[]> {
  return (await fs.readdir(ws.loaded.config.paths.outbox)).filter((f) => !f.startsWith('.')).sort();
}

/** id_order → the #CHEN of its file (document number, affaire) and its #CHLI affaires. */
async function sageDocuments(ws: Workspace): Promise<Map<number, { docNumber: string; affaire: string; lineAffaires: string[] }>> {
  const out = new Map<number, { docNumber: string; affaire: string; lineAffaires: string[] }>();
  for (const f of await outboxFiles(ws)) {
    const id = Number(/^CMD-(\d+)-/.exec(f)?.[1]);
    const sage = parseSage(await fs.readFile(path.join(ws.loaded.config.paths.outbox, f)));
    const chen = sage.records.find((r) => r.flag === '#CHEN')!;
    const lines = sage.records.filter((r) => r.flag === '#CHLI');
    expect(out.has(id), `one file for order ${id}`).to.equal(false);
    out.set(id, { docNumber: field(chen, 5), affaire: field(chen, 27), lineAffaires: lines.map((l) => field(l, 29)) });
  }
  return out;
}

describe('multistore: orders of two shops (sandbox shop)', () => {
  let ws: Workspace;
  afterEach(async () => { await ws.close(); });

  it('without shop.shops, reads the default shop only — what the real api/orders does (LESSONS F1)', async () => {
    ws = await makeWorkspace({ products: PRODUCTS, shops: SHOPS, config: { orders: { since: '2000-01-01' } } });
    const fr = ws.shop.store.placeOrder(webOrder(1));
    ws.shop.store.placeOrder(webOrder(2, { shop: 2 }));
    await (await ws.engine()).runOnce({ pipeline: 'orders' });
    expect((await outboxFiles(ws)).map((f) => Number(/^CMD-(\d+)-/.exec(f)?.[1]))).to.deep.equal([fr]);
  });

  it('exports the orders of both shops once each, read in each shop’s context, each shop named in its document', async () => {
    ws = await makeWorkspace({ products: PRODUCTS, shops: SHOPS, shopConfig: { shops: [1, 2] }, config: { orders: { since: '2000-01-01', shops: NAMING } } });
    const fr = [ws.shop.store.placeOrder(webOrder(1)), ws.shop.store.placeOrder(webOrder(3))];
    const be = [ws.shop.store.placeOrder(webOrder(2, { shop: 2 })), ws.shop.store.placeOrder(webOrder(4, { shop: 2 }))];
    // ids are global to the install: the outbox key (id_order) cannot collide between shops
    expect(new Set([...fr, ...be]).size).to.equal(4);

    const engine = await ws.engine();
    const first = await engine.runOnce({ pipeline: 'orders' });
    expect(first.exitCode).to.equal(0);
    const docs = await sageDocuments(ws);
    expect([...docs.keys()].sort((a, b) => a - b)).to.deep.equal([...fr, ...be].sort((a, b) => a - b));
    for (const id of fr) expect(docs.get(id)).to.deep.include({ docNumber: `WEBFR${String(id).padStart(6, '0')}`, affaire: 'BOUT-FR' });
    for (const id of be) expect(docs.get(id)).to.deep.include({ docNumber: `WEBBE${String(id).padStart(6, '0')}`, affaire: 'BOUT-BE' });
    for (const d of docs.values()) expect(new Set(d.lineAffaires)).to.deep.equal(new Set([d.affaire]));

    const orderLists = ws.shop.requests.filter((r) => r.method === 'GET' && r.path === '/api/orders');
    expect(new Set(orderLists.map((r) => r.query.id_shop))).to.deep.equal(new Set(['1', '2']));
    const detailLists = ws.shop.requests.filter((r) => r.path === '/api/order_details');
    expect(detailLists.every((r) => r.query.id_shop === '1' || r.query.id_shop === '2'), 'details read in the order’s shop context').to.equal(true);

    // A replay exports nothing; a new order in shop 2 is exported alone.
    const again = await engine.runOnce({ pipeline: 'orders' });
    expect(again.shop[0]!.report.counts['exportée'] ?? 0).to.equal(0);
    const late = ws.shop.store.placeOrder(webOrder(5, { shop: 2 }));
    const third = await engine.runOnce({ pipeline: 'orders' });
    expect(third.shop[0]!.report.counts['exportée']).to.equal(1);
    expect((await sageDocuments(ws)).get(late)).to.deep.include({ affaire: 'BOUT-BE' });
  });

  it('a group that shares its orders lists them in every shop’s context: still one file per order (shop.shops: all)', async () => {
    ws = await makeWorkspace({
      products: PRODUCTS, shops: [{ id: 2, name: 'Boutique Belgique', group: 2 }, { id: 3, name: 'Boutique Suisse', group: 2 }],
      shopGroups: [{ id: 2, name: 'Europe', shareOrder: true }],
      shopConfig: { shops: 'all' }, config: { orders: { since: '2000-01-01' } },
    });
    const ids = [ws.shop.store.placeOrder(webOrder(1)), ws.shop.store.placeOrder(webOrder(2, { shop: 2 })), ws.shop.store.placeOrder(webOrder(3, { shop: 3 }))];
    const seenInShop2 = await fetch(`${ws.shop.url}/api/orders?id_shop=2`, { headers: { Authorization: `Basic ${Buffer.from(`${ws.shop.key}:`).toString('base64')}` } }).then((r) => r.text());
    expect(seenInShop2, 'the sandbox follows share_order: shop 2’s context lists shop 3’s order').to.include(`id="${ids[2]}"`);

    const run = await (await ws.engine()).runOnce({ pipeline: 'orders' });
    expect(run.exitCode).to.equal(0);
    expect(run.shop[0]!.report.counts['exportée']).to.equal(3);
    expect([...(await sageDocuments(ws)).keys()].sort((a, b) => a - b)).to.deep.equal(ids);
  });

  it('the ERP’s order states reach an order of the second shop (its orders are found in every shop’s context)', async () => {
    ws = await makeWorkspace({ products: PRODUCTS, shops: SHOPS, shopConfig: { shops: [1, 2] }, config: { orders: { since: '2000-01-01' } } });
    const id = ws.shop.store.placeOrder(webOrder(1, { shop: 2 }));
    const reference = String(ws.shop.store.get('orders', id)!.reference);
    const engine = await ws.engine();
    await engine.runOnce({ pipeline: 'orders' });
    const rows = [['DO_Piece;DO_Type;DO_Date;DO_NoWeb;DO_Ref;NumSuivi'], [`BL00012;3;28/11/2026;${reference};${reference};6A12345678901`]];
    await fs.writeFile(path.join(ws.drop, 'suivi_commandes_1.csv'), `${rows.map((r) => r.join(';')).join('\r\n')}\r\n`);
    expect((await engine.runOnce()).exitCode).to.equal(0);
    expect(Number(ws.shop.store.get('orders', id)!.current_state), 'shipped').to.equal(4);
    const lookups = ws.shop.requests.filter((r) => r.method === 'GET' && r.path === '/api/orders' && r.query['filter[id]'] === `[${id}]`);
    expect(lookups.length).to.be.above(0);
    expect(lookups.every((r) => r.query.id_shop === 'all'), 'a list without id_shop would not show it').to.equal(true);
  });

  it('refuses a shop.shops id PrestaShop does not have, naming the shops it has', async () => {
    ws = await makeWorkspace({ products: PRODUCTS, shops: SHOPS, shopConfig: { shops: [1, 7] }, config: { orders: { since: '2000-01-01' } } });
    ws.shop.store.placeOrder(webOrder(1));
    const refused = await (await ws.engine()).runOnce({ pipeline: 'orders' }).then(() => undefined, (err: unknown) => err);
    expect(refused).to.be.instanceOf(ConfigError);
    expect((refused as ConfigError).problems).to.deep.equal(['shop.shops: boutique(s) 7 inconnue(s) de PrestaShop (boutiques : 1 « PrestaSync Sandbox », 2 « Boutique Belgique »)']);
    expect(await outboxFiles(ws)).to.deep.equal([]);
  });
});

describe('multistore: kill -9 while reading the second shop, then a full run', function () {
  this.timeout(120000);
  let ws: Workspace;
  after(async () => { await ws.close(); });

  it('every order of both shops has exactly one file, all delivered', async () => {
    ws = await makeWorkspace({ products: PRODUCTS, shops: SHOPS, latencyMs: 1, shopConfig: { shops: [1, 2] }, config: { orders: { since: '2000-01-01', shops: NAMING } } });
    const ids: number[] = [];
    for (let i = 1; i <= 60; i++) ids.push(ws.shop.store.placeOrder(webOrder(i, i % 2 === 0 ? { shop: 2 } : {})));

    const run = (killWhen?: (r: { method: string; path: string; query: Record<string, string> }) => boolean) => new Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean; output: string }>((resolve) => {
      const env = { ...process.env };
      delete env.PRESTASYNC_CRASH_AT;
      const child = spawn(process.execPath, [BIN, 'orders', '--config', ws.configFile], { cwd: ws.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
      let killed = false;
      const stop = killWhen ? ws.shop.onRequest((r) => {
        if (!killed && killWhen(r)) { killed = true; child.kill('SIGKILL'); }
      }) : undefined;
      child.on('exit', (code, signal) => { stop?.(); resolve({ code, signal, killed, output }); });
    });

    // Killed as the second shop's second page of details is asked: shop 1 is done, shop 2 half read.
    let shop2Details = 0;
    const crashed = await run((r) => r.path === '/api/order_details' && r.query.id_shop === '2' && ++shop2Details === 1);
    expect(crashed.signal, crashed.output).to.equal('SIGKILL');
    const before = await outboxFiles(ws);
    expect(before.length, 'shop 1’s 30 orders were written before the kill').to.be.at.least(30).and.below(60);

    const full = await run();
    expect(full.code, full.output).to.equal(0);
    const files = await outboxFiles(ws);
    expect(files).to.have.length(60);
    expect(files.map((f) => Number(/^CMD-(\d+)-/.exec(f)?.[1])).sort((a, b) => a - b)).to.deep.equal(ids);
    expect(files.filter((f) => before.includes(f))).to.deep.equal(before);
    const store = new StateStore(ws.loaded.config.paths.state);
    try {
      expect(new Outbox(store).withStatus('delivered').length).to.equal(60);
    } finally {
      store.close();
    }
    const again = await run();
    expect(again.code, again.output).to.equal(0);
    expect(await outboxFiles(ws)).to.deep.equal(files);
  });
});
