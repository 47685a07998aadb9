// A message the customer sees on their order (WEBSERVICE.md §7.4, transcripts 115-121): a customer thread
// tied to the order (reused when there is one), then a customer message with private=0, signed by an
// employee so that it reads as coming from the shop. Creating the message sends no e-mail.
import { randomBytes } from 'node:crypto';
import { filterEq, filterIn, type ShopClient } from '../prestashop/client.ts';
import type { ShopOrder } from './shop-orders.ts';

export interface OrderMessages { threadId?: string; messages: Array<{ id: number; message: string }> }

export async function orderMessages(shop: ShopClient, idOrder: number): Promise<OrderMessages> {
  const threads = await shop.list('customer_threads', { display: ['id', 'id_order'], filter: { id_order: filterEq(idOrder) }, sort: ['id_ASC'] });
  if (threads.length === 0) return { messages: [] };
  const messages = await shop.list('customer_messages', {
    display: ['id', 'id_customer_thread', 'message'], filter: { id_customer_thread: filterIn(threads.map((t) => String(t.id))) }, sort: ['id_ASC'],
  });
  return { threadId: String(threads[0]!.id), messages: messages.map((m) => ({ id: Number(m.id), message: String(m.message ?? '') })) };
}

/** The thread's token: the shop requires one (400 code 41 without, transcript 117), of at most 12
 *  characters (varchar(12), resources.json) that isGenericName accepts. */
export function threadToken(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  return [...randomBytes(12)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** Posts `text` on the order; returns the message id. `known` is what orderMessages read just before. */
export async function postOrderMessage(shop: ShopClient, order: ShopOrder, text: string, employeeId: number, known: OrderMessages): Promise<string> {
  let threadId = known.threadId;
  if (threadId === undefined) {
    const customer = order.idCustomer !== '0' ? await shop.get('customers', order.idCustomer) : undefined;
    const token = threadToken();
    const thread = await shop.create('customer_threads', {
      id_lang: order.idLang, id_shop: order.idShop, id_customer: order.idCustomer, id_order: String(order.id), id_contact: '0',
      email: String(customer?.email ?? ''), token,
      // Closed: the shop's message needs no answer from customer service; the customer still sees it.
      status: 'closed',
    }, { lookup: { filter: { id_order: filterEq(order.id), token: filterEq(token) } } });
    threadId = String(thread.id);
  }
  const lastId = known.messages.reduce((m, x) => Math.max(m, x.id), 0);
  const message = await shop.create('customer_messages', {
    id_customer_thread: threadId, id_employee: String(employeeId), message: text, private: '0',
  }, { lookup: { filter: { id_customer_thread: filterEq(threadId), id: `>[${lastId}]`, ...(employeeId > 0 ? { id_employee: filterEq(employeeId) } : {}) } } });
  return String(message.id);
}
