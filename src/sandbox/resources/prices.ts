// specific_prices: the table's unique key makes a duplicate die in the database layer (transcript 085).
import type { ResourceHooks } from '../write.ts';
import { phpFatal } from '../ws-error.ts';

/** UNIQUE KEY id_product_2 of ps_specific_price (install/data/db_structure.sql). */
const UNIQUE_KEY = ['id_product', 'id_product_attribute', 'id_customer', 'id_cart', 'from', 'to', 'id_shop', 'id_shop_group', 'id_currency', 'id_country', 'id_group', 'from_quantity', 'id_specific_price_rule'];

export const specificPriceHooks: ResourceHooks = {
  beforeSave(ctx) {
    // Compared as MySQL would: '' and '0' are the same int, dates compare as stored.
    const same = (a: unknown, b: unknown): boolean => String(a ?? '') === String(b ?? '') || (Number(a || 0) === Number(b || 0) && !Number.isNaN(Number(a || 0)));
    const dup = (ctx.store.lookup('specific_prices', 'id_product', [String(Number(ctx.row.id_product) || 0)]) ?? [])
      .some((sp) => sp.id !== ctx.row.id && UNIQUE_KEY.every((k) => same(sp[k], ctx.row[k])));
    if (!dup) return;
    // The failed INSERT still consumes an auto-increment id (transcript 086); an UPDATE onto another row's
    // key fails the same way (the key applies to UPDATE too). PHP dies with an empty page either way.
    if (ctx.method === 'POST') ctx.store.allocateId('specific_prices');
    throw phpFatal();
  },
};
