// Orders → ERP — hourly, and on demand with `prestasync orders`. Starts from the shop, not from a file.
//   source:    orders in orders.exportStates / cancelledStates updated since the last run, never before
//              orders.since (display=full), a page of 50 at a time
//   read:      per page, one list each of their order_details, order_cart_rules, customers, addresses;
//              carriers, countries, currencies, taxes once per run                    src/outbound/order-source.ts
//   transform: PrestaShop records → ErpOrder → held (with a reason) or the ERP's native file  transforms/orders
//              a customer that came from the ERP (customers flow) keeps its ERP account code
//   load:      outbox: pending → written (outbox/, temp name + fsync + rename) → delivered (SFTP) — exactly once;
//              each written order in exactly one archived run report                  src/outbound/order-report.ts
//   multistore: with shop.shops, each shop's orders are listed in its own context (id_shop, LESSONS F1), with
//              their details, and each shop has its own watermark; the outbox key stays id_order (global
//              to the install), so an order is written once whichever shop context saw it
//   resources: orders, order_details, order_cart_rules, customers, addresses, carriers, countries,
//              currencies, taxes (read only); shops, shop_groups with shop.shops (checked by `check`)
import { errorMessage, ConfigError, RecordRejected, RetriableError } from '../src/errors.ts';
import { makeDeliverer } from '../src/outbound/deliver.ts';
import type { RunContext, ShopPipeline, ShopRunReport } from '../src/pipeline.ts';
import { Outbox } from '../src/state/outbox.ts';
import type { StateStore } from '../src/state/store.ts';
import type { OrdersConfig } from '../src/erp/orders-config.ts';
import type { PsRecord } from '../src/prestashop/xml.ts';
import { crashPoint } from '../src/testing/crash-points.ts';
import type { ErpKind } from '../transforms/orders/common.ts';
import { toErpOrder, type ErpOrder } from '../transforms/orders/index.ts';
import { checkOrderFor, writeOrdersFor } from '../transforms/orders/write.ts';
import { writeCancellationNotice } from '../transforms/orders/cancellation.ts';
import { currentState, listFrom, ofShop, orderShopId, ordersByIds, ordersSince, updatedBefore } from '../transforms/prestashop/orders.ts';
import type { ShopClient } from '../src/prestashop/client.ts';
import { configuredShops } from '../src/prestashop/shops.ts';
import { fetchOrderSources } from '../src/outbound/order-source.ts';
import { writeAndDeliver, type Counter } from '../src/outbound/order-files.ts';
import { reportEveryOrderOnce } from '../src/outbound/order-report.ts';

const WATERMARK = 'orders.date_upd';
const PAGE = 50;

export const orders: ShopPipeline = {
  kind: 'shop',
  name: 'orders',
  title: 'Commandes vers l’ERP',
  schedule: 'hourly',
  resources: ['orders', 'order_details', 'order_cart_rules', 'customers', 'addresses', 'carriers', 'countries', 'currencies', 'taxes'],
  writes: [],
  dependsOn: [],
  notApplicable: (config) => (erpKind(config.erp.profile) ? undefined : cannotWriteOrders(config.erp.profile)),
  run: exportOrders,
};

/** The customers flow's identity entity (ERP account code → shop customer). */
const CUSTOMER_ENTITY = 'customer';

const cannotWriteOrders = (profile: string) => `erp.profile: le profil « ${profile} » ne sait pas écrire de commandes (sage100, ebp ou divalto)`;

function erpKind(profile: string): ErpKind | undefined {
  if (profile === 'sage100') return 'sage';
  if (profile === 'ebp' || profile === 'divalto') return profile;
  return undefined;
}

export function erpKindOf(profile: string): ErpKind {
  const kind = erpKind(profile);
  if (!kind) throw new ConfigError([cannotWriteOrders(profile)]);
  return kind;
}

/** A shop customer the customers flow created or adopted is written with its ERP account code (the
 *  identity map), not the generic web account; a code in the customer's note (`ERP:<code>`) comes first. */
export function withErpAccount(o: ErpOrder, state: StateStore): ErpOrder {
  if (o.customer.erpCode !== undefined) return o;
  const keys = state.keysOfShopObject(CUSTOMER_ENTITY, String(o.customer.idCustomer));
  if (keys.length !== 1) return o; // the identity engine never lets two ERP accounts share one shop customer
  const data = state.lookup(CUSTOMER_ENTITY, keys[0]!)?.data;
  const code = typeof data?.code === 'string' && data.code !== '' ? data.code : keys[0]!;
  return { ...o, customer: { ...o.customer, erpCode: code } };
}

