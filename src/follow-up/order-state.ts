// Moving an order to a state: POST order_histories, with ?sendemail=1 when the customer is to be mailed
// (LESSONS C1, WEBSERVICE.md §7.2). PrestaShop answers 500 yet applies the change when its mailer fails
// (§4): the client then finds the new history row (only rows after the last one we saw count) instead
// of posting it twice.
import { RecordRejected } from '../errors.ts';
import { ShopRejected } from '../prestashop/errors.ts';
import { filterEq, type ShopClient } from '../prestashop/client.ts';

export async function moveOrderState(shop: ShopClient, idOrder: number, state: number, email: boolean): Promise<void> {
  const last = await shop.list('order_histories', { display: ['id'], filter: { id_order: filterEq(idOrder) }, sort: ['id_DESC'], limit: 1 });
  const after = String(last[0]?.id ?? '0');
  try {
    await shop.create('order_histories', { id_order: String(idOrder), id_order_state: String(state) }, {
      sendEmail: email,
      lookup: { filter: { id_order: filterEq(idOrder), id_order_state: filterEq(state), id: `>[${after}]` } },
    });
  } catch (err) {
    if (err instanceof ShopRejected && err.kind === 'server') {
      throw new RecordRejected(`PrestaShop a refusé de passer la commande ${idOrder} à l'état ${state} (${err.reason}) : l'état existe-t-il ? Rien n'a changé.`);
    }
    throw err;
  }
}
