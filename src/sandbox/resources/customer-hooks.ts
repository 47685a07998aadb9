// Customers, specific prices and customer messages: the class-level rules the webservice shows.
import { createHash, randomBytes } from 'node:crypto';
import type { ResourceHooks } from '../write.ts';
import { RawAnswer, WsError } from '../ws-error.ts';

/** A bcrypt-looking hash ($2y$10$ + 53 chars) — the sandbox never needs to verify it. */
/** Looks like PrestaShop's bcrypt hash; a test double has no use for the cost of a real one (scrypt took
 *  60 ms per customer and made the benchmark's 10,000 orders take ten minutes). */
export function hashPassword(plain: string): string {
  const salt = randomBytes(16);
  const hash = createHash('sha256').update(salt).update(plain).digest();
  return `$2y$10$${Buffer.concat([salt, hash]).toString('base64').replace(/[^A-Za-z0-9]/g, '.').slice(0, 53)}`;
}

export const randomKey = (): string => createHash('md5').update(randomBytes(16)).digest('hex');

export const customerHooks: ResourceHooks = {
  computed: ['secure_key', 'passwd', 'newsletter_date_add', 'last_passwd_gen', 'id_shop', 'id_shop_group'],
  prepare(ctx) {
    const r = ctx.row;
    const sentPasswd = ctx.entity.fields.get('passwd');
    // setWsPasswd: hash the plain value unless it is the stored hash sent back.
    if (typeof sentPasswd === 'string' && sentPasswd !== ctx.old?.passwd) r.passwd = hashPassword(sentPasswd);
    if (ctx.method === 'POST') {
      r.secure_key = randomKey();
      // The class sets last_passwd_gen to now - 6 h (transcript 069).
      r.last_passwd_gen = new Date(Date.parse(`${ctx.now.replace(' ', 'T')}Z`) - 6 * 3600e3).toISOString().slice(0, 19).replace('T', ' ');
      if (r.newsletter === '1') r.newsletter_date_add = ctx.now;
      r.id_shop = '1';
      r.id_shop_group = '1';
      const assoc = (r.associations ??= {});
      if (!assoc.groups && typeof r.id_default_group === 'string' && r.id_default_group !== '') assoc.groups = [{ id: r.id_default_group }];
    }
  },
  beforeSave(ctx) {
    const email = String(ctx.row.email ?? '');
    const clash = (ctx.store.lookup('customers', 'email', [email]) ?? []).find((c) => c.id !== ctx.row.id && c.deleted !== '1');
    if (clash) {
      throw new WsError(500, [{ code: 140, message: 'The email is already used, please choose another one' }, { code: 46, message: 'Unable to save resource' }]);
    }
  },
};

const SPECIFIC_PRICE_KEY = ['id_product', 'id_product_attribute', 'id_shop', 'id_shop_group', 'id_cart', 'id_currency', 'id_country', 'id_group', 'id_customer', 'from_quantity', 'from', 'to'];

export const specificPriceHooks: ResourceHooks = {
  beforeSave(ctx) {
    if (ctx.method !== 'POST') return;
    const same = (a: unknown, b: unknown): boolean => String(a ?? '') === String(b ?? '') || Number(a ?? 0) === Number(b ?? 0);
    const dup = (ctx.store.lookup('specific_prices', 'id_product', [String(ctx.row.id_product ?? '')]) ?? [])
      .some((sp) => SPECIFIC_PRICE_KEY.every((k) => same(sp[k], ctx.row[k])));
    if (dup) {
      // The failed INSERT still consumes an auto-increment id (transcript 086), and PHP dies with an empty page.
      ctx.store.allocateId('specific_prices');
      throw new RawAnswer(500, '');
    }
  },
};

export const customerMessageHooks: ResourceHooks = {
  afterSave(ctx) {
    if (ctx.method !== 'POST') return;
    const thread = ctx.store.get('customer_threads', Number(ctx.row.id_customer_thread ?? 0));
    if (thread) ((thread.associations ??= {}).customer_messages ??= []).push({ id: ctx.row.id });
  },
};
