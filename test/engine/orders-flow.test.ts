// Orders back to the ERP, end to end against the sandbox shop: which orders, which files, exactly once.
import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { RecordRejected } from '../../src/errors.ts';
import { fetchOrderSources } from '../../src/outbound/order-source.ts';
import type { RunContext } from '../../src/pipeline.ts';
import type { ListQuery } from '../../src/prestashop/query.ts';
import type { PsRecord } from '../../src/prestashop/xml.ts';
import { Outbox } from '../../src/state/outbox.ts';
import type { PrestaShopOrderSource } from '../../transforms/orders/from-prestashop.ts';
import { listTree, makeWorkspace, type Workspace } from '../support/workspace.ts';
import { webOrder } from '../support/orders.ts';
import { chliAmountCents, field, parseSage } from '../transforms/orders/parsers/sage-parser.ts';
import { ebpDocumentTotalCents, parseEbp } from '../transforms/orders/parsers/ebp-parser.ts';
import { parseDivalto } from '../transforms/orders/parsers/divalto-parser.ts';

async function outboxFiles(ws: Workspace): Promise<string[]> {
  return (await fs.readdir(ws.loaded.config.paths.outbox)).filter((f) => !f.startsWith('.')).sort();
}

async function readOut(ws: Workspace, name: string): Promise<Buffer> {
  return fs.readFile(path.join(ws.loaded.config.paths.outbox, name));
}

function orderTotalCents(ws: Workspace, id: number): number {
  return Math.round(Number(ws.shop.store.get('orders', id)!.total_paid_tax_excl) * 100);
}

const PRODUCTS = [{ reference: 'VIS-4X40', quantity: 50 }, { reference: 'CHEVILLE-6', quantity: 50 }];

