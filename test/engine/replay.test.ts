// « Rejouer » (issue 12): an archived or quarantined file goes through its pipeline again, with its own
// report linked to the original, never refused as a duplicate of itself, and idempotent.
import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FileReport } from '../../src/report.ts';
import { claimReplay, findArchivedFile } from '../../src/intake/replay.ts';
import { listTree, makeWorkspace, type Workspace } from '../support/workspace.ts';

const PRODUCTS = [{ reference: 'VIS-4X40', quantity: 5 }, { reference: 'CHEVILLE-6', quantity: 3 }];

function reportOfOutcome(o: { status: string } & Partial<{ report: FileReport }>): FileReport {
  expect(o.report, `outcome ${o.status} has a report`).to.be.an('object');
  return o.report!;
}

describe('replay of an archived file (« rejouer »)', () => {
  let ws: Workspace;
  beforeEach(async () => { ws = await makeWorkspace({ products: PRODUCTS }); });
  afterEach(async () => { await ws.close(); });

  it('replays through its pipeline with no write for unchanged records, its own report naming the original', async () => {
    await ws.dropStock('stock_a.csv', [['VIS-4X40', '1', '9', '0'], ['CHEVILLE-6', '1', '4', '0']]);
    const engine = await ws.engine();
    await engine.runOnce();
    const original = findArchivedFile(engine.state, '1');
    expect(original.status).to.equal('done');
    const writes = ws.shop.writeCount();

    const summary = await engine.runOnce({ replay: original.id, trigger: 'replay' });
    const report = reportOfOutcome(summary.files[0]!.outcome);
    expect(report.status, 'not a duplicate of itself').to.equal('done');
    expect(report.records).to.include({ read: 2, unchanged: 2 });
    expect(ws.shop.writeCount(), 'idempotent: no write').to.equal(writes);
    expect(report.replayOf).to.deep.equal({ id: original.id, file: 'stock_a.csv', archive: original.archive_path });
    const tree = await listTree(ws.archive);
    expect(tree.filter((f) => /stock_a( \(2\))?\.csv$/.test(f)), 'the original kept, the replay archived beside it').to.have.length(2);
    expect(await fs.readFile(original.archive_path!), 'archived bytes untouched').to.have.length.above(0);
    const replayRow = engine.state.sql.prepare<[], { origin: string }>('SELECT origin FROM files ORDER BY id DESC LIMIT 1').get()!;
    expect(replayRow.origin).to.equal(`replay:${original.id}`);
    const text = await fs.readFile(path.join(ws.archive, tree.find((f) => f.endsWith('stock_a (2).csv.rapport.txt'))!), 'utf8');
    expect(text).to.contain(`Rejeu de        : stock_a.csv (n° ${original.id}`);
  });

  it('replaying an older file writes its value back (what the ERP said in that file)', async () => {
    await ws.dropStock('stock_b.csv', [['VIS-4X40', '1', '9', '0']]);
    const engine = await ws.engine();
    await engine.runOnce();
    await ws.dropStock('stock_c.csv', [['VIS-4X40', '1', '12', '0']]);
    await engine.runOnce();
    expect(ws.quantityOf('VIS-4X40')).to.equal(12);
    // Replaying the older file puts its value back: it is what the ERP said in that file.
    const older = findArchivedFile(engine.state, '1');
    await engine.runOnce({ replay: older.id });
    expect(ws.quantityOf('VIS-4X40')).to.equal(9);
  });

  it('replays a quarantined file once its cause is fixed (here: a folder name mistyped)', async () => {
    await ws.dropStock('stock_d.csv', [['VIS-4X40', '1', '7', '0']], 'stok');
    const engine = await ws.engine();
    const first = await engine.runOnce();
    expect(first.files[0]!.outcome.status).to.equal('quarantined');
    const row = findArchivedFile(engine.state, '#1');
    expect(row.archive_path).to.contain(`${path.sep}quarantine${path.sep}`);
    // Replayed, it is routed again from its name, as if dropped in drop/.
    const summary = await engine.runOnce({ replay: row.archive_path! });
    expect(reportOfOutcome(summary.files[0]!.outcome)).to.include({ status: 'done', pipeline: 'stock' });
    expect(ws.quantityOf('VIS-4X40')).to.equal(7);
  });

  it('a replay copy left claimed by a killed process is resumed as a replay, not refused as a duplicate', async () => {
    await ws.dropStock('stock_e.csv', [['VIS-4X40', '1', '8', '0']]);
    const engine = await ws.engine();
    await engine.runOnce();
    const row = findArchivedFile(engine.state, 1);
    // What a kill -9 right after the copy leaves: the copy in drop/.work/, no journal row for it yet.
    await claimReplay(ws.drop, row, ['stock']);
    const summary = await engine.runOnce();
    const report = reportOfOutcome(summary.files[0]!.outcome);
    expect(report.status).to.equal('done');
    expect(report.replayOf?.id).to.equal(row.id);
  });

  it('refuses a file unknown to the journal, in French', async () => {
    const engine = await ws.engine();
    let err: unknown;
    try { await engine.runOnce({ replay: 42 }); } catch (e) { err = e; }
    expect(String(err)).to.match(/fichier inconnu du journal/);
  });

  it('a dry run of a replay reads the archived file in place and leaves nothing in the work folder', async () => {
    await ws.dropStock('stock_f.csv', [['VIS-4X40', '1', '6', '0']]);
    await (await ws.engine()).runOnce();
    const dry = await ws.engine({ dryRun: true });
    const summary = await dry.runOnce({ replay: 1 });
    expect(summary.files[0]!.outcome.status).to.equal('done');
    expect((await listTree(ws.drop)).filter((f) => !f.endsWith('/')), 'nothing claimed').to.deep.equal([]);
  });
});