async function exportOrders(ctx: RunContext): Promise<ShopRunReport> {
  const cfg = ctx.config.orders;
  const erp = erpKindOf(ctx.config.erp.profile);
  const outbox = new Outbox(ctx.state);
  const report: ShopRunReport = { status: 'done', counts: {}, items: [] };
  if (ctx.dryRun) throw new ConfigError(['--dry-run ne s’applique pas à l’export des commandes (il n’écrit rien dans la boutique)']);
  // Written orders an interrupted run left out of any report come first; this run's report lists each once.
  const count: Counter = reportEveryOrderOnce(outbox, report);

  for (const r of outbox.expireAcknowledgements(cfg.ackDelayHours)) {
    count('accusé par délai', String(r.id_order), `commande ${r.reference} tenue pour prise en compte par l’ERP après ${cfg.ackDelayHours} h : sa réservation de stock est levée`);
  }

  const deliverer = makeDeliverer(ctx.config, ctx.log);
  try {
    // 1. Finish what an earlier run left half done (crash, SFTP down): same files, same names.
    const deliver = () => writeAndDeliver(outbox, erp, cfg, ctx, deliverer, count);
    await deliver();

    // 2. New orders, cancellations, held orders to look at again; each page of orders is written and
    //    delivered before the next is read (one file per order), so a long backlog checkpoints as it goes.
    const seen = await discover(ctx, outbox, cfg, erp, count, deliver, await orderScopes(ctx));

    // 3. Write and deliver what is left: a batch file, the cancellation notices.
    await deliver();
    for (const [cursor, maxDateUpd] of seen) outbox.setCursor(cursor, maxDateUpd);
  } catch (err) {
    if (!(err instanceof RetriableError)) throw err;
    report.status = 'failed';
    count('reporté', '-', `boutique ou SFTP injoignable, reprise au prochain passage : ${errorMessage(err)}`);
  } finally {
    await deliverer.close().catch(() => undefined);
  }
  if (report.status === 'done' && ((report.counts['retenue'] ?? 0) > 0 || (report.counts['non livrée'] ?? 0) > 0)) report.status = 'partial';
  return report;
}

/** Where orders are listed: the client's own context (no shop.shops: as before multistore), or each shop of
 *  shop.shops in its own context, each with its own watermark. */
interface OrderScope { shop: ShopClient; cursor: string; shopId?: number }

async function orderScopes(ctx: RunContext): Promise<OrderScope[]> {
  const shops = await configuredShops(ctx.config, ctx.shop);
  if (!shops) return [{ shop: ctx.shop, cursor: WATERMARK }];
  return shops.map((s) => ({ shop: ctx.shop.withShop(s.id), cursor: `${WATERMARK}@${s.id}`, shopId: s.id }));
}

