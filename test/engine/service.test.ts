// `prestasync start`'s schedules: a flow that does not apply to this installation is skipped, and the
// flows that do apply keep running.
import { expect } from 'chai';
import { Service } from '../../src/service.ts';
import { makeWorkspace } from '../support/workspace.ts';

describe('service schedules', () => {
  it('skips the orders export for a profile that cannot write orders, and still runs the stock flow', async () => {
    const ws = await makeWorkspace({
      products: [{ reference: 'VIS-4X40', quantity: 1 }],
      config: { erp: { profile: 'generic', flows: { stock: { patterns: ['stock*.csv'], encoding: 'windows-1252', delimiter: ';', decimal: ',', columns: { reference: 'AR_Ref', warehouse: 'DE_No', real: 'AS_QteSto', reserved: 'AS_QteRes' } } } } },
    });
    try {
      await ws.dropStock('stock_1.csv', [['VIS-4X40', '1', '6', '0']]);
      const engine = await ws.engine();
      const service = new Service(engine);
      service.runSchedule('hourly');
      const deadline = Date.now() + 10000;
      while (ws.quantityOf('VIS-4X40') !== 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 200));
      expect(ws.quantityOf('VIS-4X40')).to.equal(6);
      expect(engine.stop.stopped, 'the service is still running').to.equal(false);
      // The other hourly file flows (order-status, invoices) may run too, finding nothing; orders never.
      expect(engine.state.recentRuns().map((r) => r.pipeline)).to.include('stock').and.not.include('orders');
    } finally {
      await ws.close();
    }
  });
});
