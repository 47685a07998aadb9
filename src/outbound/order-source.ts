// Everything the ERP files need about a page of shop orders, read from the webservice a page at a time
// (WEBSERVICE.md §7.1, §9.7): the orders come with display=full (order_rows); their order_details (line
// discounts and taxes live only there), cart rules, customers and addresses are read with one list each,
// filtered on the page's ids (`[1|2|…]` is an OR, INDEX.md "Lists"). Carriers, countries, currencies and
// taxes are few and do not change during a run: read once per client and kept.
// About 5 requests per page of 50 orders instead of 4 per order (issue #7).
import type { RunContext } from '../pipeline.ts';
import type { PrestaShopOrderSource, PsAddress, PsCustomer, PsOrder, PsOrderCartRule, PsOrderDetail } from '../../transforms/orders/from-prestashop.ts';
import { RecordRejected } from '../errors.ts';
import type { ShopClient } from '../prestashop/client.ts';
import { filterIn } from '../prestashop/query.ts';
import type { PsRecord } from '../prestashop/xml.ts';

interface Lookups {
  countries: Record<string, string>;
  carriers: Map<string, PsRecord | undefined>;
  currencies: Record<string, string>;
  taxRates: Record<string, number>;
}

const cache = new WeakMap<ShopClient, Promise<Lookups>>();

function lookups(shop: ShopClient): Promise<Lookups> {
  let l = cache.get(shop);
  if (!l) {
    l = (async () => {
      const countries: Record<string, string> = {};
      for await (const c of shop.listAll('countries', { display: ['id', 'iso_code'] })) countries[String(c.id)] = String(c.iso_code);
      const currencies: Record<string, string> = {};
      for await (const c of shop.listAll('currencies', { display: ['id', 'iso_code'] })) currencies[String(c.id)] = String(c.iso_code);
      const taxRates: Record<string, number> = {};
      for await (const t of shop.listAll('taxes', { display: ['id', 'rate'] })) taxRates[String(t.id)] = Number(t.rate);
      // Every carrier, deleted versions included (an order keeps the id of the version it was placed with).
      const carriers = new Map<string, PsRecord | undefined>();
      for await (const c of shop.listAll('carriers', { display: ['id', 'name'] })) carriers.set(String(c.id), c);
      return { countries, carriers, currencies, taxRates };
    })();
    cache.set(shop, l);
    // A failed read must not stay cached: the next page tries again.
    l.catch(() => cache.delete(shop));
  }
  return l;
}

// Fields the ERP files use: the customer's password hash and secure key need not travel.
const CUSTOMER_FIELDS = ['id', 'email', 'firstname', 'lastname', 'company', 'note'];
const ADDRESS_FIELDS = ['id', 'company', 'lastname', 'firstname', 'vat_number', 'address1', 'address2', 'postcode', 'city', 'id_country', 'phone', 'phone_mobile'];
const CART_RULE_FIELDS = ['id', 'id_order', 'name', 'value', 'value_tax_excl'];
/** Ids per filtered list: keeps the URL short whatever the page size. */
const IDS_PER_LIST = 100;
/** Rows per page of a list filtered on the page's orders (50 orders × a few lines: usually one page). */
const ROWS_PER_PAGE = 500;

const known = (id: unknown): id is string | number => id !== undefined && id !== null && String(id) !== '' && String(id) !== '0';

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Objects by id. `limit` bounds the answer to the ids asked: a list without limit returns every match. */
async function byIds(shop: ShopClient, resource: string, ids: string[], display: string[]): Promise<Map<string, PsRecord>> {
  const found = new Map<string, PsRecord>();
  for (const part of chunks([...new Set(ids)], IDS_PER_LIST)) {
    for (const r of await shop.list(resource, { display, filter: { id: filterIn(part) }, limit: part.length })) found.set(String(r.id), r);
  }
  // An address the customer deleted after ordering is kept with deleted=1: whether a list shows it is not
  // verified on a real shop, so one missing from the list is read alone (as before, one request for it).
  const missing = [...new Set(ids)].filter((id) => !found.has(id));
  for (const [id, r] of await Promise.all(missing.map(async (id) => [id, await shop.get(resource, id)] as const))) {
    if (r) found.set(id, r);
  }
  return found;
}

