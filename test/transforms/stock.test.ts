import { expect } from 'chai';
import { loadProfile, type StockFlowProfile } from '../../src/erp/profile.ts';
import { readFlowRows, stockFlow } from '../../src/erp/read-flow.ts';
import type { Row } from '../../src/parse/row.ts';
import {
  StockAccumulator, sumByReference as sumAll, sumByReferenceWithStats, toStockLine, isStockReject, isStockLineReject, type StockLine, type StockRecord,
} from '../../transforms/stock/lines.ts';

const FIXTURES = new URL('../fixtures/erp/', import.meta.url).pathname;
const sage = stockFlow(loadProfile('sage100'));
const all = { quantity: 'available', warehouses: [] } as const;

function row(values: Record<string, string>, line = 2, error?: string): Row {
  return error === undefined ? { line, values } : { line, values, error };
}

async function stockLines(file: string, flow: StockFlowProfile): Promise<{ lines: StockLine[]; rejects: string[] }> {
  const lines: StockLine[] = [];
  const rejects: string[] = [];
  for await (const r of readFlowRows(FIXTURES + file, flow)) {
    const t = toStockLine(r, flow);
    if (isStockReject(t)) rejects.push(`${r.line}: ${t.reject}`);
    else lines.push(t);
  }
  return { lines, rejects };
}

describe('toStockLine', () => {
  it('maps a Sage F_ARTSTOCK row (decimal comma, whole quantities)', () => {
    const t = toStockLine(row({ AR_Ref: ' BAAR01 ', DE_No: '1', AS_QteSto: '12,000000', AS_QteRes: '2,000000' }, 5), sage);
    expect(t).to.deep.equal({ line: 5, reference: 'BAAR01', warehouse: '1', real: 12, reserved: 2 });
  });

  it('rejects an empty reference with « référence article vide »', () => {
    expect(toStockLine(row({ AR_Ref: '  ', DE_No: '1', AS_QteSto: '1', AS_QteRes: '0' }), sage)).to.deep.equal({ reject: 'référence article vide' });
  });

  it('rejects a non-numeric or fractional quantity with the column and the value, keyed by the reference', () => {
    expect(toStockLine(row({ AR_Ref: 'X', DE_No: '1', AS_QteSto: 'abc', AS_QteRes: '0' }), sage))
      .to.deep.equal({ reject: 'stock réel (AS_QteSto) : nombre invalide : « abc »', key: 'X' });
    expect(toStockLine(row({ AR_Ref: 'X', DE_No: '1', AS_QteSto: '3', AS_QteRes: '1,5' }), sage))
      .to.deep.equal({ reject: 'quantité réservée (AS_QteRes) : quantité non entière : 1,5', key: 'X' });
    expect(toStockLine(row({ AR_Ref: 'X', DE_No: '1', AS_QteSto: '', AS_QteRes: '0' }), sage))
      .to.deep.equal({ reject: 'stock réel (AS_QteSto) : valeur vide', key: 'X' });
  });

  it('refuses a negative reserved quantity, which would make available stock higher than real stock', () => {
    expect(toStockLine(row({ AR_Ref: 'X', DE_No: '1', AS_QteSto: '10', AS_QteRes: '-3' }), sage))
      .to.deep.equal({ reject: "quantité réservée (AS_QteRes) négative : -3 — une réservation ne peut pas être négative, vérifiez l'export", key: 'X' });
  });

  it('refuses quantities PrestaShop cannot hold, naming the limit, and a 20-digit value as too large (not « non entière »)', () => {
    expect(toStockLine(row({ AR_Ref: 'X', DE_No: '1', AS_QteSto: '3000000000', AS_QteRes: '0' }), sage))
      .to.deep.equal({ reject: "stock réel (AS_QteSto) : 3 000 000 000 hors limites : PrestaShop n'accepte que des quantités de -2 147 483 648 à 2 147 483 647", key: 'X' });
    expect(toStockLine(row({ AR_Ref: 'X', DE_No: '1', AS_QteSto: '12345678901234567890', AS_QteRes: '0' }), sage))
      .to.deep.equal({ reject: 'stock réel (AS_QteSto) : quantité hors limites (nombre trop grand) : 12345678901234567890', key: 'X' });
  });

  it('reads a blank reserved cell as nothing reserved', () => {
    expect(toStockLine(row({ AR_Ref: 'X', DE_No: '1', AS_QteSto: '3', AS_QteRes: '' }), sage)).to.include({ real: 3, reserved: 0 });
  });

  it('passes a malformed row on as a reject with its reason', () => {
    expect(toStockLine(row({ AR_Ref: 'X' }, 3, '5 champs au lieu de 4'), sage)).to.deep.equal({ reject: '5 champs au lieu de 4', key: 'X' });
  });
});

