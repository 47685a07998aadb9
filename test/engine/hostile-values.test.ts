// Hostile files through the engine (issue #7, audit): the cases the issue saw that were proven only at row or
// parse level — values the shop cannot hold, and a line without end after a valid header — dropped as files,
// with what the user sees: report status, rejects with their lines and reasons, what the shop holds.
import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FileOutcome } from '../../src/runner/process-file.ts';
import type { FileReport } from '../../src/report.ts';
import { listTree, makeWorkspace, type Workspace } from '../support/workspace.ts';

const PRODUCTS = [
  { reference: 'VIS-4X40', quantity: 5 },
  { reference: 'VIS-BOIS-4X40', quantity: 1 },
  { reference: 'CHEVILLE-6', quantity: 3 },
  { reference: 'EQUERRE-20', quantity: 7 },
];

function reportOf(outcome: FileOutcome | undefined): FileReport {
  if (outcome === undefined || !('report' in outcome)) throw new Error(`no report: ${JSON.stringify(outcome)}`);
  return outcome.report;
}

describe('hostile files through the engine: values the ERP did not mean', () => {
  let ws: Workspace;
  beforeEach(async () => { ws = await makeWorkspace({ products: PRODUCTS }); });
  afterEach(async () => { await ws.close(); });

  it('rejects a negative reserved quantity, 3,000,000,000 and a 20-digit quantity with their lines and limits, and applies the valid line', async () => {
    await ws.dropStock('stock_valeurs.csv', [
      ['VIS-4X40', '1', '10', '-3'],
      ['CHEVILLE-6', '1', '3000000000', '0'],
      ['VIS-BOIS-4X40', '1', '12345678901234567890', '0'],
      ['EQUERRE-20', '1', '12', '2'],
    ]);
    const report = reportOf((await (await ws.engine()).runOnce()).files[0]?.outcome);
    expect(report.status).to.equal('partial');
    expect(report.records).to.include({ read: 4, updated: 1, rejected: 3 });
    expect(report.rejects.map((r) => [r.line, r.key])).to.deep.equal([[2, 'VIS-4X40'], [3, 'CHEVILLE-6'], [4, 'VIS-BOIS-4X40']]);
    expect(report.rejects[0]!.reason).to.contain('quantité réservée (AS_QteRes) négative : -3');
    expect(report.rejects[1]!.reason).to.contain('3 000 000 000 hors limites').and.contain('2 147 483 647');
    expect(report.rejects[2]!.reason).to.contain('hors limites (nombre trop grand)').and.not.contain('non entière');
    expect([ws.quantityOf('VIS-4X40'), ws.quantityOf('CHEVILLE-6'), ws.quantityOf('VIS-BOIS-4X40')], 'nothing written for the rejected lines').to.deep.equal([5, 3, 1]);
    expect(ws.quantityOf('EQUERRE-20')).to.equal(10);
  });

  it('rejects a total over warehouses above what PrestaShop holds, with the limit, writing nothing for it', async () => {
    await ws.dropStock('stock_total.csv', [['VIS-4X40', '1', '2000000000', '0'], ['VIS-4X40', '2', '2000000000', '0'], ['CHEVILLE-6', '1', '4', '0']]);
    const report = reportOf((await (await ws.engine()).runOnce()).files[0]?.outcome);
    expect(report.status).to.equal('partial');
    expect(report.rejects.map((r) => r.key)).to.deep.equal(['VIS-4X40']);
    expect(report.rejects[0]!.reason).to.contain('4 000 000 000').and.contain('2 147 483 647');
    expect(ws.quantityOf('VIS-4X40')).to.equal(5);
    expect(ws.quantityOf('CHEVILLE-6')).to.equal(4);
  });
});

describe('hostile files through the engine: a line without end after a valid header', () => {
  let ws: Workspace;
  beforeEach(async () => { ws = await makeWorkspace({ products: PRODUCTS }); });
  afterEach(async () => { await ws.close(); });

  it('quarantines it with the line and its length, never « traité : 0 ligne lue », and processes the healthy file beside it', async () => {
    await fs.mkdir(path.join(ws.drop, 'stock'), { recursive: true });
    const head = Buffer.from('AR_Ref;DE_No;AS_QteSto;AS_QteRes\r\nVIS-4X40;1;60;0\r\n');
    await fs.writeFile(path.join(ws.drop, 'stock', 'stock_ligne_sans_fin.csv'), Buffer.concat([head, Buffer.alloc(3 * 1024 * 1024, 0x41)]));
    await ws.dropStock('stock_sain.csv', [['CHEVILLE-6', '1', '61', '0']]);
    const summary = await (await ws.engine()).runOnce();
    const byName = Object.fromEntries(summary.files.map((f) => [f.name, reportOf(f.outcome)]));
    const report = byName['stock_ligne_sans_fin.csv']!;
    expect(report.status).to.equal('quarantined');
    expect(report.reason).to.match(/^Ligne 3 trop longue : 3 145 728 octets \(limite 1 048 576 octets/);
    expect(report.summary).to.not.contain('0 ligne');
    expect(ws.quantityOf('VIS-4X40'), 'a quarantined file writes nothing').to.equal(5);
    expect(byName['stock_sain.csv']?.status).to.equal('done');
    expect(ws.quantityOf('CHEVILLE-6')).to.equal(61);
    expect((await listTree(path.join(ws.archive, 'quarantine'))).filter((f) => f.endsWith('stock_ligne_sans_fin.csv'))).to.have.length(1);
  });
});
