// The shops a run works for (shop.shops), read once per client: the shops and shop groups resources.
import { ConfigError } from '../errors.ts';
import type { Config } from '../config/schema.ts';
import type { ShopClient } from './client.ts';
import { selectShops, SHOP_GROUPS_QUERY, SHOPS_QUERY, toShops, type ShopInfo } from '../../transforms/prestashop/shops.ts';

const cache = new WeakMap<ShopClient, Promise<ShopInfo[]>>();

/** Every shop of the install (not deleted), with its group's sharing. */
export function readShops(shop: ShopClient): Promise<ShopInfo[]> {
  let p = cache.get(shop);
  if (!p) {
    p = (async () => toShops(await shop.list('shops', SHOPS_QUERY), await shop.list('shop_groups', SHOP_GROUPS_QUERY)))();
    cache.set(shop, p);
    p.catch(() => cache.delete(shop));
  }
  return p;
}

/** The shops shop.shops selects; undefined when it is not set (one shop context, as before multistore).
 *  ConfigError when it names a shop PrestaShop does not have. */
export async function configuredShops(config: Config, shop: ShopClient): Promise<ShopInfo[] | undefined> {
  const setting = config.shop.shops;
  if (setting === undefined) return undefined;
  const picked = selectShops(await readShops(shop), setting);
  if ('problem' in picked) throw new ConfigError([picked.problem]);
  return picked.shops;
}
