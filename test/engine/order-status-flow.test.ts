// Order states from the ERP, end to end against the sandbox shop: the Sage document export moves orders
// forward once (with the e-mail flag the map says), sets parcel numbers, acknowledges exported orders.
import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import type { FileReport } from '../../src/report.ts';
import { Outbox } from '../../src/state/outbox.ts';
import { ConfigError, RecordRejected } from '../../src/errors.ts';
import { moveOrderState } from '../../src/follow-up/order-state.ts';
import { listTree, makeWorkspace, type Workspace } from '../support/workspace.ts';
import { webOrder } from '../support/orders.ts';
import { failure } from '../support/failure.ts';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'prestasync.js');

/** `prestasync run` in a child that kills itself (SIGKILL) at the named crash point. */
function runChild(configFile: string, cwd: string, crashAt?: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  const env = { ...process.env, ...(crashAt ? { PRESTASYNC_CRASH_AT: crashAt } : {}) };
  const child = spawn(process.execPath, [BIN, 'run', '--config', configFile], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, output })));
}

const PRODUCTS = [{ reference: 'VIS-4X40', quantity: 50 }, { reference: 'CHEVILLE-6', quantity: 50 }];
const HEADER = 'DO_Piece;DO_Type;DO_Date;DO_NoWeb;DO_Ref;NumSuivi';

/** A Sage F_DOCENTETE export as the integrator's export writes it: cp1252, CRLF, `;`. */
async function dropStatus(ws: Workspace, name: string, rows: string[][]): Promise<void> {
  const text = [HEADER, ...rows.map((r) => r.join(';'))].join('\r\n') + '\r\n';
  await fs.writeFile(path.join(ws.drop, name), iconv.encode(text, 'windows-1252'));
}

async function report(ws: Workspace, name: string): Promise<FileReport> {
  const file = (await listTree(ws.archive)).find((f) => f.endsWith(`/${name}.report.json`));
  expect(file, `report of ${name}`).to.be.a('string');
  return JSON.parse(await fs.readFile(path.join(ws.archive, file!), 'utf8')) as FileReport;
}

const web = (id: number) => `WEB${String(id).padStart(6, '0')}`;

