import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { ConfigError } from '../../src/errors.ts';
import { deepMerge, globToRegExp, listProfiles, loadProfile, matchFlow } from '../../src/erp/profile.ts';
import { sniffFlow } from '../../src/erp/sniff.ts';

function configError(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  expect.fail('expected a ConfigError');
}

describe('ERP profiles', () => {
  it('ships sage100, ebp, divalto and generic, all valid except generic without its columns', () => {
    expect(listProfiles()).to.deep.equal(['divalto', 'ebp', 'generic', 'sage100']);
    const sage = loadProfile('sage100');
    expect(sage.flows.stock).to.deep.include({
      format: 'delimited', encoding: 'windows-1252', delimiter: ';', decimal: ',',
      columns: { reference: 'AR_Ref', warehouse: 'DE_No', real: 'AS_QteSto', reserved: 'AS_QteRes' },
    });
    expect(loadProfile('ebp').flows.stock).to.deep.include({ encoding: 'utf-8-bom', columns: { reference: 'Code article', real: 'Stock réel' } });
    expect(loadProfile('divalto').flows.stock?.columns).to.deep.equal({ reference: 'REFERENCE', warehouse: 'DEPOT', real: 'QTETJSENSTOCK', reserved: 'QTERESERVE' });
  });

  it('reports every problem of the generic profile at once, with config paths', () => {
    expect(configError(() => loadProfile('generic'))).to.deep.equal([
      'erp.flows.stock.patterns: obligatoire',
      'erp.flows.stock.columns: obligatoire',
    ]);
  });

  it('merges the main config overrides (erp.flows, as the engine passes them) over the profile', () => {
    const p = loadProfile('generic', { stock: { patterns: ['stk_*.txt'], columns: { reference: 'Ref', real: 'Qte' } } });
    expect(p.flows.stock).to.deep.include({ patterns: ['stk_*.txt'], encoding: 'windows-1252', columns: { reference: 'Ref', real: 'Qte' } });
    const q = loadProfile('sage100', { flows: { stock: { encoding: 'cp850', columns: { reserved: null } } } });
    expect(q.flows.stock).to.deep.include({ encoding: 'cp850', columns: { reference: 'AR_Ref', warehouse: 'DE_No', real: 'AS_QteSto' } });
  });

  it('rejects typos and bad values, all at once, in French', () => {
    const problems = configError(() => loadProfile('sage100', {
      stock: { encoding: 'latin1', delimiter: ';;', columns: { reference: '', referense: 'X' } },
    }));
    expect(problems).to.have.members([
      'erp.flows.stock.encoding: valeur invalide (attendu : "windows-1252" | "cp850" | "utf-8" | "utf-8-bom" | "utf-16le" | "utf-16be")',
      'erp.flows.stock.delimiter: trop long (maximum 1)',
      'erp.flows.stock.columns.reference: ne doit pas être vide',
      'erp.flows.stock.columns: clé inconnue : referense',
    ]);
  });

  it('switching a flow to xlsx drops the delimited-only keys instead of failing on them', () => {
    const p = loadProfile('divalto', { stock: { format: 'xlsx', headerRow: 'auto' } });
    expect(p.flows.stock).to.deep.equal({
      patterns: ['*mvtl_stock*.csv', '*mvtl_stock*.txt', 'stock*.csv', 'stock*.txt'],
      format: 'xlsx', headerRow: 'auto', decimal: '.',
      columns: { reference: 'REFERENCE', warehouse: 'DEPOT', real: 'QTETJSENSTOCK', reserved: 'QTERESERVE' },
    });
  });

  it('refuses an unknown profile name, listing the known ones', () => {
    expect(configError(() => loadProfile('../etc/passwd'))[0]).to.contain('profil ERP inconnu');
    expect(configError(() => loadProfile('sap'))[0]).to.contain('sage100');
  });

  it('reads profiles from another folder and reports invalid YAML', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prestasync-profiles-'));
    try {
      writeFileSync(join(dir, 'broken.yaml'), 'name: [unclosed');
      expect(configError(() => loadProfile('broken', undefined, { dir }))[0]).to.contain('YAML invalide');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('deepMerge: objects merge, arrays replace, null removes', () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, d: null })).to.deep.equal({ a: { b: 1, c: [3] } });
  });
});

describe('matchFlow', () => {
  const sage = loadProfile('sage100');
  it('matches file names case-insensitively on the base name', () => {
    expect(matchFlow(sage, '/drop/STOCK_20250315.CSV')).to.equal('stock');
    expect(matchFlow(sage, 'export_F_ARTSTOCK.csv')).to.equal('stock');
    expect(matchFlow(sage, 'commandes.csv')).to.equal(undefined);
    expect(matchFlow(sage, 'stock.csv.tmp')).to.equal(undefined);
  });

  it('treats only * and ? as wildcards', () => {
    expect(globToRegExp('a?c.(1)+*.csv').test('abc.(1)+x.csv')).to.equal(true);
    expect(globToRegExp('a.csv').test('abcsv')).to.equal(false);
  });
});

describe('sniffFlow', () => {
  const sage = loadProfile('sage100');
  const ebp = loadProfile('ebp');

  it('recognises a Sage « Format Sage » export by its #FLG header', () => {
    expect(sniffFlow(Buffer.from('#FLG 000\r\n#VER 33\r\n#CHEN\r\n'), sage)).to.deep.equal({ format: 'format-sage' });
  });

  it('recognises a stock export by its header columns, in the profile encoding', () => {
    expect(sniffFlow(Buffer.from('ar_ref;DE_No;AS_QteSto;AS_QteRes;AR_Design\r\nX;1;2;0\r\n'), sage))
      .to.deep.equal({ flow: 'stock', format: 'delimited', profile: 'sage100' });
    const ebpHead = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('"Code article","Libellé","Stock réel"\n', 'utf8')]);
    expect(sniffFlow(ebpHead, [sage, ebp])).to.deep.equal({ flow: 'stock', format: 'delimited', profile: 'ebp' });
    expect(sniffFlow(iconv.encode('Code article;Stock réel\r\n', 'windows-1252'), loadProfile('ebp', { stock: { encoding: 'windows-1252' } })).flow).to.equal('stock');
  });

  it('says nothing about a file it does not recognise', () => {
    expect(sniffFlow(Buffer.from('REF;QTE\r\n'), sage)).to.deep.equal({});
    expect(sniffFlow(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14]), sage)).to.deep.equal({ format: 'xlsx' });
  });
});
