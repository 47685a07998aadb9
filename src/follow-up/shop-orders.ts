// The shop side of the follow-up flows: orders read 50 at a time by id or by reference, the order states
// the shop knows, and one lock per order so that two records never change one order at once.
import { ConfigError } from '../errors.ts';
import { createBatcher, type Batcher } from '../runner/batcher.ts';
import { filterIn, type ShopClient } from '../prestashop/client.ts';

export interface ShopOrder {
  id: number;
  reference: string;
  currentState: number;
  idCustomer: string;
  idLang: string;
  idShop: string;
}

const FIELDS = ['id', 'reference', 'current_state', 'id_customer', 'id_lang', 'id_shop'];

function toOrder(r: Record<string, unknown>): ShopOrder {
  return {
    id: Number(r.id), reference: String(r.reference ?? '').toUpperCase(), currentState: Number(r.current_state ?? 0),
    idCustomer: String(r.id_customer ?? '0'), idLang: String(r.id_lang ?? '1'), idShop: String(r.id_shop ?? '1'),
  };
}

interface Lookups { byId: Batcher<number, ShopOrder>; byReference: Batcher<string, ShopOrder[]>; states?: Promise<Set<number>> }
const lookups = new WeakMap<ShopClient, Lookups>();

function lookupsFor(shop: ShopClient): Lookups {
  let l = lookups.get(shop);
  if (!l) {
    l = {
      byId: createBatcher<number, ShopOrder>(async (ids) => {
        const rows = await shop.list('orders', { display: FIELDS, filter: { id: filterIn(ids) }, limit: ids.length });
        return new Map(rows.map((r) => [Number(r.id), toOrder(r)]));
      }),
      byReference: createBatcher<string, ShopOrder[]>(async (refs) => {
        const found = new Map<string, ShopOrder[]>();
        for await (const r of shop.listAll('orders', { display: FIELDS, filter: { reference: filterIn(refs) } })) {
          const o = toOrder(r);
          found.set(o.reference, [...(found.get(o.reference) ?? []), o]);
        }
        return found;
      }),
    };
    lookups.set(shop, l);
  }
  return l;
}

/** The client the follow-up flows find orders with: in multistore (shop.shops) every shop's context at once
 *  (`id_shop=all`), since a list without it shows the default shop's orders only (LESSONS F1). */
export function ordersClient(ctx: { config: { shop: { shops?: unknown } }; shop: ShopClient }): ShopClient {
  return ctx.config.shop.shops !== undefined ? ctx.shop.withShop('all') : ctx.shop;
}

/** The order as the shop holds it now (read at call time, batched with the calls made meanwhile). */
export function orderById(shop: ShopClient, id: number): Promise<ShopOrder | undefined> {
  return lookupsFor(shop).byId.get(id);
}

/** Every order carrying this reference (several when a cart was split, LESSONS A2). */
export async function ordersByReference(shop: ShopClient, reference: string): Promise<ShopOrder[]> {
  return (await lookupsFor(shop).byReference.get(reference.toUpperCase())) ?? [];
}

/** The configured state must exist in the shop: PrestaShop answers an unknown one with a bare 500 and
 *  changes nothing (transcript 109), which would reject every order one by one. */
export async function assertStateExists(shop: ShopClient, state: number, configKey: string): Promise<void> {
  const l = lookupsFor(shop);
  l.states ??= shop.list('order_states', { display: ['id', 'deleted'] }).then((rows) => new Set(rows.filter((r) => r.deleted !== '1').map((r) => Number(r.id))));
  const states = await l.states.catch((err: unknown) => { l.states = undefined; throw err; });
  if (!states.has(state)) {
    throw new ConfigError([`${configKey} : l'état ${state} n'existe pas dans la boutique (états existants : ${[...states].sort((a, b) => a - b).join(', ')})`]);
  }
}

const locks = new WeakMap<object, Map<number, Promise<unknown>>>();

/** Runs `fn` after every earlier call for the same order (per state store) has settled. */
export async function withOrderLock<T>(scope: object, idOrder: number, fn: () => Promise<T>): Promise<T> {
  let byId = locks.get(scope);
  if (!byId) locks.set(scope, (byId = new Map()));
  const before = byId.get(idOrder) ?? Promise.resolve();
  const run = before.catch(() => undefined).then(fn);
  byId.set(idOrder, run);
  try {
    return await run;
  } finally {
    if (byId.get(idOrder) === run) byId.delete(idOrder);
  }
}
