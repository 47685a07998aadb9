// transforms/sage/moves.ts: when a catalogue node under a new path is the same node moved, and when not.
import { expect } from 'chai';
import { catalogueKey } from '../../../transforms/sage/keys.ts';
import { catalogueMoves } from '../../../transforms/sage/moves.ts';
import type { SageCatalogueRow } from '../../../transforms/sage/rows.ts';

const node = (path: string[], code = '', line = 1): SageCatalogueRow => ({ label: path[path.length - 1]!, code, level: String(path.length - 1), parentLabel: path[path.length - 2] ?? '', path, line });
const table = (rows: SageCatalogueRow[]) => new Map(rows.map((r) => [catalogueKey(r.path!), r]));

describe('Sage catalogue moves (transforms/sage/moves)', () => {
  const earlier = table([node(['Bijoux']), node(['Bijoux', 'Argent']), node(['Bijoux', 'Or']), node(['Bijoux', 'Argent', 'Bagues'], 'BA'), node(['Bijoux', 'Argent', 'Bagues', 'Fines'], 'BF')]);

  it('same code, old path absent from a partial export: moved; the table follows, descendants included', () => {
    const m = catalogueMoves([node(['Bijoux', 'Or', 'Bagues'], 'BA')], earlier, false);
    expect([...m.movedFrom]).to.deep.equal([[catalogueKey(['Bijoux', 'Or', 'Bagues']), ['Bijoux', 'Argent', 'Bagues']]]);
    const rows = new Map(m.table.map((t) => [t.key, t.row]));
    expect(rows.get(catalogueKey(['Bijoux', 'Argent', 'Bagues']))).to.include({ path: null });
    expect(rows.get(catalogueKey(['Bijoux', 'Argent', 'Bagues']))?.movedTo).to.deep.equal(['Bijoux', 'Or', 'Bagues']);
    expect(rows.get(catalogueKey(['Bijoux', 'Or', 'Bagues', 'Fines']))?.path).to.deep.equal(['Bijoux', 'Or', 'Bagues', 'Fines']);
    // the same file read again after a crash (its table saved): still the same move
    const saved = new Map([...earlier, ...m.table.map((t) => [t.key, t.row] as const), [catalogueKey(['Bijoux', 'Or', 'Bagues']), node(['Bijoux', 'Or', 'Bagues'], 'BA')]]);
    expect([...catalogueMoves([node(['Bijoux', 'Or', 'Bagues'], 'BA')], saved, false).movedFrom.values()]).to.deep.equal([['Bijoux', 'Argent', 'Bagues']]);
  });

  it('no code in a partial export, another code, or two candidates: never a move', () => {
    expect(catalogueMoves([node(['Bijoux', 'Or', 'Bagues'])], earlier, false).movedFrom.size).to.equal(0);
    expect(catalogueMoves([node(['Bijoux', 'Or', 'Bagues'], 'XX')], earlier, false).movedFrom.size).to.equal(0);
    const two = catalogueMoves([node(['Bijoux', 'Or', 'Bagues'], 'BA'), node(['Montres', 'Hommes', 'Bagues'], 'BA')], table([node(['Bijoux', 'Argent', 'Bagues'], 'BA'), node(['Montres']), node(['Montres', 'Hommes']), node(['Bijoux', 'Or']), node(['Bijoux']), node(['Bijoux', 'Argent'])]), false);
    expect(two.movedFrom.size).to.equal(0);
    expect(two.warnings.join('\n')).to.match(/impossible de dire lequel a été déplacé/);
  });

  it('no code, but the whole catalogue in the file (or catalog.fullExport): moved', () => {
    const whole = [node(['Bijoux']), node(['Bijoux', 'Argent']), node(['Bijoux', 'Or']), node(['Bijoux', 'Or', 'Bagues']), node(['Bijoux', 'Or', 'Bagues', 'Fines'])];
    expect(catalogueMoves(whole, earlier, false).movedFrom.size).to.equal(2);
    expect(catalogueMoves([node(['Bijoux', 'Or', 'Bagues'])], earlier, true).movedFrom.size).to.equal(1);
  });
});
