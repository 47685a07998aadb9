// Customers, their groups and addresses: Customer / Group / Address at 8.1.2 (commit 601f1327) and
// transcripts 068-083.
import { createHash, randomBytes } from 'node:crypto';
import type { Row, Store } from '../store.ts';
import type { ResourceHooks } from '../write.ts';
import { WsError } from '../ws-error.ts';

/** Looks like PrestaShop's bcrypt hash ($2y$10$ + 53 chars); a test double has no use for the cost of a real
 *  one (scrypt took 60 ms per customer and made the benchmark's 10,000 orders take ten minutes). */
export function hashPassword(plain: string): string {
  const salt = randomBytes(16);
  const hash = createHash('sha256').update(salt).update(plain).digest();
  return `$2y$10$${Buffer.concat([salt, hash]).toString('base64').replace(/[^A-Za-z0-9]/g, '.').slice(0, 53)}`;
}

export const randomKey = (): string => createHash('md5').update(randomBytes(16)).digest('hex');

const isDate = (v: unknown): boolean => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) && !v.startsWith('0000');
const PS_PASSWD_TIME_FRONT_MS = 360 * 60e3;

/** Customer::customerExists: any non-guest customer with that e-mail, case-insensitively (MySQL collation),
 *  deleted ones included. */
function emailOwner(store: Store, email: string, exceptId: string): Row | undefined {
  return (store.lookup('customers', 'email', [email]) ?? []).find((c) => c.id !== exceptId && c.is_guest !== '1');
}

/** Address::delete: an address an order uses is only flagged deleted=1; the others really go (082/083). */
function deleteAddress(store: Store, id: number, now: string): boolean {
  const address = store.get('addresses', id);
  if (!address) return false;
  const used = store.all('orders').some((o) => o.id_address_delivery === address.id || o.id_address_invoice === address.id);
  if (!used) return store.delete('addresses', id);
  store.save('addresses', { ...address, deleted: '1', date_upd: now });
  return true;
}

export const addressHooks = (store: Store, now: () => string): ResourceHooks => ({
  beforeSave(ctx) {
    // Address::validateField: dni becomes required for a country flagged need_identification_number.
    const country = ctx.store.get('countries', Number(ctx.row.id_country ?? 0));
    if (country?.need_identification_number === '1' && ctx.row.deleted !== '1' && String(ctx.row.dni ?? '') === '') {
      throw new WsError(400, [{ code: 85, message: 'Validation error: "Property Address-&gt;dni is empty."' }]);
    }
  },
  delete: (id) => deleteAddress(store, id, now()),
});

/** Customer::delete: without orders its addresses go too; its groups, specific prices, carts and threads go. */
function deleteCustomer(store: Store, id: number, now: string): boolean {
  const key = String(id);
  const hasOrders = (store.lookup('orders', 'id_customer', [key]) ?? []).length > 0;
  if (!hasOrders) for (const a of store.lookup('addresses', 'id_customer', [key]) ?? []) deleteAddress(store, Number(a.id), now);
  for (const sp of store.all('specific_prices').filter((s) => s.id_customer === key)) store.delete('specific_prices', Number(sp.id));
  for (const cart of store.all('carts').filter((c) => c.id_customer === key)) store.delete('carts', Number(cart.id));
  for (const t of store.lookup('customer_threads', 'id_customer', [key]) ?? []) {
    for (const m of store.lookup('customer_messages', 'id_customer_thread', [t.id]) ?? []) store.delete('customer_messages', Number(m.id));
    store.delete('customer_threads', Number(t.id));
  }
  return store.delete('customers', id);
}

export const customerHooks = (store: Store, now: () => string): ResourceHooks => ({
  computed: ['secure_key', 'passwd', 'newsletter_date_add', 'last_passwd_gen', 'id_shop', 'id_shop_group', 'id_lang'],
  prepare(ctx) {
    const r = ctx.row;
    const sentPasswd = ctx.entity.fields.get('passwd');
    // setWsPasswd: a plain value is hashed, the stored hash sent back is kept (WEBSERVICE.md §5).
    if (typeof sentPasswd === 'string' && (ctx.method === 'POST' || sentPasswd !== ctx.old?.passwd)) r.passwd = hashPassword(sentPasswd);
    if (r.newsletter === '1' && !isDate(r.newsletter_date_add)) r.newsletter_date_add = ctx.now;
    if (ctx.method !== 'POST') return;
    // add() always draws a new secure_key (a sent one is ignored). secure_key is not read-only for the request
    // loop though: a PUT that leaves it out wipes it (LESSONS B3, PrestaShop #42206), a PATCH keeps it.
    r.secure_key = randomKey();
    // last_passwd_gen = now - PS_PASSWD_TIME_FRONT (360 min) (transcript 069).
    r.last_passwd_gen = new Date(Date.parse(`${ctx.now.replace(' ', 'T')}Z`) - PS_PASSWD_TIME_FRONT_MS).toISOString().slice(0, 19).replace('T', ' ');
    r.id_shop = '1';
    r.id_shop_group = '1';
    if (!r.id_lang || r.id_lang === '0') r.id_lang = '1';
    // updateGroup(): without associations/groups the customer joins its default group — group 0 when
    // id_default_group was left out, since the webservice resets it to NULL (WEBSERVICE.md §6.5).
    const assoc = (r.associations ??= {});
    if (!ctx.entity.associations.has('groups')) assoc.groups = [{ id: String(Number.parseInt(String(r.id_default_group ?? ''), 10) || 0) }];
  },
  beforeSave(ctx) {
    const clash = emailOwner(ctx.store, String(ctx.row.email ?? ''), ctx.method === 'POST' ? '' : ctx.row.id);
    // addWs / updateWs set a business error with HTTP 500 (LESSONS B6), then "Unable to save resource" (070).
    if (clash) {
      throw new WsError(500, [{ code: ctx.method === 'POST' ? 140 : 141, message: 'The email is already used, please choose another one' }, { code: 46, message: 'Unable to save resource' }]);
    }
  },
  afterSave(ctx) {
    // Customer::update with deleted=1 flags every address of the customer deleted.
    if (ctx.method === 'POST' || ctx.row.deleted !== '1') return;
    for (const a of ctx.store.lookup('addresses', 'id_customer', [ctx.row.id]) ?? []) ctx.store.save('addresses', { ...a, deleted: '1' });
  },
  delete: (id) => deleteCustomer(store, id, now()),
});

/** Group::delete refuses PS_CUSTOMER_GROUP (3): 500/88. */
export const groupHooks = (store: Store): ResourceHooks => ({
  delete: (id) => (id === 3 ? false : store.delete('groups', id)),
});
