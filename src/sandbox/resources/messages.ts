// Messages on an order: customer_threads + customer_messages (transcripts 115-121, WEBSERVICE.md §7.4).
import type { Store } from '../store.ts';
import type { ResourceHooks } from '../write.ts';

export const customerThreadHooks: ResourceHooks = {
  // The messages of a thread are read from customer_message; the declared association has no setter.
  writableAssociations: [],
  beforeSave(ctx) {
    // token is required (117) and only isGenericName: the class sets no size, but the column is varchar(12)
    // (install/data/db_structure.sql) and MySQL in non-strict mode cuts a longer token silently; the echo
    // still shows the whole value. (Not recorded: the recorded token had 9 characters.)
    ctx.row.token = [...String(ctx.row.token ?? '')].slice(0, 12).join('');
  },
};

/** A customer message joins its thread. private left out is stored 0: visible to the customer. No mail is
 *  sent (CustomerMessage::add sends none). */
export const customerMessageHooks: ResourceHooks = {
  afterSave(ctx) {
    if (ctx.method !== 'POST') return;
    const thread = ctx.store.get('customer_threads', Number(ctx.row.id_customer_thread ?? 0));
    if (thread) ((thread.associations ??= {}).customer_messages ??= []).push({ id: ctx.row.id });
  },
};

/** Deleting a message takes it out of its thread's list. */
export const customerMessageDelete = (store: Store) => (id: number): boolean => {
  const m = store.get('customer_messages', id);
  const thread = m ? store.get('customer_threads', Number(m.id_customer_thread ?? 0)) : undefined;
  if (thread?.associations?.customer_messages) thread.associations.customer_messages = thread.associations.customer_messages.filter((x) => x.id !== String(id));
  return store.delete('customer_messages', id);
};
