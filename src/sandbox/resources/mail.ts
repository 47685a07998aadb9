// Mails the shop sends to a customer from a webservice write. The write is applied first and the mail sent
// after; when Mail::Send fails the class returns false and the webservice answers 500 code 46 "Unable to save
// resource" for a change that happened (WEBSERVICE.md §4 [LIVE] for order_histories; OrderCarrier::updateWs
// at 8.1.2 for order_carriers; LESSONS C5).
import type { SandboxMail, ShopState } from '../state.ts';
import type { Row } from '../store.ts';
import { WsError } from '../ws-error.ts';

/** `(bool) Tools::getValue('sendemail', false)`: any value but '', '0' or absent asks for the mail. */
export function wantsMail(query: Record<string, string>): boolean {
  const v = query.sendemail;
  return v !== undefined && v !== '' && v !== '0';
}

export const unableToSave = (): WsError => new WsError(500, [{ code: 46, message: 'Unable to save resource' }]);

function customerOf(state: ShopState, order: Row): Row | undefined {
  return state.store.get('customers', Number(order.id_customer ?? 0));
}

/** Records the mail; returns false when the mailer is failing. */
export function sendMail(state: ShopState, mail: Omit<SandboxMail, 'delivered' | 'date'>): boolean {
  const delivered = state.mailer.mode === 'ok';
  state.mailer.sent.push({ ...mail, date: state.clock.now(), delivered });
  return delivered;
}

/**
 * OrderHistory::sendEmail: only a state flagged send_email with a template, to a customer with an e-mail,
 * in the order's language. Returns false only when a mail was due and failed.
 */
export function sendOrderStateMail(state: ShopState, order: Row, os: Row, trigger: SandboxMail['trigger']): boolean {
  const templates = (os.template ?? {}) as Record<string, string>;
  const template = templates[String(order.id_lang ?? '1')] || templates['1'] || '';
  const to = String(customerOf(state, order)?.email ?? '');
  if (os.send_email !== '1' || template === '' || to === '') return true;
  return sendMail(state, { template, to, idOrder: Number(order.id), idOrderState: Number(os.id), trigger });
}

/** OrderCarrier::sendInTransitEmail: nothing is sent when the carrier has no tracking URL. */
export function sendInTransitMail(state: ShopState, order: Row, trackingNumber: string): boolean {
  const carrier = state.store.get('carriers', Number(order.id_carrier ?? 0));
  const to = String(customerOf(state, order)?.email ?? '');
  if (!carrier || String(carrier.url ?? '') === '' || to === '') return true;
  return sendMail(state, { template: 'in_transit', to, idOrder: Number(order.id), trackingNumber, trigger: 'order_carriers' });
}
