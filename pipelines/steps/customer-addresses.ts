// A customer's addresses after the customer's write (issue 9): billing and every delivery place, each
// remembered under its own key (entity `address`: `<CODE>#billing`, `<CODE>#<DELIVERY LABEL>`) with the
// fields last written, so an unchanged address costs nothing and a changed one its PATCH alone. On first
// sight of a customer (adopted) or after a crash, the shop's addresses of that customer are read and one
// with the same alias that no key owns is adopted instead of duplicated. An address the ERP no longer
// has is deleted only when no order uses it; one an order uses is left as is and no longer owned.
import { RecordRejected, ShopObjectGone } from '../../src/errors.ts';
import type { FileContext } from '../../src/pipeline.ts';
import { ShopRejected } from '../../src/prestashop/errors.ts';
import { filterEq } from '../../src/prestashop/query.ts';
import type { PsRecord } from '../../src/prestashop/xml.ts';
import { looseKey } from '../../src/runner/find-by-field.ts';
import type { AddressLine } from '../../transforms/customers/types.ts';
import { addressFields, addressFieldsOf, changedAddressFields, type AddressFields } from '../../transforms/prestashop/customer.ts';

export const ADDRESS_ENTITY = 'address';

const countriesPerFile = new WeakMap<object, Promise<Map<string, string>>>();

async function countryId(ctx: FileContext, iso: string, code: string): Promise<string> {
  let ids = countriesPerFile.get(ctx.file);
  if (!ids) {
    ids = (async () => {
      const m = new Map<string, string>();
      for await (const c of ctx.shop.listAll('countries', { display: ['id', 'iso_code'] })) m.set(String(c.iso_code).toUpperCase(), String(c.id));
      return m;
    })();
    countriesPerFile.set(ctx.file, ids);
    ids.catch(() => countriesPerFile.delete(ctx.file));
  }
  const id = (await ids).get(iso);
  if (id === undefined) throw new RecordRejected(`client ${code} : pays ${iso} absent de la boutique (International > Localisation > Pays)`, code);
  return id;
}

export interface AddressesResult { writes: number; keys: string[] }

/** Every address's country is in the shop: checked before the customer is written, so that a refused
 *  address never leaves a customer without its addresses. */
export async function checkCountries(ctx: FileContext, code: string, lines: readonly AddressLine[]): Promise<void> {
  for (const a of lines) await countryId(ctx, a.country, code);
}

/** `fromShop`: read the customer's addresses first (adopted customer, or after a crash). */
export async function syncAddresses(ctx: FileContext, code: string, customerId: string, lines: readonly AddressLine[], previous: readonly string[], fromShop: boolean): Promise<AddressesResult> {
  let writes = 0;
  const inShop = fromShop ? await shopAddresses(ctx, customerId) : undefined;
  const taken = new Set<string>();
  for (const a of lines) {
    const want = addressFields(a, await countryId(ctx, a.country, code));
    const remembered = ctx.state.lookup(ADDRESS_ENTITY, a.key);
    // an address of the customer this key had before (deleted in the back office, created anew) is not its
    const known = remembered && remembered.data.customer === customerId ? remembered : undefined;
    let id = known?.shopId;
    let have: AddressFields | undefined;
    if (id !== undefined && inShop) {
      const row = inShop.find((r) => String(r.id) === id);
      have = row ? addressFieldsOf(row) : undefined;
      if (!row) id = undefined;
    } else if (id !== undefined) {
      have = known!.data.fields as AddressFields | undefined;
    }
    if (id === undefined && inShop) {
      const same = inShop.find((r) => !taken.has(String(r.id)) && looseKey(String(r.alias ?? '')) === looseKey(want.alias) && ctx.state.keysOfShopObject(ADDRESS_ENTITY, String(r.id)).length === 0);
      if (same) {
        id = String(same.id);
        have = addressFieldsOf(same);
      }
    }
    if (id !== undefined) taken.add(id);
    const changes = have ? changedAddressFields(want, have) : want;
    if (id !== undefined && Object.keys(changes).length > 0) {
      try {
        await ctx.shop.update('addresses', id, { ...changes });
      } catch (err) {
        if (!(err instanceof ShopRejected && err.status === 404)) throw err;
        // deleted in the back office, maybe with its customer (PrestaShop deletes them together)
        if (!inShop && !(await ctx.shop.get('customers', customerId))) throw new ShopObjectGone('customers', customerId);
        id = undefined;
      }
      if (id !== undefined) writes++;
    }
    if (id === undefined) {
      const created = await ctx.shop.create('addresses', { id_customer: customerId, ...want }, { lookup: { filter: { id_customer: filterEq(customerId), alias: filterEq(want.alias) } } });
      id = String(created.id);
      writes++;
    }
    if (!ctx.dryRun) ctx.state.remember(ADDRESS_ENTITY, a.key, id, { fields: want, customer: customerId });
  }
  const current = new Set(lines.map((a) => a.key));
  for (const key of previous) {
    if (current.has(key)) continue;
    const known = ctx.state.lookup(ADDRESS_ENTITY, key);
    if (known && await removeAddress(ctx, code, key, known.shopId)) writes++;
    if (!ctx.dryRun) ctx.state.forget(ADDRESS_ENTITY, key);
  }
  return { writes, keys: lines.map((a) => a.key) };
}

async function shopAddresses(ctx: FileContext, customerId: string): Promise<PsRecord[]> {
  const rows = await ctx.shop.list('addresses', { display: 'full', filter: { id_customer: filterEq(customerId) } });
  return rows.filter((r) => String(r.deleted ?? '0') !== '1');
}

/** True when deleted; an address an order uses stays (PrestaShop would only hide it). */
async function removeAddress(ctx: FileContext, code: string, key: string, id: string): Promise<boolean> {
  for (const field of ['id_address_delivery', 'id_address_invoice']) {
    const used = await ctx.shop.list('orders', { display: ['id'], filter: { [field]: filterEq(id) }, limit: 1 });
    if (used.length > 0) {
      ctx.warn(`client ${code} : l'adresse ${id} (${key.slice(key.indexOf('#') + 1)}) n'est plus dans l'ERP mais la commande ${String(used[0]!.id)} l'utilise : laissée dans la boutique`);
      return false;
    }
  }
  try {
    await ctx.shop.delete('addresses', id);
  } catch (err) {
    if (err instanceof ShopRejected && err.status === 404) return false;
    throw err;
  }
  return true;
}
