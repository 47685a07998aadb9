import { expect } from 'chai';
import { RecordRejected } from '../../../src/errors.ts';
import { parseOrdersConfig } from '../../../src/erp/orders-config.ts';
import { checkTotals } from '../../../transforms/orders/check.ts';
import { OrderHeld } from '../../../transforms/orders/common.ts';
import { writeDivalto } from '../../../transforms/orders/divalto.ts';
import { writeEbp } from '../../../transforms/orders/ebp.ts';
import { toErpOrder } from '../../../transforms/orders/from-prestashop.ts';
import { writeSage100 } from '../../../transforms/orders/sage100.ts';
import { checkOrderFor, writeOrdersFor } from '../../../transforms/orders/write.ts';
import { order42 } from '../../fixtures/orders/order-42.ts';

const cfg = parseOrdersConfig(undefined);

/** Gift wrapping has no slot in the files: the lines then miss 2,50 € of the order's total. */
function orderWithWrapping(): ReturnType<typeof toErpOrder> {
  const src = order42();
  src.order.total_wrapping_tax_excl = '2.500000';
  src.order.total_paid_tax_excl = '65.750000';
  return toErpOrder(src, cfg);
}

describe('orders: totals check', () => {
  it('says which totals differ, in French, with cents and euros', () => {
    const o = toErpOrder(order42(), cfg);
    const result = checkTotals({ ...o, totals: { ...o.totals, paidTaxExcl: 123_450_000 } }, [
      { label: 'A', amountTaxExcl: 100_000_000 }, { label: 'B', amountTaxExcl: 23_400_000 },
    ]);
    expect(result).to.deep.equal({ held: true, exportedTaxExcl: 123_400_000, reason: 'total des lignes 123,40 € ≠ total HT de la commande 123,45 €' });
    expect(checkTotals(o, [{ label: 'all', amountTaxExcl: 63_250_000 }]).held).to.equal(false);
  });

  it('passes the fixture order in every format', () => {
    const o = toErpOrder(order42(), cfg);
    for (const erp of ['sage', 'ebp', 'divalto'] as const) expect(checkOrderFor(erp, o, cfg).held, erp).to.equal(false);
  });

  it('holds an order whose lines do not add up, in every format, and the writers refuse it', async () => {
    const o = orderWithWrapping();
    for (const erp of ['sage', 'ebp', 'divalto'] as const) {
      const check = checkOrderFor(erp, o, cfg);
      expect(check.held, erp).to.equal(true);
      expect(check.held && check.reason, erp).to.equal('total des lignes 63,25 € ≠ total HT de la commande 65,75 €');
    }
    expect(() => writeSage100(o, cfg)).to.throw(OrderHeld);
    expect(() => writeEbp(o, cfg)).to.throw(RecordRejected, /63,25 €/);
    let divaltoError: unknown;
    try { await writeDivalto(o, cfg); } catch (err) { divaltoError = err; }
    expect(divaltoError).to.be.instanceOf(OrderHeld);
    expect((divaltoError as OrderHeld).idOrder).to.equal(42);
  });

  it('holds an order in another currency for Sage (the file carries the dossier currency)', () => {
    const src = order42();
    src.currencyIso = 'USD';
    const check = checkOrderFor('sage', toErpOrder(src, cfg), cfg);
    expect(check.held && check.reason).to.match(/devise USD/);
  });

  it('writes one file per order, or one batch file when orders.batch is set', async () => {
    const src = order42();
    src.order.id = '43';
    const orders = [toErpOrder(order42(), cfg), toErpOrder(src, cfg)];
    expect((await writeOrdersFor('sage', orders, cfg)).map((f) => f.fileName)).to.deep.equal(['CMD-42-UUBOXOBGX.txt', 'CMD-43-UUBOXOBGX.txt']);
    const batch = parseOrdersConfig({ batch: true });
    expect((await writeOrdersFor('ebp', orders, batch)).map((f) => f.fileName)).to.deep.equal(['CMD-BATCH-42-43.csv']);
    expect((await writeOrdersFor('divalto', orders, batch)).map((f) => f.fileName)).to.have.length(2);
    expect(await writeOrdersFor('sage', [], cfg)).to.deep.equal([]);
  });
});
