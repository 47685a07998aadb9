// Refused files (issue #7), as the user sees them: the report's status and reason (French, with the line),
// where the file ends (archive/ or archive/quarantine/), what the shop holds, and that a healthy file
// dropped beside a refused one is processed in the same run.
import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FileOutcome } from '../../src/runner/process-file.ts';
import type { FileReport } from '../../src/report.ts';
import { listTree, makeWorkspace, type Workspace } from '../support/workspace.ts';

const HOSTILE = new URL('../fixtures/hostile/', import.meta.url).pathname;
const PRODUCTS = [
  { reference: 'VIS-4X40', quantity: 5 },
  { reference: 'VIS-BOIS-4X40', quantity: 1 },
  { reference: 'CHEVILLE-6', quantity: 3 },
];

async function dropFixture(ws: Workspace, fixture: string, as = fixture): Promise<void> {
  await fs.mkdir(path.join(ws.drop, 'stock'), { recursive: true });
  await fs.copyFile(path.join(HOSTILE, fixture), path.join(ws.drop, 'stock', as));
}

function reportOf(outcome: FileOutcome | undefined): FileReport {
  if (outcome === undefined || !('report' in outcome)) throw new Error(`no report: ${JSON.stringify(outcome)}`);
  return outcome.report;
}

interface Run { byName: Record<string, FileReport>; archived: string[]; quarantined: string[] }

/** One run with a healthy file beside the hostile ones; the healthy file must always be applied. */
async function runWithHealthy(ws: Workspace): Promise<Run> {
  await ws.dropStock('stock_sain.csv', [['CHEVILLE-6', '1', '99', '0']], 'stock');
  const summary = await (await ws.engine()).runOnce();
  const byName = Object.fromEntries(summary.files.map((f) => [f.name, reportOf(f.outcome)]));
  expect(byName['stock_sain.csv']?.status, 'the healthy file beside').to.equal('done');
  expect(ws.quantityOf('CHEVILLE-6')).to.equal(99);
  const all = await listTree(ws.archive);
  const quarantined = all.filter((f) => f.startsWith('quarantine/') && !/\.(report\.json|rapport\.txt)$/.test(f)).map((f) => path.basename(f));
  const archived = all.filter((f) => !f.startsWith('quarantine/') && !/\.(report\.json|rapport\.txt)$/.test(f)).map((f) => path.basename(f));
  expect(await listTree(ws.drop), 'nothing left in drop/').to.deep.equal([]);
  return { byName, archived, quarantined };
}