describe('orders → ERP files (sandbox shop)', () => {
  let ws: Workspace;
  afterEach(async () => { await ws.close(); });

  it('exports the orders in the export states once, as Format Sage files that add up', async () => {
    ws = await makeWorkspace({ products: PRODUCTS, config: { orders: { since: '2000-01-01' } } });
    const paid = ws.shop.store.placeOrder(webOrder(1));
    const remote = ws.shop.store.placeOrder(webOrder(2, { state: 11 }));
    const awaiting = ws.shop.store.placeOrder(webOrder(3, { state: 10 })); // awaiting bank wire: not exported
    const engine = await ws.engine();
    const first = await engine.runOnce({ pipeline: 'orders' });
    expect(first.exitCode).to.equal(0);
    const files = await outboxFiles(ws);
    expect(files).to.have.length(2);
    for (const id of [paid, remote]) {
      const name = files.find((f) => f.startsWith(`CMD-${id}-`));
      expect(name, `file of order ${id}`).to.be.a('string');
      const sage = parseSage(await readOut(ws, name!));
      expect(sage.hasLoneLf || sage.hasLoneCr).to.equal(false);
      expect(sage.records.map((r) => r.flag)).to.deep.equal(['#FLG', '#VER', '#CHEN', '#CHLI', '#CHLI', '#CHLI', '#FIN']);
      const chen = sage.records[2]!;
      expect(chen.fields).to.have.length(86);
      expect(field(chen, 2), 'type: order').to.equal('2');
      for (const l of sage.records.filter((r) => r.flag === '#CHLI')) expect(l.fields).to.have.length(62);
      const sum = sage.records.filter((r) => r.flag === '#CHLI').reduce((s, r) => s + chliAmountCents(r), 0);
      expect(sum).to.equal(orderTotalCents(ws, id));
      expect((await readOut(ws, name!)).includes(Buffer.from([0x85])), 'à of « Vis à bois » in CP850').to.equal(true);
    }
    expect(files.some((f) => f.startsWith(`CMD-${awaiting}-`))).to.equal(false);

    // The run's report and a copy of each file are archived for audit.
    const archived = await listTree(ws.archive);
    expect(archived.filter((f) => /\/orders\/orders-\d{6}\.report\.json$/.test(f))).to.have.length(1);
    for (const f of files) expect(archived.some((a) => a.endsWith(`/orders/${f}`)), f).to.equal(true);

    const again = await engine.runOnce({ pipeline: 'orders' });
    expect(again.shop[0]!.report.counts['exportée'] ?? 0).to.equal(0);
    expect(await outboxFiles(ws)).to.deep.equal(files);

    // The order waiting for its bank wire is paid later: exported then, once.
    ws.shop.store.setOrderState(awaiting, 2);
    await engine.runOnce({ pipeline: 'orders' });
    expect(await outboxFiles(ws)).to.have.length(3);
  });

  it('never exports an order updated before orders.since, on the first run or once the cursor has moved (issue #7)', async () => {
    ws = await makeWorkspace({ products: PRODUCTS, config: { orders: { since: '2030-01-01 12:00:00' } } });
    const before = ws.shop.store.placeOrder(webOrder(1, { dateAdd: '2030-01-01 11:59:58' })); // 2 s before since
    const atSince = ws.shop.store.placeOrder(webOrder(2, { dateAdd: '2030-01-01 12:00:00' }));
    const engine = await ws.engine();
    await engine.runOnce({ pipeline: 'orders' });
    expect((await outboxFiles(ws)).map((f) => Number(/^CMD-(\d+)-/.exec(f)?.[1]))).to.deep.equal([atSince]);

    // The cursor is now 12:00:00; the next runs look back a few minutes before it, never before since.
    const later = ws.shop.store.placeOrder(webOrder(3, { dateAdd: '2030-01-01 12:03:00' }));
    await engine.runOnce({ pipeline: 'orders' });
    expect(new Outbox(engine.state).cursor('orders.date_upd')).to.equal('2030-01-01 12:03:00');
    const third = await engine.runOnce({ pipeline: 'orders' });
    expect(third.shop[0]!.report.counts['exportée'] ?? 0).to.equal(0);
    const ids = (await outboxFiles(ws)).map((f) => Number(/^CMD-(\d+)-/.exec(f)?.[1])).sort((a, b) => a - b);
    expect(ids).to.deep.equal([atSince, later]);
    expect(new Outbox(engine.state).get(before), 'the order updated before since is not even looked at').to.equal(undefined);
  });

  it('reads a page of orders with one list per resource: well under one request per exported order', async () => {
    ws = await makeWorkspace({ products: PRODUCTS, config: { orders: { since: '2000-01-01' } } });
    for (let i = 1; i <= 120; i++) {
      ws.shop.store.placeOrder(webOrder(i, i % 3 === 0 ? { deliveryAddress: { address1: `${i} quai Rambaud`, postcode: '69002', city: 'Lyon' } } : {}));
    }
    const engine = await ws.engine();
    await engine.ensureConnected();
    const before = ws.shop.requests.length;
    const run = await engine.runOnce({ pipeline: 'orders' });
    expect(run.shop[0]!.report.counts['exportée']).to.equal(120);
    const requests = ws.shop.requests.slice(before);
    expect(requests.length, 'requests for 120 orders').to.be.at.most(3 * 5 + 4 + 1);
    // Each list is bounded: a filter on ids always comes with a limit, or is paginated.
    for (const r of requests.filter((q) => Object.keys(q.query).some((k) => k.startsWith('filter[id')))) {
      expect(r.query.limit, `${r.path}?${JSON.stringify(r.query)}`).to.be.a('string');
    }
    // Addresses read together still give each order its own delivery address.
    const sage = parseSage(await readOut(ws, (await outboxFiles(ws)).find((f) => f.startsWith('CMD-3-'))!));
    expect(sage.records.some((r) => r.flag === '#CHEN')).to.equal(true);
    const stored = JSON.parse(new Outbox(engine.state).get(3)!.payload!) as { deliveryAddress: { address1: string }; billingAddress: { address1: string } };
    expect(stored.deliveryAddress.address1).to.equal('3 quai Rambaud');
    expect(stored.billingAddress.address1).to.equal('3 rue de la Forêt');
  });

  it('batch mode: one Sage file per run with every new order, then nothing on a re-run', async () => {
    ws = await makeWorkspace({ products: PRODUCTS, config: { orders: { since: '2000-01-01', batch: true } } });
    const ids = [1, 2, 3].map((i) => ws.shop.store.placeOrder(webOrder(i)));
    const engine = await ws.engine();
    await engine.runOnce({ pipeline: 'orders' });
    const files = await outboxFiles(ws);
    expect(files).to.deep.equal([`CMD-BATCH-${Math.min(...ids)}-${Math.max(...ids)}.txt`]);
    const sage = parseSage(await readOut(ws, files[0]!));
    expect(sage.records.filter((r) => r.flag === '#CHEN').map((r) => field(r, 5))).to.have.length(3);
    await engine.runOnce({ pipeline: 'orders' });
    expect(await outboxFiles(ws)).to.deep.equal(files);
  });

  it('never exports an order cancelled before export; writes a notice for one cancelled after', async () => {
    ws = await makeWorkspace({ products: PRODUCTS, config: { orders: { since: '2000-01-01' } } });
    const early = ws.shop.store.placeOrder(webOrder(1, { state: 10 }));
    const late = ws.shop.store.placeOrder(webOrder(2));
    ws.shop.store.setOrderState(early, 6);
    const engine = await ws.engine();
    await engine.runOnce({ pipeline: 'orders' });
    ws.shop.store.setOrderState(late, 6);
    const run = await engine.runOnce({ pipeline: 'orders' });
    const files = await outboxFiles(ws);
    expect(files.filter((f) => f.startsWith('CMD-'))).to.deep.equal(files.filter((f) => f.startsWith(`CMD-${late}-`)));
    const notice = files.find((f) => f.startsWith(`ANNUL-${late}-`));
    expect(notice).to.be.a('string');
    const item = run.shop[0]!.report.items.find((i) => i.outcome === 'annulée après export');
    expect(item?.reason).to.match(/annulée après export/);
    const again = await engine.runOnce({ pipeline: 'orders' });
    expect(again.shop[0]!.report.items.filter((i) => i.outcome.startsWith('annulée'))).to.deep.equal([]);
    expect(await outboxFiles(ws)).to.deep.equal(files);
  });

  it('holds an order whose lines do not add up, with the reason in the report', async () => {
    ws = await makeWorkspace({ products: PRODUCTS, config: { orders: { since: '2000-01-01' } } });
    const id = ws.shop.store.placeOrder(webOrder(1));
    // Gift wrapping has no slot in the ERP files: the exported lines cannot reach the order's total.
    const engine = await ws.engine();
    await engine.ensureConnected();
    const total = Number(ws.shop.store.get('orders', id)!.total_paid_tax_excl);
    await engine.shop.update('orders', id, { total_wrapping_tax_excl: '2.000000', total_paid_tax_excl: (total + 2).toFixed(6) });
    const run = await engine.runOnce({ pipeline: 'orders' });
    const report = run.shop[0]!.report;
    expect(report.status).to.equal('partial');
    expect(report.items.find((i) => i.outcome === 'retenue')?.reason).to.match(/total/);
    expect(await outboxFiles(ws)).to.deep.equal([]);
  });

  it('writes quotes in quote mode, for EBP and Divalto too', async () => {
    for (const profile of ['sage100', 'ebp', 'divalto'] as const) {
      ws = await makeWorkspace({ products: PRODUCTS, config: { erp: { profile }, orders: { since: '2000-01-01', documentType: 'quote' } } });
      const id = ws.shop.store.placeOrder(webOrder(1, {
        lines: [{ reference: 'VIS-4X40', name: 'Vis à bois 4×40', quantity: 4, unitPriceTaxExcl: 8.25, taxRate: 20 }],
        cartRules: [{ name: 'Remise fidélité', valueTaxExcl: 3.3, valueTaxIncl: 3.96 }],
      }));
      await (await ws.engine()).runOnce({ pipeline: 'orders' });
      const [name] = await outboxFiles(ws);
      expect(name).to.match(new RegExp(`^CMD-${id}-`));
      const bytes = await readOut(ws, name!);
      if (profile === 'sage100') {
        expect(field(parseSage(bytes).records.find((r) => r.flag === '#CHEN')!, 2)).to.equal('1');
      } else if (profile === 'ebp') {
        const ebp = parseEbp(bytes, 'windows-1252');
        expect(ebpDocumentTotalCents(ebp.rows)).to.equal(orderTotalCents(ws, id));
        expect(bytes.includes(Buffer.from('Vis \xe0 bois', 'latin1')), 'cp1252 à').to.equal(true);
      } else {
        const sheet = await parseDivalto(bytes);
        expect(sheet.rows[0]?.TYPE_PIECE).to.equal(1);
      }
      await ws.close();
    }
    ws = await makeWorkspace(); // afterEach closes one
  });

  it('writes the ERP account code of a customer that came from the ERP (customers flow), in Sage, EBP and Divalto (issue #9)', async () => {
    for (const profile of ['sage100', 'ebp', 'divalto'] as const) {
      ws = await makeWorkspace({ products: PRODUCTS, config: { erp: { profile }, orders: { since: '2000-01-01' } } });
      const fromErp = ws.shop.store.placeOrder(webOrder(1));
      const webOnly = ws.shop.store.placeOrder(webOrder(2));
      const engine = await ws.engine();
      const idCustomer = String(ws.shop.store.get('orders', fromErp)!.id_customer);
      engine.state.remember('customer', 'CLI0042', idCustomer, { code: 'CLI0042' });
      await engine.runOnce({ pipeline: 'orders' });
      const files = await outboxFiles(ws);
      const codeIn = async (id: number): Promise<string> => {
        const bytes = await readOut(ws, files.find((f) => f.startsWith(`CMD-${id}-`))!);
        if (profile === 'sage100') return field(parseSage(bytes).records.find((r) => r.flag === '#CHEN')!, 11);
        if (profile === 'ebp') return parseEbp(bytes, 'windows-1252').rows[0]!['Document - Code client']!;
        return String((await parseDivalto(bytes)).rows.find((r) => r.FICHE === 'ENT')?.CODE_TIERS);
      };
      expect(await codeIn(fromErp), profile).to.equal('CLI0042');
      expect(await codeIn(webOnly), `${profile}: a web-only customer keeps orders.newCustomer`).to.not.equal('CLI0042');
      await ws.close();
    }
    ws = await makeWorkspace(); // afterEach closes one
  });

  it('stock: units of an exported, unacknowledged order are held back until the ERP acknowledges it', async () => {
    ws = await makeWorkspace({ products: PRODUCTS, config: { orders: { since: '2000-01-01' } } });
    const id = ws.shop.store.placeOrder(webOrder(1, { lines: [{ reference: 'VIS-4X40', name: 'Vis', quantity: 3, unitPriceTaxExcl: 8.25, taxRate: 20 }] }));
    const engine = await ws.engine();
    await engine.runOnce({ pipeline: 'orders' });
    await ws.dropStock('stock_1.csv', [['VIS-4X40', '1', '40', '0']]);
    await engine.runOnce();
    expect(ws.quantityOf('VIS-4X40')).to.equal(37);
    new Outbox(engine.state).acknowledge(id, 'erp');
    await ws.dropStock('stock_2.csv', [['VIS-4X40', '1', '40', '0'], ['VIS-4X40', '2', '0', '0']]);
    await engine.runOnce();
    expect(ws.quantityOf('VIS-4X40'), 'the ERP figure stands once acknowledged').to.equal(40);
  });

  it('stock: an acknowledgement that never comes expires after orders.ackDelayHours, and is reported', async () => {
    ws = await makeWorkspace({ products: PRODUCTS, config: { orders: { since: '2000-01-01', ackDelayHours: 0.0001 } } });
    ws.shop.store.placeOrder(webOrder(1, { lines: [{ reference: 'VIS-4X40', name: 'Vis', quantity: 3, unitPriceTaxExcl: 8.25, taxRate: 20 }] }));
    const engine = await ws.engine();
    await engine.runOnce({ pipeline: 'orders' });
    await new Promise((r) => setTimeout(r, 500));
    await ws.dropStock('stock_1.csv', [['VIS-4X40', '1', '40', '0']]);
    const run = await engine.runOnce();
    expect(ws.quantityOf('VIS-4X40')).to.equal(40);
    const outcome = run.files[0]!.outcome;
    expect('report' in outcome && outcome.report.warnings.join(' ')).to.match(/sans accusé/);
  });
});

