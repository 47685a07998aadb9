// Multistore stock (issue 11): the ERP's one stock written to each shop's stock row when the shops keep their
// own stock, and once for a shop group that shares it — each row written in its shop's context (id_shop).
import { expect } from 'chai';
import { makeWorkspace, type Workspace, type WorkspaceOptions } from '../support/workspace.ts';

const PRODUCTS = [{ reference: 'VIS-4X40', quantity: 5 }, { reference: 'CHEVILLE-6', quantity: 3 }];

/** The product's own stock rows, as « id_shop/id_shop_group » → quantity. */
function rowsOf(ws: Workspace, reference: string): Record<string, number> {
  const product = ws.shop.store.list('products').find((p) => p.reference === reference)!;
  const rows = ws.shop.store.list('stock_availables').filter((s) => String(s.id_product) === product.id && String(s.id_product_attribute) === '0');
  return Object.fromEntries(rows.map((r) => [`${String(r.id_shop)}/${String(r.id_shop_group)}`, Number(r.quantity)]));
}

function stockWrites(ws: Workspace): Array<{ method: string; id_shop?: string }> {
  return ws.shop.requests.filter((r) => r.path.startsWith('/api/stock_availables/') && r.method !== 'GET')
    .map((r) => ({ method: r.method, ...(r.query.id_shop !== undefined ? { id_shop: r.query.id_shop } : {}) }));
}

async function workspace(o: WorkspaceOptions): Promise<Workspace> {
  return makeWorkspace({ products: PRODUCTS, ...o });
}

describe('multistore: stock of two shops (sandbox shop)', () => {
  let ws: Workspace;
  afterEach(async () => { await ws.close(); });

  it('without shop.shops, writes the default shop’s row only (the other shop keeps its own stock)', async () => {
    ws = await workspace({ shops: [{ id: 2, name: 'Boutique Belgique' }] });
    expect(rowsOf(ws, 'VIS-4X40')).to.deep.equal({ '1/0': 5, '2/0': 5 });
    await ws.dropStock('stock_1.csv', [['VIS-4X40', '1', '12', '0']]);
    expect((await (await ws.engine()).runOnce()).exitCode).to.equal(0);
    expect(rowsOf(ws, 'VIS-4X40')).to.deep.equal({ '1/0': 12, '2/0': 5 });
  });

  it('stock not shared: writes each shop’s row in that shop’s context; the same file again writes nothing', async () => {
    ws = await workspace({ shops: [{ id: 2, name: 'Boutique Belgique' }], shopConfig: { shops: [1, 2] } });
    await ws.dropStock('stock_1.csv', [['VIS-4X40', '1', '12', '0'], ['CHEVILLE-6', '1', '3', '0']]);
    const engine = await ws.engine();
    expect((await engine.runOnce()).exitCode).to.equal(0);
    expect(rowsOf(ws, 'VIS-4X40')).to.deep.equal({ '1/0': 12, '2/0': 12 });
    expect(rowsOf(ws, 'CHEVILLE-6'), 'already right in both shops: no write').to.deep.equal({ '1/0': 3, '2/0': 3 });
    expect(stockWrites(ws)).to.deep.equal([{ method: 'PATCH', id_shop: '1' }, { method: 'PATCH', id_shop: '2' }]);

    const writes = ws.shop.writeCount();
    // another file (not a byte-for-byte duplicate), the same figures
    await ws.dropStock('stock_2.csv', [['CHEVILLE-6', '1', '3', '0'], ['VIS-4X40', '1', '12', '0']]);
    expect((await engine.runOnce()).exitCode).to.equal(0);
    expect(ws.shop.writeCount(), 'unchanged quantities: no call').to.equal(writes);

    // The next change of the ERP figure reaches both rows (rows remembered, no look-up).
    await ws.dropStock('stock_3.csv', [['VIS-4X40', '1', '20', '0']]);
    expect((await engine.runOnce()).exitCode).to.equal(0);
    expect(rowsOf(ws, 'VIS-4X40')).to.deep.equal({ '1/0': 20, '2/0': 20 });
  });

  it('stock shared by a group: its one row is written once, whatever the number of its shops', async () => {
    ws = await workspace({
      shops: [{ id: 2, name: 'Boutique Belgique', group: 2 }, { id: 3, name: 'Boutique Suisse', group: 2 }],
      shopGroups: [{ id: 2, name: 'Europe', shareStock: true }],
      shopConfig: { shops: [2, 3] },
    });
    expect(rowsOf(ws, 'VIS-4X40'), 'shop 1 its own row, group 2 one shared row').to.deep.equal({ '1/0': 5, '0/2': 5 });
    await ws.dropStock('stock_1.csv', [['VIS-4X40', '1', '12', '0']]);
    expect((await (await ws.engine()).runOnce()).exitCode).to.equal(0);
    expect(rowsOf(ws, 'VIS-4X40')).to.deep.equal({ '1/0': 5, '0/2': 12 });
    expect(stockWrites(ws)).to.deep.equal([{ method: 'PATCH', id_shop: '2' }]);
  });

  it('shop.shops: all — one write per own-stock shop and one per sharing group; a shop added later gets the next file', async () => {
    ws = await workspace({
      shops: [{ id: 2, name: 'Boutique Belgique', group: 2 }, { id: 3, name: 'Boutique Suisse', group: 2 }],
      shopGroups: [{ id: 2, name: 'Europe', shareStock: true }],
      shopConfig: { shops: [1] },
    });
    await ws.dropStock('stock_1.csv', [['VIS-4X40', '1', '12', '0']]);
    expect((await (await ws.engine()).runOnce()).exitCode).to.equal(0);
    expect(rowsOf(ws, 'VIS-4X40')).to.deep.equal({ '1/0': 12, '0/2': 5 });

    ws.loaded.config.shop.shops = 'all';
    await ws.dropStock('stock_2.csv', [['VIS-4X40', '1', '12', '0'], ['CHEVILLE-6', '1', '3', '0']]);
    expect((await (await ws.engine()).runOnce()).exitCode).to.equal(0);
    expect(rowsOf(ws, 'VIS-4X40'), 'same ERP figure, but the group’s row was never written').to.deep.equal({ '1/0': 12, '0/2': 12 });
    expect(stockWrites(ws)).to.deep.equal([{ method: 'PATCH', id_shop: '1' }, { method: 'PATCH', id_shop: '2' }]);
  });
});