/** Returns the watermark each scope reached (cursor name → its greatest date_upd). */
async function discover(ctx: RunContext, outbox: Outbox, cfg: OrdersConfig, erp: ErpKind, count: Counter, deliver: () => Promise<void>, scopes: OrderScope[]): Promise<Map<string, string>> {
  const states = [...cfg.exportStates, ...cfg.cancelledStates];
  const reached = new Map<string, string>();
  let fresh: Array<{ order: PsRecord; erpOrder: ErpOrder }> = [];
  const considered = new Set<number>();

  const hold = (id: number, ref: string, state: number, reason: string) => {
    outbox.hold(id, ref, state, reason);
    count('retenue', String(id), `commande ${ref} : ${reason}`);
  };

  /** Cancellations are settled here; returns whether the order is to be exported (its details must be read). */
  const triage = (order: PsRecord): boolean => {
    const id = Number(order.id);
    if (considered.has(id)) return false;
    considered.add(id);
    if (updatedBefore(order, cfg.since)) return false;
    const state = currentState(order);
    const ref = String(order.reference ?? '');
    const row = outbox.get(id);
    if (cfg.cancelledStates.includes(state)) {
      if (!row || row.status === 'held' || row.status === 'pending') {
        outbox.cancelBeforeExport(id, ref, state);
        count('annulée avant export', String(id), `commande ${ref} annulée avant export : jamais exportée`);
      } else if ((row.status === 'written' || row.status === 'delivered') && row.cancel_status === null) {
        const notice = writeCancellationNotice({ idOrder: id, ...orderShopId(order), reference: ref, cancelledAt: String(order.date_upd ?? ''), exportedFileName: row.file_name ?? '' }, erp, cfg);
        outbox.startCancellation(id, notice.fileName, state, String(order.date_upd ?? ''));
      }
      return false;
    }
    if (!cfg.exportStates.includes(state)) return false;
    return !row || row.status === 'held'; // exported once, never again (cancelled ones stay cancelled)
  };

  /** A page of orders: their details read together, each order held (with its reason) or ready to enter the outbox. */
  const examine = async (page: PsRecord[], shop: ShopClient) => {
    const toRead = page.filter(triage);
    // the details, customers, carriers… of a shop's orders are read in that shop's context
    const sources = await fetchOrderSources({ ...ctx, shop }, toRead);
    for (const order of toRead) {
      const id = Number(order.id);
      const ref = String(order.reference ?? '');
      const state = currentState(order);
      const source = sources.get(String(order.id));
      try {
        if (!source) throw new Error('internal: no source read for this order');
        if (source instanceof RecordRejected) throw source;
        const erpOrder = withErpAccount(toErpOrder(source), ctx.state);
        const check = checkOrderFor(erp, erpOrder, cfg);
        if (check.held) hold(id, ref, state, check.reason);
        else fresh.push({ order, erpOrder });
      } catch (err) {
        if (err instanceof RetriableError || err instanceof ConfigError) throw err;
        // Malformed data in one order (an amount that is not a number…) holds that order, not the run.
        if (!(err instanceof RecordRejected)) ctx.log.error('unexpected error while preparing an order', { idOrder: id, err });
        hold(id, ref, state, err instanceof RecordRejected ? err.reason : `données de la commande illisibles : ${errorMessage(err)}`);
      }
    }
  };

  // The new orders enter the outbox with their file names fixed, in one transaction: a crash later
  // cannot give an order a second file.
  const enterOutbox = async () => {
    if (fresh.length === 0) return;
    const batch = fresh.sort((a, b) => a.erpOrder.idOrder - b.erpOrder.idOrder);
    fresh = [];
    const files = await writeOrdersFor(erp, batch.map((f) => f.erpOrder), cfg);
    const fileOf = (o: ErpOrder) => files.length === 1 ? files[0]!.fileName : files.find((f) => f.fileName.startsWith(`CMD-${o.idOrder}-`))!.fileName;
    outbox.addPending(batch.map(({ order, erpOrder }) => ({
      idOrder: erpOrder.idOrder, reference: erpOrder.reference, shopState: currentState(order), payload: erpOrder,
      fileName: fileOf(erpOrder), lines: erpOrder.lines.map((l) => ({ reference: l.reference, quantity: l.quantity })),
    })));
    crashPoint('orders.page-entered');
  };

  for (const scope of scopes) {
    const from = outbox.cursor(scope.cursor);
    const since = listFrom(from, cfg.since, cfg.lookbackDays, new Date(), ctx.config.shop.timezone);
    let maxDateUpd = from;
    let page: PsRecord[] = [];
    const flush = async () => {
      await examine(page, scope.shop);
      page = [];
      // One file per order: this page's files now. A batch file (orders.batch) waits for the whole run.
      if (!cfg.batch) {
        await enterOutbox();
        await deliver();
        // Every order up to here is in the outbox: a run killed later starts from this page.
        if (maxDateUpd) outbox.setCursor(scope.cursor, maxDateUpd);
      }
    };
    const query = scope.shopId === undefined ? ordersSince(states, since) : ofShop(ordersSince(states, since), scope.shopId);
    for await (const order of scope.shop.listAll('orders', { ...query, pageSize: PAGE })) {
      const upd = String(order.date_upd ?? '');
      if (!maxDateUpd || upd > maxDateUpd) maxDateUpd = upd;
      page.push(order);
      if (page.length >= PAGE) await flush();
    }
    await flush();
    if (maxDateUpd) reached.set(scope.cursor, maxDateUpd);
  }
  // Held orders are looked at again even when the shop did not touch them (a config fix may release them).
  // In multistore they are read in every shop's context at once (id_shop=all), then examined in their own.
  const held = outbox.withStatus('held').map((r) => r.id_order).filter((id) => !considered.has(id));
  const single = scopes.length === 1 && scopes[0]!.shopId === undefined ? scopes[0]!.shop : undefined;
  const reader = single ?? ctx.shop.withShop('all');
  for (let i = 0; i < held.length; i += PAGE) {
    const orders = await reader.list('orders', ordersByIds(held.slice(i, i + PAGE)));
    if (single) await examine(orders, single);
    else for (const [shopId, ofThat] of byShop(orders)) await examine(ofThat, scopes.find((s) => s.shopId === shopId)?.shop ?? ctx.shop.withShop(shopId));
  }

  await enterOutbox();
  return reached;
}

function byShop(orders: PsRecord[]): Map<number, PsRecord[]> {
  const out = new Map<number, PsRecord[]>();
  for (const o of orders) {
    const id = orderShopId(o).shopId ?? 1;
    out.set(id, [...(out.get(id) ?? []), o]);
  }
  return out;
}