/** The rows of `resource` belonging to these orders, grouped by id_order, paginated (a big B2B order has hundreds). */
async function byOrders(shop: ShopClient, resource: string, orderIds: string[], display: 'full' | string[]): Promise<Map<string, PsRecord[]>> {
  const wanted = new Set(orderIds);
  const out = new Map<string, PsRecord[]>();
  for (const part of chunks(orderIds, IDS_PER_LIST)) {
    for await (const r of shop.listAll(resource, { display, filter: { id_order: filterIn(part) }, sort: ['id_ASC'], pageSize: ROWS_PER_PAGE })) {
      const id = String(r.id_order);
      if (wanted.has(id)) out.set(id, [...(out.get(id) ?? []), r]);
    }
  }
  return out;
}

/** Per order id: what its ERP file needs, or why it cannot be read (a deleted customer…: the order is held). */
export type OrderSources = Map<string, PrestaShopOrderSource | RecordRejected>;

export async function fetchOrderSources(ctx: RunContext, orders: PsRecord[]): Promise<OrderSources> {
  const shop = ctx.shop;
  const result: OrderSources = new Map();
  if (orders.length === 0) return result;
  const ids = [...new Set(orders.map((o) => String(o.id)))];
  const customerIds = orders.map((o) => o.id_customer).filter(known).map(String);
  const addressIds = orders.flatMap((o) => [o.id_address_invoice, o.id_address_delivery]).filter(known).map(String);
  const [l, details, cartRules, customers, addresses] = await Promise.all([
    lookups(shop),
    byOrders(shop, 'order_details', ids, 'full'),
    byOrders(shop, 'order_cart_rules', ids, CART_RULE_FIELDS),
    byIds(shop, 'customers', customerIds, CUSTOMER_FIELDS),
    byIds(shop, 'addresses', addressIds, ADDRESS_FIELDS),
  ]);
  for (const order of orders) {
    const id = String(order.id);
    try {
      const required = (map: Map<string, PsRecord>, resource: string, ref: unknown, what: string): PsRecord => {
        const rec = known(ref) ? map.get(String(ref)) : undefined;
        if (!rec) throw new RecordRejected(`${what} introuvable dans la boutique (${resource} ${String(ref)}) pour la commande ${id}`, id);
        return rec;
      };
      const customer = required(customers, 'customers', order.id_customer, 'client');
      const invoiceAddress = required(addresses, 'addresses', order.id_address_invoice, 'adresse de facturation');
      const deliveryAddress = required(addresses, 'addresses', order.id_address_delivery, 'adresse de livraison');
      const carrier = await carrierOf(shop, l, order.id_carrier);
      result.set(id, {
        order: order as PsOrder,
        details: (details.get(id) ?? []) as PsOrderDetail[],
        cartRules: (cartRules.get(id) ?? []) as PsOrderCartRule[],
        customer: customer as PsCustomer,
        invoiceAddress: invoiceAddress as PsAddress,
        deliveryAddress: deliveryAddress as PsAddress,
        ...(carrier ? { carrier: { name: String(carrier.name ?? '') } } : {}),
        countryIsoById: l.countries,
        currencyIso: l.currencies[String(order.id_currency ?? '')] ?? 'EUR',
        taxRateById: l.taxRates,
      });
    } catch (err) {
      if (!(err instanceof RecordRejected)) throw err;
      result.set(id, err);
    }
  }
  return result;
}

/** A carrier created after the list was read is read once, then kept. */
async function carrierOf(shop: ShopClient, l: Lookups, id: unknown): Promise<PsRecord | undefined> {
  if (!known(id)) return undefined;
  const key = String(id);
  if (!l.carriers.has(key)) l.carriers.set(key, await shop.get('carriers', key));
  return l.carriers.get(key);
}
