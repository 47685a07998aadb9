// The sandbox's shop contexts (issue 11): what a list shows with id_shop / id_group_shop, as PrestaShop 8.x
// scopes orders (Shop::addSqlRestriction(SHARE_ORDER)) and stock_availables (fk_shop rows, or the group's row).
import { expect } from 'chai';
import { startSandbox, type SandboxShop } from '../../src/sandbox/index.ts';
import { webOrder } from '../support/orders.ts';

describe('sandbox shop: multistore contexts', () => {
  let shop: SandboxShop;
  const get = async (path: string): Promise<{ status: number; text: string }> => {
    const res = await fetch(`${shop.url}/api/${path}`, { headers: { Authorization: `Basic ${Buffer.from(`${shop.key}:`).toString('base64')}` } });
    return { status: res.status, text: await res.text() };
  };
  const ids = (text: string, node: string): number[] => [...text.matchAll(new RegExp(`<${node} id="(\\d+)"`, 'g'))].map((m) => Number(m[1]));

  beforeEach(async () => {
    shop = await startSandbox({
      seed: {
        products: [{ reference: 'VIS-4X40', name: 'Vis', price: '1', quantity: 4 }, { reference: 'CHEVILLE-6', name: 'Cheville', price: '1', quantity: 2 }],
        shopGroups: [{ id: 2, name: 'Europe', shareStock: true, shareOrder: true }],
        shops: [{ id: 2, name: 'Boutique Belgique' }, { id: 3, name: 'Boutique Suisse', group: 2 }, { id: 4, name: 'Boutique Italie', group: 2 }],
      },
    });
  });
  afterEach(() => shop.close());

  it('lists orders of the default shop without id_shop, of one shop with it, of a sharing group in any of its shops, of all with « all »', async () => {
    const o1 = shop.store.placeOrder(webOrder(1));
    const o2 = shop.store.placeOrder(webOrder(2, { shop: 2 }));
    const o3 = shop.store.placeOrder(webOrder(3, { shop: 3 }));
    const o4 = shop.store.placeOrder(webOrder(4, { shop: 4 }));
    expect(ids((await get('orders')).text, 'order')).to.deep.equal([o1]);
    expect(ids((await get('orders?id_shop=2')).text, 'order')).to.deep.equal([o2]);
    expect(ids((await get('orders?id_shop=3')).text, 'order'), 'group 2 shares its orders').to.deep.equal([o3, o4]);
    expect(ids((await get('orders?id_group_shop=2')).text, 'order')).to.deep.equal([o3, o4]);
    expect(ids((await get('orders?id_shop=all')).text, 'order')).to.deep.equal([o1, o2, o3, o4]);
    expect(ids((await get('orders?id_shop=all&filter[id_shop]=[2]')).text, 'order')).to.deep.equal([o2]);
    // one order read by id is not scoped
    expect((await get(`orders/${o2}`)).status).to.equal(200);
    expect(shop.store.list('order_details').filter((d) => d.id_order === String(o2)).map((d) => d.id_shop)).to.deep.equal(['2', '2']);
  });

  it('keeps one stock row per shop with its own stock and one per group sharing it, and lists them by context', async () => {
    const rows = shop.store.list('stock_availables').filter((r) => r.id_product === '1');
    expect(rows.map((r) => `${String(r.id_shop)}/${String(r.id_shop_group)}`)).to.deep.equal(['1/0', '2/0', '0/2']);
    const listed = async (q: string) => ids((await get(`stock_availables?filter[id_product]=[1]${q}`)).text, 'stock_available');
    expect(await listed('')).to.deep.equal([rows[0]!.id].map(Number));
    expect(await listed('&id_shop=2')).to.deep.equal([rows[1]!.id].map(Number));
    expect(await listed('&id_shop=4'), 'a shop of the sharing group sees the group row').to.deep.equal([rows[2]!.id].map(Number));
    expect(await listed('&id_shop=all')).to.deep.equal(rows.map((r) => Number(r.id)));
  });

  it('answers a shop the key is not associated with 403 code 132, a shop group without shops 500', async () => {
    const unknown = await get('orders?id_shop=9');
    expect(unknown.status).to.equal(403);
    expect(unknown.text).to.include('No permission for this key on this shop').and.include('132');
    expect((await get('orders?id_group_shop=7')).status).to.equal(500);
    expect(ids((await get('shop_groups')).text, 'shop_group')).to.deep.equal([1, 2]);
    expect((await get('shop_groups/2?display=full')).text).to.include('<share_stock><![CDATA[1]]></share_stock>');
  });
});