describe('order states from the ERP (sandbox shop)', function () {
  this.timeout(30000);
  let ws: Workspace;
  afterEach(async () => { await ws.close(); });

  async function exportedOrder(i = 1, over: Parameters<typeof webOrder>[1] = {}): Promise<{ id: number; reference: string }> {
    const id = ws.shop.store.placeOrder(webOrder(i, over));
    return { id, reference: String(ws.shop.store.get('orders', id)!.reference) };
  }

  const histories = (id: number) => ws.shop.store.list('order_histories').filter((h) => Number(h.id_order) === id).map((h) => Number(h.id_order_state));
  const historyPosts = () => ws.shop.requests.filter((r) => r.method === 'POST' && r.path === '/api/order_histories');
  const tracking = (id: number) => String(ws.shop.store.list('order_carriers').find((c) => Number(c.id_order) === id)?.tracking_number ?? '');
  const state = (id: number) => Number(ws.shop.store.get('orders', id)!.current_state);

  it('moves an order to « shipped » once, with the e-mail flag, its parcel number set first; the same file again does nothing', async () => {
    ws = await makeWorkspace({ products: PRODUCTS, config: { orders: { since: '2000-01-01' } } });
    const o = await exportedOrder();
    const engine = await ws.engine();
    await engine.runOnce({ pipeline: 'orders' });
    await dropStatus(ws, 'suivi_commandes_1.csv', [
      [web(o.id), '1', '27/11/2026', o.reference, o.reference, ''],
      ['BL00012', '3', '28/11/2026', o.reference, o.reference, '6A12345678901'],
    ]);
    const run = await engine.runOnce();
    expect(run.exitCode).to.equal(0);
    expect(state(o.id)).to.equal(4);
    expect(histories(o.id)).to.deep.equal([2, 4]);
    const posts = historyPosts();
    expect(posts, 'one state change').to.have.length(1);
    expect(posts[0]!.query, 'sendemail=1, spelt as PrestaShop reads it (LESSONS C2)').to.deep.equal({ sendemail: '1' });
    expect(tracking(o.id)).to.equal('6A12345678901');
    const carrierWrite = ws.shop.requests.findIndex((r) => r.path.startsWith('/api/order_carriers/') && r.method === 'PATCH');
    const stateWrite = ws.shop.requests.findIndex((r) => r.path === '/api/order_histories' && r.method === 'POST');
    expect(carrierWrite, 'the tracking number goes in before the « shipped » mail').to.be.within(0, stateWrite);
    const r = await report(ws, 'suivi_commandes_1.csv');
    expect(r).to.include({ pipeline: 'order-status', status: 'done' });
    expect(r.records).to.deep.include({ read: 2, updated: 1, rejected: 0 });
    expect(r.warnings.join('\n')).to.contain(`prise(s) en compte par l’ERP, réservation de stock levée : ${o.reference} (id ${o.id})`);
    expect(new Outbox(engine.state).get(o.id)).to.include({ ack_source: 'erp' });

    const writes = ws.shop.writeCount();
    await dropStatus(ws, 'suivi_commandes_1.csv', [
      [web(o.id), '1', '27/11/2026', o.reference, o.reference, ''],
      ['BL00012', '3', '28/11/2026', o.reference, o.reference, '6A12345678901'],
    ]);
    expect((await engine.runOnce()).files[0]!.outcome.status).to.equal('duplicate');
    // The next hourly export: same documents in another order, another file. No request at all.
    const dataRequests = () => ws.shop.requests.filter((q) => q.path !== '/api/' && q.path !== '/api/languages').length;
    const before = dataRequests();
    await dropStatus(ws, 'suivi_commandes_2.csv', [
      ['BL00012', '3', '28/11/2026', o.reference, o.reference, '6A12345678901'],
      [web(o.id), '1', '27/11/2026', o.reference, o.reference, ''],
    ]);
    const next = await engine.runOnce();
    expect(next.files[0]!.outcome.status).to.equal('done');
    expect(ws.shop.writeCount()).to.equal(writes);
    expect(dataRequests()).to.equal(before);
    expect(histories(o.id)).to.deep.equal([2, 4]);
  });

  // Needs the sandbox to record the mails that sendemail=1 sends (being added to src/sandbox/): the real shop
  // mails the state's template once per POST order_histories?sendemail=1 (WEBSERVICE.md §7.2, LESSONS C1/C4).
  it('mails the customer once for « shipped », and never again for the same export (sandbox: recorded mails)', async () => {
    ws = await makeWorkspace({ products: PRODUCTS, config: { orders: { since: '2000-01-01' } } });
    const o = await exportedOrder();
    const engine = await ws.engine();
    await engine.runOnce({ pipeline: 'orders' });
    const rows = [['BL00012', '3', '28/11/2026', o.reference, '', '6A1']];
    await dropStatus(ws, 'suivi_1.csv', rows);
    await engine.runOnce();
    await dropStatus(ws, 'suivi_2.csv', [...rows, ['BC00001', '1', '27/11/2026', o.reference, '', '']]);
    await engine.runOnce();
    const mails = ws.shop.mails.filter((m) => m.idOrder === o.id);
    expect(mails.map((m) => m.template)).to.deep.equal(['shipped']);
  });

  it('never moves an order backwards, nor out of a final state, and says so', async () => {
    ws = await makeWorkspace({ products: PRODUCTS, config: { orders: { since: '2000-01-01' } } });
    const shipped = await exportedOrder(1);
    const delivered = await exportedOrder(2);
    const engine = await ws.engine();
    await engine.runOnce({ pipeline: 'orders' });
    ws.shop.store.setOrderState(shipped.id, 4);
    ws.shop.store.setOrderState(delivered.id, 5);
    await dropStatus(ws, 'suivi_commandes.csv', [
      ['PL00007', '2', '28/11/2026', shipped.reference, '', ''],
      ['BL00009', '3', '28/11/2026', delivered.reference, '', ''],
    ]);
    const run = await engine.runOnce();
    expect(run.exitCode).to.equal(0);
    expect(historyPosts()).to.deep.equal([]);
    expect([state(shipped.id), state(delivered.id)]).to.deep.equal([4, 5]);
    const warnings = (await report(ws, 'suivi_commandes.csv')).warnings.join('\n');
    expect(warnings).to.contain(`commande ${shipped.reference} (id ${shipped.id}) : l’ERP en est au stade PL (préparation de livraison) (état 3) mais la commande est déjà à l’état 4, plus avancé : ignoré, jamais de retour en arrière`);
    expect(warnings).to.contain(`commande ${delivered.reference} (id ${delivered.id}) : l’ERP en est au stade BL (bon de livraison) (état 4) mais la commande est à l’état 5 (orderStatus.finalStates) : non modifiée`);
  });

  it('keeps several parcels, each once, and writes nothing for a number it already holds', async () => {
    ws = await makeWorkspace({ products: PRODUCTS, config: { orders: { since: '2000-01-01' } } });
    const o = await exportedOrder();
    const engine = await ws.engine();
    await engine.runOnce({ pipeline: 'orders' });
    await dropStatus(ws, 'suivi_1.csv', [['BL00012', '3', '28/11/2026', o.reference, '', '6A100']]);
    await engine.runOnce();
    expect(tracking(o.id)).to.equal('6A100');
    // A second parcel on a second delivery note, the first one repeated in another spelling.
    await dropStatus(ws, 'suivi_2.csv', [
      ['BL00012', '3', '28/11/2026', o.reference, '', '6a100'],
      ['BL00013', '3', '29/11/2026', o.reference, '', '6A200|6A 100'],
    ]);
    const updatedAt = String(ws.shop.store.get('orders', o.id)!.date_upd);
    await engine.runOnce();
    expect(tracking(o.id)).to.equal('6A100, 6A200');
    expect(String(ws.shop.store.get('orders', o.id)!.date_upd), 'a tracking number does not move orders.date_upd (transcript 112)').to.equal(updatedAt);
    const writes = ws.shop.writeCount();
    await dropStatus(ws, 'suivi_3.csv', [['BL00013', '3', '29/11/2026', o.reference, '', '6A200']]);
    await engine.runOnce();
    expect(ws.shop.writeCount(), 'the same number twice does nothing').to.equal(writes);
    expect(historyPosts(), 'one « shipped », whatever the parcels').to.have.length(1);
  });

  it('finds an order by reference when the ERP gives no number, and rejects a reference it cannot tell apart', async () => {
    ws = await makeWorkspace({ products: PRODUCTS, config: { orders: { since: '2000-01-01' } } });
    const a = await exportedOrder(1);
    const b = await exportedOrder(2);
    const engine = await ws.engine();
    await engine.ensureConnected();
    // A cart split by carrier: two orders, one reference (LESSONS A2).
    await engine.shop.update('orders', b.id, { reference: a.reference });
    const lone = await exportedOrder(3, { state: 10 }); // not exported: found in the shop by its reference
    await engine.runOnce({ pipeline: 'orders' });
    await dropStatus(ws, 'suivi_commandes.csv', [
      ['BC00001', '1', '28/11/2026', a.reference, '', ''],
      ['BC00002', '1', '28/11/2026', web(b.id), a.reference, ''],
      ['BC00003', '1', '28/11/2026', lone.reference, '', ''],
      ['BC00004', '1', '28/11/2026', 'ZZZZZZZZZ', '', ''],
      ['BC00005', '9', '28/11/2026', lone.reference, '', ''],
      ['BL00006', '3', '31/11/2026', lone.reference, '', ''],
      ['BL00007', '3', '28/11/2026', lone.reference, '', '<6A1>'],
      ['AV00008', '1', '28/11/2026', '', '', ''],
    ]);
    const run = await engine.runOnce();
    expect(run.exitCode).to.equal(0);
    const r = await report(ws, 'suivi_commandes.csv');
    expect(r.status).to.equal('partial');
    const reasons = Object.fromEntries(r.rejects.map((j) => [j.line, j.reason]));
    expect(reasons[2]).to.equal(`la référence ${a.reference} désigne plusieurs commandes exportées (id ${a.id}, id ${b.id}) : l’export de l’ERP doit porter le numéro de pièce (${web(a.id)}, ${web(b.id)})`);
    expect(reasons[5]).to.equal('commande inconnue dans la boutique : référence ZZZZZZZZZ');
    expect(reasons[6]).to.equal('type de pièce « 9 » inconnu (colonne DO_Type ; types suivis : 1 BC, 2 PL, 3 BL, 6 FA, 7 FA)');
    expect(reasons[7]).to.equal('date inexistante : « 31/11/2026 » (colonne DO_Date)');
    expect(reasons[8]).to.match(/^numéro de suivi « <6A1> » refusé par PrestaShop/);
    expect(r.warnings.join('\n')).to.contain('1 ligne(s) sans commande web');
    expect([state(a.id), state(b.id), state(lone.id)]).to.deep.equal([2, 3, 3]);
  });

  it('acknowledges an order the ERP lists: the next stock push no longer holds its units back', async () => {
    ws = await makeWorkspace({ products: PRODUCTS, config: { orders: { since: '2000-01-01' } } });
    const o = await exportedOrder(1, { lines: [{ reference: 'VIS-4X40', name: 'Vis', quantity: 3, unitPriceTaxExcl: 8.25, taxRate: 20 }] });
    const engine = await ws.engine();
    await engine.runOnce({ pipeline: 'orders' });
    await ws.dropStock('stock_1.csv', [['VIS-4X40', '1', '40', '0']]);
    await engine.runOnce();
    expect(ws.quantityOf('VIS-4X40'), 'held back: the ERP has not counted the web order yet').to.equal(37);
    // The ERP now has the order (a BC, any stage): its own stock figure counts the 3 units.
    await dropStatus(ws, 'suivi_commandes.csv', [[web(o.id), '1', '28/11/2026', o.reference, o.reference, '']]);
    await engine.runOnce();
    await ws.dropStock('stock_2.csv', [['VIS-4X40', '1', '37', '0'], ['VIS-4X40', '2', '3', '0']]);
    await engine.runOnce();
    expect(ws.quantityOf('VIS-4X40'), 'the ERP figure, no longer minus the order').to.equal(40);
  });

  it('warns about an exported order the ERP has not shown after orders.ackDelayHours', async () => {
    ws = await makeWorkspace({ products: PRODUCTS, config: { orders: { since: '2000-01-01', ackDelayHours: 24 } } });
    const seen = await exportedOrder(1);
    const unseen = await exportedOrder(2);
    const recent = await exportedOrder(3);
    const engine = await ws.engine();
    await engine.runOnce({ pipeline: 'orders' });
    // Two of them were exported two days ago (the clock is not the test's to wait for).
    const twoDaysAgo = new Date(Date.now() - 48 * 3600_000).toISOString();
    engine.state.sql.prepare('UPDATE outbox SET written_at = ? WHERE id_order IN (?, ?)').run(twoDaysAgo, seen.id, unseen.id);
    await dropStatus(ws, 'suivi_commandes.csv', [[web(seen.id), '1', '28/11/2026', seen.reference, '', '']]);
    await engine.runOnce();
    const warnings = (await report(ws, 'suivi_commandes.csv')).warnings;
    const late = warnings.filter((w) => w.startsWith('commande exportée mais pas encore vue dans l’ERP'));
    expect(late).to.have.length(1);
    expect(late[0]).to.contain(`${unseen.reference} (id ${unseen.id}`);
    expect(warnings.join('\n')).not.to.contain(`(id ${recent.id},`);
  });

  it('refuses a state the shop does not have before changing anything (orderStatus.map)', async () => {
    ws = await makeWorkspace({ products: PRODUCTS, config: { orders: { since: '2000-01-01' }, orderStatus: { map: { BL: { state: 999 } } } } });
    const o = await exportedOrder();
    const engine = await ws.engine();
    await engine.runOnce({ pipeline: 'orders' });
    await dropStatus(ws, 'suivi_commandes.csv', [['BL00012', '3', '28/11/2026', o.reference, '', '']]);
    const err = await failure(engine.runOnce());
    expect(err).to.be.instanceOf(ConfigError);
    expect(err.message).to.contain("orderStatus.map.BL.state : l'état 999 n'existe pas dans la boutique");
    expect(historyPosts()).to.deep.equal([]);
  });

  it('reports the shop\'s bare 500 on an unknown state as a rejected change, nothing changed (transcript 109)', async () => {
    ws = await makeWorkspace({ products: PRODUCTS });
    const o = await exportedOrder();
    const engine = await ws.engine();
    await engine.ensureConnected();
    const err = await failure(moveOrderState(engine.shop, o.id, 999, false));
    expect(err).to.be.instanceOf(RecordRejected);
    expect(err.message).to.match(/^PrestaShop a refusé de passer la commande \d+ à l'état 999 .* Rien n'a changé\.$/);
    expect(histories(o.id)).to.deep.equal([2]);
  });

  it('finishes a change interrupted by the shop going away, without a second history row', async () => {
    ws = await makeWorkspace({ products: PRODUCTS, config: { orders: { since: '2000-01-01' } } });
    const o = await exportedOrder();
    const engine = await ws.engine();
    await engine.runOnce({ pipeline: 'orders' });
    await dropStatus(ws, 'suivi_commandes.csv', [['BL00012', '3', '28/11/2026', o.reference, '', '6A1']]);
    // The tracking PATCH goes through; the shop then answers 503 to the POST until the run gives up.
    const off = ws.shop.onRequest(({ method, path: p }) => {
      if (method === 'PATCH' && p.startsWith('/api/order_carriers/')) ws.shop.injectFaults({ status: 503, count: 50, methods: ['POST'] });
    });
    const first = await engine.runOnce();
    off();
    expect(first.files[0]!.outcome.status).to.equal('deferred');
    expect(tracking(o.id)).to.equal('6A1');
    expect(state(o.id)).to.equal(2);
    ws.shop.clearFaults();
    const second = await engine.runOnce();
    expect(second.files[0]!.outcome.status).to.equal('done');
    expect(histories(o.id)).to.deep.equal([2, 4]);
    expect(tracking(o.id)).to.equal('6A1');
  });

  it('kill -9 right after the state change, before it is recorded: the next run posts no second one', async () => {
    ws = await makeWorkspace({ products: PRODUCTS, config: { orders: { since: '2000-01-01' } } });
    const o = await exportedOrder();
    const engine = await ws.engine();
    await engine.runOnce({ pipeline: 'orders' });
    engine.close();
    await dropStatus(ws, 'suivi_commandes.csv', [['BL00012', '3', '28/11/2026', o.reference, '', '6A1']]);
    const killed = await runChild(ws.configFile, ws.root, 'order-status.state-posted');
    expect(killed.signal, killed.output).to.equal('SIGKILL');
    expect(state(o.id)).to.equal(4);
    const again = await runChild(ws.configFile, ws.root);
    expect(again.code, again.output).to.equal(0);
    expect(histories(o.id)).to.deep.equal([2, 4]);
    expect(historyPosts()).to.have.length(1);
  });
});
