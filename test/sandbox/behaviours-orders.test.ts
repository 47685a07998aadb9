// Order status and tracking as the real shop handles them: duplicate history rows, bare 500s, mails, and
// writes that answer 500 although they happened (WEBSERVICE.md §4, §7; transcripts 105-114; LESSONS C5).
import { expect } from 'chai';
import { startSandbox, type SandboxShop } from '../../src/sandbox/index.ts';
import { call, codes, values, xmlOf } from './support/ws.ts';

const OLD = '2020-01-06 10:00:00';

describe('sandbox behaviours: order states, tracking and mails', () => {
  let shop: SandboxShop;
  let idOrder: number;
  beforeEach(async () => {
    shop = await startSandbox({ seed: { products: [{ reference: 'VIS-1', name: 'Vis', price: '10' }] } });
    idOrder = shop.store.placeOrder({
      customer: { email: 'jeanne@example.com', firstname: 'Jeanne', lastname: 'Durand' },
      invoiceAddress: { address1: '1 rue de la Paix', postcode: '75002', city: 'Paris' },
      lines: [{ reference: 'VIS-1', name: 'Vis', quantity: 1, unitPriceTaxExcl: 10, taxRate: 20 }], state: 2, dateAdd: OLD,
    });
  });
  afterEach(() => shop.close());

  const history = (state: number, query = ''): Promise<{ status: number; text: string; type: string }> =>
    call(shop, 'POST', `order_histories${query}`, xmlOf('order_history', `<id_order>${idOrder}</id_order><id_order_state>${state}</id_order_state>`));
  const statesOf = (): string[] => shop.store.list('order_histories').filter((h) => h.id_order === String(idOrder)).map((h) => String(h.id_order_state));
  const carrierRow = (): Record<string, unknown> | undefined => shop.store.list('order_carriers').find((c) => c.id_order === String(idOrder));

  it('the same state posted twice adds a second history row (107/108)', async () => {
    expect((await history(4)).status).to.equal(201);
    expect((await history(4)).status).to.equal(201);
    expect(statesOf()).to.deep.equal(['2', '4', '4']);
    expect(shop.store.get('orders', idOrder)).to.deep.include({ current_state: '4' });
    expect(shop.store.get('orders', idOrder)?.date_upd).to.not.equal(OLD);
  });

  it('an unknown state answers a bare 500 and changes nothing (109)', async () => {
    const res = await history(999, '?sendemail=1');
    expect([res.status, res.text, res.type]).to.deep.equal([500, '', 'text/html; charset=utf-8']);
    expect(statesOf()).to.deep.equal(['2']);
    expect(shop.mails).to.deep.equal([]);
  });

  it('?sendemail=1 mails the state template to the customer; without it, or for a state without mail, nothing is sent', async () => {
    await history(3);
    await history(4, '?sendemail=1');
    await history(5, '?sendemail=1'); // "Delivered" has send_email = 0
    expect(shop.mails.map((m) => ({ template: m.template, to: m.to, idOrder: m.idOrder, idOrderState: m.idOrderState, trigger: m.trigger, delivered: m.delivered })))
      .to.deep.equal([{ template: 'shipped', to: 'jeanne@example.com', idOrder, idOrderState: 4, trigger: 'order_histories', delivered: true }]);
  });

  it('with a failing mailer the state change is applied, then answered 500/46 (WEBSERVICE.md §4)', async () => {
    shop.setMailer('failing');
    const res = await history(4, '?sendemail=1');
    expect([res.status, codes(res.text), values(res.text, 'message')]).to.deep.equal([500, [46], ['Unable to save resource']]);
    expect(statesOf()).to.deep.equal(['2', '4']);
    expect(shop.store.get('orders', idOrder)?.current_state).to.equal('4');
    expect(shop.mails.map((m) => m.delivered)).to.deep.equal([false]);
  });

  it('a tracking number shows as orders.shipping_number without moving orders.date_upd (112)', async () => {
    const id = String(carrierRow()?.id);
    const res = await call(shop, 'PATCH', `order_carriers/${id}`, xmlOf('order_carrier', `<id>${id}</id><tracking_number>6A12345678901</tracking_number>`));
    expect(res.status).to.equal(200);
    expect(shop.store.get('orders', idOrder)).to.deep.include({ shipping_number: '6A12345678901', date_upd: OLD });
    const bad = await call(shop, 'PATCH', `order_carriers/${id}`, xmlOf('order_carrier', `<id>${id}</id><tracking_number>&lt;AB12&gt;</tracking_number>`));
    expect([bad.status, codes(bad.text)]).to.deep.equal([400, [85]]);
  });

  it('order_carriers ?sendemail=1 mails "in transit" each time when the carrier has a tracking URL, and 500/46 when the mail fails although saved', async () => {
    const id = String(carrierRow()?.id);
    const track = (n: string): Promise<{ status: number; text: string }> =>
      call(shop, 'PATCH', `order_carriers/${id}?sendemail=1`, xmlOf('order_carrier', `<id>${id}</id><tracking_number>${n}</tracking_number>`));
    await track('TRK1'); // carrier 2 has no url: OrderCarrier::sendInTransitEmail sends nothing
    expect(shop.mails).to.have.length(0);
    await call(shop, 'PATCH', 'carriers/2', xmlOf('carrier', '<id>2</id><url>https://suivi.example/@</url>'));
    await track('TRK1');
    await track('TRK1'); // same number again: mailed again
    expect(shop.mails.map((m) => [m.template, m.trackingNumber, m.trigger])).to.deep.equal([['in_transit', 'TRK1', 'order_carriers'], ['in_transit', 'TRK1', 'order_carriers']]);
    shop.setMailer('failing');
    const res = await track('TRK2');
    expect([res.status, codes(res.text)]).to.deep.equal([500, [46]]);
    expect(carrierRow()?.tracking_number).to.equal('TRK2');
  });

  it('PATCH orders.current_state changes the state AND always mails; the same state again does nothing (§7.2, Order::setCurrentState)', async () => {
    const patch = (state: string): Promise<{ status: number; text: string }> =>
      call(shop, 'PATCH', `orders/${idOrder}`, xmlOf('order', `<id>${idOrder}</id><current_state>${state}</current_state>`));
    expect((await patch('4')).status).to.equal(200);
    expect((await patch('4')).status).to.equal(200);
    expect(statesOf()).to.deep.equal(['2', '4']);
    expect(shop.mails.map((m) => [m.template, m.trigger])).to.deep.equal([['shipped', 'orders.current_state']]);
    const unknown = await patch('999');
    expect([unknown.status, unknown.text]).to.deep.equal([500, '']);
  });
});