/** The records of a sum (the tests below have no conflicting lines). */
const sumByReference = (...a: Parameters<typeof sumAll>): StockRecord[] => sumAll(...a).filter((r): r is StockRecord => !isStockLineReject(r));

describe('sumByReference', () => {
  const line = (reference: string, warehouse: string, real: number, reserved: number, l: number): StockLine => ({ line: l, reference, warehouse, real, reserved });

  it('sums available stock per reference across warehouses, keeping the first line', () => {
    const recs = sumByReference([line('A', '1', 10, 2, 2), line('B', '1', 1, 0, 3), line('A', '2', 5, 0, 4), line('A', '3', 1, 0, 5)], all);
    expect(recs).to.deep.equal([
      { reference: 'A', quantity: 14, line: 2 },
      { reference: 'B', quantity: 1, line: 3 },
    ]);
  });

  it('refuses every line of a reference whose warehouse appears twice with other quantities, never summing them', () => {
    const out = sumAll([line('VIS', '1', 10, 0, 2), line('VIS', '2', 4, 0, 3), line('B', '1', 1, 0, 4), line('VIS', '1', 3, 0, 5)], all);
    expect(out.filter((r) => !isStockLineReject(r))).to.deep.equal([{ reference: 'B', quantity: 1, line: 4 }]);
    const rejects = out.filter(isStockLineReject);
    expect(rejects.map((r) => r.line)).to.deep.equal([2, 3, 5]);
    for (const r of rejects) {
      expect(r.reject).to.equal("référence VIS : l'entrepôt 1 figure deux fois avec des quantités différentes (lignes 2 : 10, et 5 : 3) — stock non mis à jour, corrigez l'export");
    }
  });

  it('counts a line repeating an earlier one exactly (same reference, warehouse, quantities) once, with a remark', () => {
    const { records, stats } = sumByReferenceWithStats([line('A', '1', 10, 0, 2), line('A', '1', 10, 0, 3)], all);
    expect(records).to.deep.equal([{ reference: 'A', quantity: 10, line: 2 }]);
    expect(stats.repeatedLines).to.deep.equal([3]);
  });

  it('refuses a total above what PrestaShop holds (signed 32-bit) with the limit', () => {
    const out = sumAll([line('A', '1', 2_000_000_000, 0, 2), line('A', '2', 2_000_000_000, 0, 3)], all);
    expect(out).to.deep.equal([{ line: 2, key: 'A', reject: 'stock total de 4 000 000 000 : au-delà de ce que PrestaShop accepte (2 147 483 647 au plus)' }]);
  });

  it("uses real stock when asked, and ignores (counts) lines of warehouses not listed", () => {
    const { records, stats } = sumByReferenceWithStats(
      [line('A', '1', 10, 2, 2), line('A', '2', 5, 5, 3), line('A', '9', 100, 0, 4)],
      { quantity: 'real', warehouses: ['1', '2'] },
    );
    expect(records.map((r) => (isStockLineReject(r) ? r.reject : [r.reference, r.quantity]))).to.deep.equal([['A', 15]]);
    expect(stats).to.deep.equal({ ignoredLines: 1, clampedToZero: 0, repeatedLines: [] });
  });

  it('publishes a negative sum as 0 (after summing the warehouses) and counts it', () => {
    const acc = new StockAccumulator(all);
    acc.add(line('A', '1', 3, 5, 2)); // −2
    acc.add(line('A', '2', 1, 0, 3)); // total −1 → 0
    acc.add(line('B', '1', 2, 5, 4)); // −3
    acc.add(line('B', '2', 4, 0, 5)); // total 1: the over-reservation is served from warehouse 2
    expect([...acc.results()].map((r) => (isStockLineReject(r) ? r.reject : [r.reference, r.quantity]))).to.deep.equal([['A', 0], ['B', 1]]);
    expect(acc.clampedToZero).to.equal(1);
    expect(acc.ignoredLines).to.equal(0);
  });
});

