// Everything the ERP file needs about one shop order, read from the webservice (WEBSERVICE.md §7.1, §9.7):
// the order (display=full, with order_rows), its order_details (line discounts and taxes live only there),
// its cart rules, the customer, both addresses, the carrier and the countries. Carriers, countries,
// currencies and taxes are few: read once per run and kept.
import type { RunContext } from '../pipeline.ts';
import type { PrestaShopOrderSource, PsAddress, PsCustomer, PsOrder, PsOrderCartRule, PsOrderDetail } from '../../transforms/orders/from-prestashop.ts';
import { RecordRejected } from '../errors.ts';
import { byOrder } from '../../transforms/prestashop/orders.ts';
import type { ShopClient } from '../prestashop/client.ts';
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
      return { countries, carriers: new Map(), currencies, taxRates };
    })();
    cache.set(shop, l);
    // A failed read must not stay cached: the next order tries again.
    l.catch(() => cache.delete(shop));
  }
  return l;
}

async function required(shop: ShopClient, resource: string, id: unknown, what: string, order: string): Promise<PsRecord> {
  const rec = id && String(id) !== '0' ? await shop.get(resource, String(id)) : undefined;
  if (!rec) throw new RecordRejected(`${what} introuvable dans la boutique (${resource} ${String(id)}) pour la commande ${order}`, order);
  return rec;
}

export async function fetchOrderSource(ctx: RunContext, order: PsRecord): Promise<PrestaShopOrderSource> {
  const shop = ctx.shop;
  const l = await lookups(shop);
  const id = String(order.id);
  // Most orders are billed and delivered at one address: read it once.
  const sameAddress = String(order.id_address_invoice) === String(order.id_address_delivery);
  const [details, cartRules, customer, invoiceAddress, deliveryAddress] = await Promise.all([
    shop.list('order_details', byOrder(id)),
    shop.list('order_cart_rules', byOrder(id)),
    required(shop, 'customers', order.id_customer, 'client', id),
    required(shop, 'addresses', order.id_address_invoice, 'adresse de facturation', id),
    sameAddress ? undefined : required(shop, 'addresses', order.id_address_delivery, 'adresse de livraison', id),
  ]);
  const carrierId = String(order.id_carrier ?? '');
  if (!l.carriers.has(carrierId)) l.carriers.set(carrierId, carrierId && carrierId !== '0' ? await shop.get('carriers', carrierId) : undefined);
  const carrier = l.carriers.get(carrierId);
  return {
    order: order as PsOrder,
    details: details as PsOrderDetail[],
    cartRules: cartRules as PsOrderCartRule[],
    customer: customer as PsCustomer,
    invoiceAddress: invoiceAddress as PsAddress,
    deliveryAddress: (deliveryAddress ?? invoiceAddress) as PsAddress,
    ...(carrier ? { carrier: { name: String(carrier.name ?? '') } } : {}),
    countryIsoById: l.countries,
    currencyIso: l.currencies[String(order.id_currency ?? '')] ?? 'EUR',
    taxRateById: l.taxRates,
  };
}
