// `prestasync check`, multistore line: the install's shops, their groups and whether they share stock, and
// what shop.shops selects. Without shop.shops, asked only when the key may read shops (a single-shop install
// whose key lacks it is not flagged); with it, shops and shop_groups are required.
import type { Config } from '../config/schema.ts';
import { errorMessage } from '../errors.ts';
import type { ShopClient } from '../prestashop/client.ts';
import { missingPermissions, type Permissions } from '../prestashop/permissions.ts';
import { readShops } from '../prestashop/shops.ts';
import { describeShops, selectShops } from '../../transforms/prestashop/shops.ts';

export async function shopsCheck(config: Config, shop: ShopClient, perms: Permissions): Promise<{ ok: boolean; detail: string } | undefined> {
  const setting = config.shop.shops;
  const missing = missingPermissions(perms, [{ resource: 'shops', methods: ['get'] }, { resource: 'shop_groups', methods: ['get'] }]);
  if (missing.length > 0) {
    return setting === undefined ? undefined : { ok: false, detail: `shop.shops demande de lire les boutiques : ${missing.join(' ; ')}` };
  }
  try {
    const all = await readShops(shop);
    if (setting === undefined) return { ok: true, detail: describeShops(all, undefined) };
    const picked = selectShops(all, setting);
    if ('problem' in picked) return { ok: false, detail: picked.problem };
    return { ok: true, detail: describeShops(all, picked.shops) };
  } catch (err) {
    return { ok: false, detail: errorMessage(err) };
  }
}
