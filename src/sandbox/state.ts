// What every handler shares: the store, the shop clock, the shop's languages, the image files and the mailer.
import type { ShopClock } from './clock.ts';
import type { Store } from './store.ts';

/** A mail the shop sent (or tried to send) to a customer. */
export interface SandboxMail {
  /** PrestaShop mail template: the order state's template ('shipped', 'payment'...) or 'in_transit'. */
  template: string;
  to: string;
  idOrder: number;
  /** The state entered, for order state mails. */
  idOrderState?: number;
  /** The tracking number, for 'in_transit'. */
  trackingNumber?: string;
  /** What asked for it: order_histories?sendemail=1, order_carriers?sendemail=1, or a PUT/PATCH of orders.current_state. */
  trigger: 'order_histories' | 'order_carriers' | 'orders.current_state';
  date: string;
  /** false when the mailer was failing (the write then answered 500 code 46, although it was applied). */
  delivered: boolean;
}

export interface Mailer {
  /** 'ok' delivers; 'failing' makes Mail::Send return false (WEBSERVICE.md §4 "500 but it was done"). */
  mode: 'ok' | 'failing';
  sent: SandboxMail[];
}

export interface ShopState {
  store: Store;
  clock: ShopClock;
  /** Language ids, default first. */
  languages: string[];
  /** Image bytes by image id (rows without bytes are the shop's "orphans", transcript 061/064). */
  imageFiles: Map<number, Buffer>;
  mailer: Mailer;
}