describe('refused files: what the user sees', () => {
  let ws: Workspace;
  beforeEach(async () => { ws = await makeWorkspace({ products: PRODUCTS }); });
  afterEach(async () => { await ws.close(); });

  it('applies every line of a file mixing CRLF, LF and a bare CR, each with its own line', async () => {
    await dropFixture(ws, 'stock_fins_de_ligne_mixtes.csv');
    const { byName, archived } = await runWithHealthy(ws);
    const report = byName['stock_fins_de_ligne_mixtes.csv']!;
    expect(report.status).to.equal('done');
    expect(report.records.read).to.equal(3);
    expect(report.rejects).to.deep.equal([]);
    expect([ws.quantityOf('VIS-4X40'), ws.quantityOf('VIS-BOIS-4X40')]).to.deep.equal([21, 22]);
    expect(archived).to.include('stock_fins_de_ligne_mixtes.csv');
  });

  it('quarantines a file whose quote opens line 3 and never closes, naming the line, nothing written', async () => {
    await dropFixture(ws, 'stock_guillemet_ouvert.csv');
    const { byName, quarantined } = await runWithHealthy(ws);
    const report = byName['stock_guillemet_ouvert.csv']!;
    expect(report.status).to.equal('quarantined');
    expect(report.reason).to.match(/^Guillemet ouvert ligne 3 jamais refermé sur cette ligne/);
    expect(report.summary).to.contain('Guillemet ouvert ligne 3').and.not.contain('ligne(s) lue(s)');
    expect(report.writes).to.equal(0);
    expect([ws.quantityOf('VIS-4X40'), ws.quantityOf('VIS-BOIS-4X40')]).to.deep.equal([5, 1]);
    expect(quarantined).to.include('stock_guillemet_ouvert.csv');
  });

  it('quarantines a 3 MB file without a line break with its length, never « 0 ligne lue »', async () => {
    await fs.mkdir(path.join(ws.drop, 'stock'), { recursive: true });
    await fs.writeFile(path.join(ws.drop, 'stock', 'stock_sans_fin.csv'), Buffer.alloc(3 * 1024 * 1024, 0x41));
    const { byName, quarantined } = await runWithHealthy(ws);
    const report = byName['stock_sans_fin.csv']!;
    expect(report.status).to.equal('quarantined');
    expect(report.reason).to.match(/^Ligne 1 trop longue : 3 145 728 octets \(limite 1 048 576 octets/);
    expect(quarantined).to.include('stock_sans_fin.csv');
  });

  it('names cp850 and the setting to change, for a byte windows-1252 lacks (quarantine) and for accents it misreads (warning)', async () => {
    await dropFixture(ws, 'stock_cp850.csv');
    await dropFixture(ws, 'stock_cp850_minuscules.csv');
    const { byName, quarantined } = await runWithHealthy(ws);
    const fatal = byName['stock_cp850.csv']!;
    expect(fatal.status).to.equal('quarantined');
    expect(fatal.reason).to.contain('ligne 2, colonne 4').and.contain('« encoding: cp850 »');
    expect(quarantined).to.include('stock_cp850.csv');
    const warned = byName['stock_cp850_minuscules.csv']!;
    expect(warned.warnings.join('\n')).to.contain('ligne 2 : texte qui ressemble à du cp850 (DOS) lu en windows-1252 (« caf‚-filtre »)')
      .and.contain('« encoding: cp850 »');
    expect(warned.rejects.map((r) => r.line)).to.deep.equal([2, 3]);
  });

  it('names UTF-16LE instead of « binaire ? », with or without its BOM', async () => {
    await dropFixture(ws, 'stock_utf16le_bom.csv');
    await dropFixture(ws, 'stock_utf16le_sans_bom.csv');
    const { byName, quarantined } = await runWithHealthy(ws);
    for (const name of ['stock_utf16le_bom.csv', 'stock_utf16le_sans_bom.csv']) {
      expect(byName[name]?.status, name).to.equal('quarantined');
      expect(byName[name]?.reason, name).to.contain('UTF-16LE').and.contain('« encoding: utf-16le »').and.not.contain('binaire');
      expect(quarantined).to.include(name);
    }
    expect(ws.quantityOf('VIS-4X40')).to.equal(5);
  });

  it('reads the UTF-16LE file once the profile declares encoding: utf-16le', async () => {
    await ws.close();
    ws = await makeWorkspace({ products: PRODUCTS, config: { erp: { profile: 'sage100', flows: { stock: { encoding: 'utf-16le' } } } } });
    await dropFixture(ws, 'stock_utf16le_bom.csv');
    const summary = await (await ws.engine()).runOnce();
    const report = reportOf(summary.files[0]?.outcome);
    expect(report.status).to.equal('done');
    expect(report.records.read).to.equal(1);
    expect(ws.quantityOf('VIS-4X40')).to.equal(41);
  });

  it('keeps the reason of a header of 100,000 columns to the first names and « … et N autres »', async () => {
    const header = Array.from({ length: 100_000 }, (_, i) => `C${i}`).join(';');
    await fs.mkdir(path.join(ws.drop, 'stock'), { recursive: true });
    await fs.writeFile(path.join(ws.drop, 'stock', 'stock_colonnes.csv'), `${header}\r\nA;1\r\n`);
    const { byName, quarantined } = await runWithHealthy(ws);
    const report = byName['stock_colonnes.csv']!;
    expect(report.status).to.equal('quarantined');
    expect(report.reason).to.match(/^Colonnes obligatoires absentes : « AR_Ref », « AS_QteSto », « DE_No », « AS_QteRes »\. Colonnes trouvées : « C0 », /);
    expect(report.reason).to.contain('… et 99 980 autres.');
    expect(report.reason!.length).to.be.below(500);
    expect(quarantined).to.include('stock_colonnes.csv');
  });
});
