// Where a run's list of orders starts (issue #7): the overlap before the cursor never reaches before orders.since.
import { expect } from 'chai';
import { listFrom, ordersByIds, updatedBefore } from '../../../transforms/prestashop/orders.ts';

const NOW = new Date('2030-01-08T12:00:00Z');

describe('orders: where the list of orders starts', () => {
  it('starts a first run at orders.since (a date alone is midnight), else lookbackDays ago in the shop zone', () => {
    expect(listFrom(undefined, '2030-01-01', 7, NOW, 'Europe/Paris')).to.equal('2030-01-01 00:00:00');
    expect(listFrom(undefined, '2030-01-01 12:00:00', 7, NOW, 'Europe/Paris')).to.equal('2030-01-01 12:00:00');
    expect(listFrom(undefined, undefined, 7, NOW, 'Europe/Paris')).to.equal('2030-01-01 13:00:00');
  });

  it('looks back 5 minutes before the cursor, but never before orders.since', () => {
    expect(listFrom('2030-01-02 08:00:00', '2030-01-01', 7, NOW, 'Europe/Paris')).to.equal('2030-01-02 07:55:00');
    expect(listFrom('2030-01-01 12:00:02', '2030-01-01 12:00:00', 7, NOW, 'Europe/Paris')).to.equal('2030-01-01 12:00:00');
    expect(listFrom('2030-01-01 00:03:00', '2030-01-01', 7, NOW, 'Europe/Paris')).to.equal('2030-01-01 00:00:00');
  });

  it('tells an order updated before orders.since (a held order re-read by id)', () => {
    expect(updatedBefore({ date_upd: '2030-01-01 11:59:58' }, '2030-01-01 12:00:00')).to.equal(true);
    expect(updatedBefore({ date_upd: '2030-01-01 12:00:00' }, '2030-01-01 12:00:00')).to.equal(false);
    expect(updatedBefore({ date_upd: '2029-12-31 23:59:59' }, undefined)).to.equal(false);
  });

  it('bounds a list of orders by ids with a limit (a list without limit returns every match)', () => {
    expect(ordersByIds([3, 7, 9])).to.deep.include({ limit: 3, filter: { id: '[3|7|9]' } });
  });
});
