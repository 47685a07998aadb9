// PrestaShop side of the orders flow, pure: which orders to read and how (WEBSERVICE.md §7.1).
import type { ListQuery } from '../../src/prestashop/query.ts';
import { filterIn } from '../../src/prestashop/query.ts';

/** Orders whose state matters to the export, updated since the watermark. `date=1` is mandatory to filter
 *  on date_upd (transcript 101: without it, 500/32); dates are shop-local strings, compared as such. */
export function ordersSince(states: number[], fromShopLocal: string): ListQuery {
  return {
    display: 'full',
    date: true,
    filter: { current_state: filterIn(states), date_upd: `[${fromShopLocal},9999-12-31 23:59:59]` },
    sort: ['date_upd_ASC', 'id_ASC'],
  };
}

/** The same list restricted to one shop's orders: in a group that shares orders, a list in one shop's context
 *  shows the whole group's (Shop::addSqlRestriction(SHARE_ORDER)), and each shop is read on its own. */
export function ofShop(q: ListQuery, shopId: number): ListQuery {
  return { ...q, filter: { ...q.filter, id_shop: `[${shopId}]` } };
}

/** orders.id_shop, when the order carries one (every order does on a real shop; 0 or absent = not said). */
export function orderShopId(order: Record<string, unknown>): { shopId?: number } {
  const id = Number(order.id_shop ?? 0);
  return Number.isInteger(id) && id > 0 ? { shopId: id } : {};
}

/** Orders by id; `limit` bounds the answer to the ids asked (a list without limit returns every match). */
export function ordersByIds(ids: number[]): ListQuery {
  return { display: 'full', filter: { id: filterIn(ids) }, sort: ['id_ASC'], limit: ids.length };
}

/** Shop-local "YYYY-MM-DD HH:MM:SS" minus some minutes: the windows overlap, so an order updated during
 *  a run is seen by the next one (the outbox makes seeing it twice harmless). */
export function shopLocalMinus(value: string, minutes: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(value);
  if (!m) return value;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) - minutes * 60_000;
  return new Date(t).toISOString().slice(0, 19).replace('T', ' ');
}

/** Windows overlap by this much: an order updated while a run read the shop is seen by the next one. */
export const OVERLAP_MINUTES = 5;

/** `orders.since` as a shop-local "YYYY-MM-DD HH:MM:SS", or undefined when not configured. */
export function sinceFloor(since: string | undefined): string | undefined {
  if (!since) return undefined;
  return since.length === 10 ? `${since} 00:00:00` : since;
}

/**
 * Where a run's list of orders starts: the first run at `orders.since` (else lookbackDays ago), later ones a few
 * minutes before the cursor — but never before `orders.since` (issue #7: the overlap exported orders updated just
 * before it, which the ERP already had at go-live).
 */
export function listFrom(cursor: string | undefined, since: string | undefined, lookbackDays: number, now: Date, timeZone: string): string {
  const floor = sinceFloor(since);
  const from = cursor ? shopLocalMinus(cursor, OVERLAP_MINUTES) : firstWatermark(since, lookbackDays, now, timeZone);
  return floor !== undefined && from < floor ? floor : from;
}

/** An order updated before `orders.since` is never exported, whichever way it was read (a held one re-read by id). */
export function updatedBefore(order: Record<string, unknown>, since: string | undefined): boolean {
  const floor = sinceFloor(since);
  return floor !== undefined && String(order.date_upd ?? '') < floor;
}

/** The date a first run starts from: `orders.since`, else `lookbackDays` before now, in the shop's zone. */
export function firstWatermark(since: string | undefined, lookbackDays: number, now: Date, timeZone: string): string {
  const floor = sinceFloor(since);
  if (floor !== undefined) return floor;
  const t = new Date(now.getTime() - lookbackDays * 86_400_000);
  return shopLocalString(t, timeZone);
}

export function shopLocalString(t: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(t);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

/** A state id from an order record (`current_state` is a string in the webservice). */
export function currentState(order: Record<string, unknown>): number {
  return Number(order.current_state ?? 0);
}
