// What every handler shares: the store, the shop clock, the shop's languages and the image files.
import type { ShopClock } from './clock.ts';
import type { Store } from './store.ts';

export interface ShopState {
  store: Store;
  clock: ShopClock;
  /** Language ids, default first. */
  languages: string[];
  /** Image bytes by image id (rows without bytes are the shop's "orphans", transcript 061/064). */
  imageFiles: Map<number, Buffer>;
}