describe('stock flows end to end on the ERP fixtures', () => {
  it('Sage 100 cp1252 export → available stock per reference', async () => {
    const { lines, rejects } = await stockLines('sage100_stock_cp1252.csv', sage);
    expect(rejects).to.deep.equal([]);
    const recs = sumByReference(lines, all);
    expect(recs.map((r) => [r.reference, r.quantity, r.line])).to.deep.equal([
      ['BAAR01', 15, 2], ['CHAIN45', 0, 4], ['ÉTUI-CŒUR', 1200, 5], ['BRACELET', 10, 6],
    ]);
    expect(sumByReference(lines, { quantity: 'available', warehouses: ['1'] }).map((r) => [r.reference, r.quantity]))
      .to.deep.equal([['BAAR01', 10], ['CHAIN45', 0], ['ÉTUI-CŒUR', 1200]]);
  });

  it('EBP article export (UTF-8 BOM, quoted, `Stock réel`) → real stock, one line per article', async () => {
    const flow = stockFlow(loadProfile('ebp'));
    const { lines, rejects } = await stockLines('ebp_articles_utf8bom.txt', flow);
    expect(rejects).to.deep.equal([]);
    expect(sumByReference(lines, { quantity: 'available', warehouses: [] }).map((r) => [r.reference, r.quantity]))
      .to.deep.equal([['AR00139', 3], ['AR00140', 0], ['GILET-ÉTÉ', 12]]);
  });

  it('Divalto MVTL_STOCK_V text export (decimal point) → available stock per reference', async () => {
    const flow = stockFlow(loadProfile('divalto'));
    const { lines, rejects } = await stockLines('divalto_mvtl_stock_cp1252.csv', flow);
    expect(rejects).to.deep.equal([]);
    expect(sumByReference(lines, all).map((r) => [r.reference, r.quantity]))
      .to.deep.equal([['CHAISE-001', 12], ['TABLE-ÉCO', 0]]);
  });

  it('a wrong-column-count row is rejected with its line, the rest of the file goes through', async () => {
    const { lines, rejects } = await stockLines('sage100_stock_wrong_count_cp1252.csv', sage);
    expect(rejects).to.deep.equal(['3: 5 champs au lieu de 4']);
    expect(lines.map((l) => l.reference)).to.deep.equal(['BAAR01', 'BRACELET']);
  });
});

describe('stock pipeline fingerprints', () => {
  it('builds the JSON of its desired state exactly as JSON.stringify would (the stored fingerprint must not change)', async () => {
    const { stock } = await import('../../pipelines/stock.ts');
    const ctx = {} as Parameters<NonNullable<typeof stock.desiredJson>>[1];
    for (const quantity of [0, 1, 12, 2_147_483_647, -0, 1e21, 0.5]) {
      const rec = { line: 2, key: 'A', record: { reference: 'A', quantity, line: 2 } };
      expect(stock.desiredJson!(rec, ctx)).to.equal(JSON.stringify(stock.desired!(rec, ctx)));
    }
  });
});