describe('orders: reading a page of orders (fetchOrderSources)', () => {
  // A shop that answers from tables, records every call, and whose lists leave out the deleted rows (a real
  // shop may or may not: not verified), to check what the reader does with an id missing from a list.
  function fakeShop(tables: Record<string, PsRecord[]>, hiddenFromLists: Record<string, string[]> = {}) {
    const calls: string[] = [];
    const matches = (resource: string, q: ListQuery) => (tables[resource] ?? []).filter((r) => {
      if (hiddenFromLists[resource]?.includes(String(r.id))) return false;
      return Object.entries(q.filter ?? {}).every(([f, v]) => v.slice(1, -1).split('|').includes(String(r[f])));
    });
    const shop = {
      async list(resource: string, q: ListQuery = {}) {
        calls.push(`list ${resource} ${JSON.stringify(q.filter)} limit=${JSON.stringify(q.limit)}`);
        return matches(resource, q);
      },
      async *listAll(resource: string, q: ListQuery & { pageSize?: number } = {}) {
        calls.push(`listAll ${resource} ${JSON.stringify(q.filter ?? {})} pageSize=${q.pageSize ?? 100}`);
        yield* matches(resource, q);
      },
      async get(resource: string, id: string) {
        calls.push(`get ${resource}/${id}`);
        return (tables[resource] ?? []).find((r) => String(r.id) === String(id));
      },
    };
    return { calls, ctx: { shop } as unknown as RunContext };
  }

  const order = (id: number, customer: number, invoice: number, delivery = invoice): PsRecord => ({
    id: String(id), id_customer: String(customer), id_address_invoice: String(invoice), id_address_delivery: String(delivery), id_carrier: '2', id_currency: '1',
  });
  const tables = (): Record<string, PsRecord[]> => ({
    countries: [{ id: '8', iso_code: 'FR' }], currencies: [{ id: '1', iso_code: 'EUR' }], taxes: [{ id: '1', rate: '20.000' }],
    carriers: [{ id: '2', name: 'Colissimo' }],
    order_details: [{ id: '11', id_order: '1' }, { id: '12', id_order: '1' }, { id: '21', id_order: '2' }],
    order_cart_rules: [{ id: '5', id_order: '2', name: 'Remise' }],
    customers: [{ id: '7', email: 'a@exemple.fr' }, { id: '9', email: 'b@exemple.fr' }],
    addresses: [{ id: '70', id_country: '8' }, { id: '71', id_country: '8' }, { id: '90', id_country: '8' }],
  });

  it('reads details, cart rules, customers and addresses with one list each, filtered on the page and bounded', async () => {
    const { calls, ctx } = fakeShop(tables());
    const sources = await fetchOrderSources(ctx, [order(1, 7, 70, 71), order(2, 9, 90), order(3, 7, 70)]);
    expect(calls.filter((c) => /order_details|order_cart_rules|customers|addresses/.test(c))).to.deep.equal([
      'listAll order_details {"id_order":"[1|2|3]"} pageSize=500',
      'listAll order_cart_rules {"id_order":"[1|2|3]"} pageSize=500',
      'list customers {"id":"[7|9]"} limit=2',
      'list addresses {"id":"[70|71|90]"} limit=3',
    ]);
    const first = sources.get('1') as PrestaShopOrderSource;
    expect(first.details.map((d) => d.id)).to.deep.equal(['11', '12']);
    expect([first.invoiceAddress.id, first.deliveryAddress.id]).to.deep.equal(['70', '71']);
    expect(first.carrier?.name).to.equal('Colissimo');
    expect((sources.get('2') as PrestaShopOrderSource).cartRules.map((r) => r.id)).to.deep.equal(['5']);
    expect((sources.get('3') as PrestaShopOrderSource).details).to.deep.equal([]);
  });

  it('reads alone an address a list leaves out, and rejects only the order whose customer is gone', async () => {
    const t = tables();
    t.customers = t.customers!.filter((c) => c.id !== '9');
    const { calls, ctx } = fakeShop(t, { addresses: ['71'] });
    const sources = await fetchOrderSources(ctx, [order(1, 7, 70, 71), order(2, 9, 90)]);
    expect(calls).to.include('get addresses/71');
    expect((sources.get('1') as PrestaShopOrderSource).deliveryAddress.id).to.equal('71');
    const rejected = sources.get('2');
    expect(rejected).to.be.instanceOf(RecordRejected);
    expect((rejected as RecordRejected).reason).to.equal('client introuvable dans la boutique (customers 9) pour la commande 2');
  });
});
