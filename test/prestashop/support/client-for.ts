// A ShopClient against a fake shop, closed after each test of the suite that asks for it.
import { ShopClient, type ShopClientOptions } from '../../../src/prestashop/client.ts';
import { KEY, startShop, type FakeShop, type Handler } from './fake-shop.ts';

let shop: FakeShop | undefined;

/** Call inside each describe, so the hook stays scoped to that file's suites. */
export function closeShopAfterEach(): void {
  afterEach(async () => {
    await shop?.close();
    shop = undefined;
  });
}

export async function clientFor(handler: Handler, opts: Partial<ShopClientOptions> = {}): Promise<{ client: ShopClient; shop: FakeShop }> {
  await shop?.close();
  shop = await startShop(handler);
  const client = new ShopClient({ url: shop.url, key: KEY, language: 'fr', retryBaseMs: 2, timeoutMs: 2000, ...opts });
  return { client, shop };
}
