import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import type { DecodeWarning } from '../../src/parse/decode.ts';
import { readDelimited, readHeader, type DelimitedOptions } from '../../src/parse/delimited.ts';
import type { Row } from '../../src/parse/row.ts';
import { collect, fileFatal } from '../support/failure.ts';

const FIXTURES = new URL('../fixtures/erp/', import.meta.url).pathname;
const SAGE = ['AR_Ref', 'DE_No', 'AS_QteSto', 'AS_QteRes'];

const rows = (path: string, opts: DelimitedOptions = {}): Promise<Row[]> => collect(readDelimited(path, opts));

const fatal = fileFatal;

describe('readDelimited', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'prestasync-delimited-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: Buffer | string): string => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };

  it('reads the Sage cp1252 export: physical lines, trimmed values, accents, € and ’ intact', async () => {
    const out = await rows(join(FIXTURES, 'sage100_stock_cp1252.csv'), { requiredColumns: SAGE });
    expect(out.map((r) => r.line)).to.deep.equal([2, 3, 4, 5, 6, 7]);
    expect(out[3]?.values).to.deep.equal({
      AR_Ref: 'ÉTUI-CŒUR', DE_No: '1', AS_QteSto: '1 200,000000', AS_QteRes: '0,000000', AR_Design: 'Étui cœur l’été à 9,90 €',
    });
    expect(out.every((r) => r.error === undefined)).to.equal(true);
  });

  it('reads the EBP UTF-8-with-BOM export with quoted values containing the separator (delimiter auto)', async () => {
    const out = await rows(join(FIXTURES, 'ebp_articles_utf8bom.txt'), {
      encoding: 'utf-8-bom', delimiter: 'auto', requiredColumns: ['Code article', 'Stock réel'],
    });
    expect(out).to.have.length(3);
    expect(out[0]?.values['Code article']).to.equal('AR00139');
    expect(out[0]?.values['Libellé']).to.equal('LYCRA LONG CASTELLANI BLEU CLAIR, XS');
    expect(out[2]?.values).to.include({ 'Code article': 'GILET-ÉTÉ', 'Stock réel': '12,00000000', Libellé: 'Gilet d’été œillets' });
  });

  it("matches columns case-insensitively and keys them by the caller's spelling", async () => {
    const p = file('case.csv', ' ar_ref ; de_no ;AS_QTESTO;as_qteres\r\nX;1;2;3\r\n');
    const out = await rows(p, { requiredColumns: SAGE });
    expect(out[0]?.values).to.deep.equal({ AR_Ref: 'X', DE_No: '1', AS_QteSto: '2', AS_QteRes: '3' });
  });

  it('quarantines a file missing required columns, listing them and the columns found, in French', async () => {
    const p = file('missing.csv', 'AR_Ref;Quantite\r\nX;1\r\n');
    const err = await fatal(rows(p, { requiredColumns: SAGE }));
    expect(err.message).to.equal(
      'Colonnes obligatoires absentes : « DE_No », « AS_QteSto », « AS_QteRes ». Colonnes trouvées : « AR_Ref », « Quantite ».',
    );
  });

  it('hints at the separator when the whole header came out as one column', async () => {
    const err = await fatal(rows(join(FIXTURES, 'sage100_stock_cp1252.csv'), { delimiter: ',', requiredColumns: SAGE }));
    expect(err.message).to.contain('semble utiliser « ; »');
  });

  it('flags a row with the wrong number of fields and goes on with the next rows', async () => {
    const out = await rows(join(FIXTURES, 'sage100_stock_wrong_count_cp1252.csv'), { requiredColumns: SAGE });
    expect(out.map((r) => [r.line, r.error])).to.deep.equal([[2, undefined], [3, '5 champs au lieu de 4'], [4, undefined]]);
    expect(out[1]?.values.AR_Ref).to.equal('CHAIN45');
  });

  it('keeps physical line numbers across quoted fields spanning lines (multiline: true) and skipped empty lines', async () => {
    const p = file('multiline.csv', 'REF;LIB\r\nA;"deux\r\nlignes"\r\n\r\n;\r\nB;"trois\nlignes\nici"\r\nC;x\r\n');
    const out = await rows(p, { requiredColumns: ['REF'], multiline: true });
    expect(out.map((r) => [r.line, r.values.REF])).to.deep.equal([[2, 'A'], [6, 'B'], [9, 'C']]);
    // line ends inside a value come out as LF, like every line end of the file
    expect(out[0]?.values.LIB).to.equal('deux\nlignes');
  });

  it('uses the given column names when the file has no header line', async () => {
    const p = file('noheader.csv', 'X;1;5;0\nY;2;6;1\n');
    const out = await rows(p, { header: SAGE, requiredColumns: SAGE });
    expect(out.map((r) => [r.line, r.values.AR_Ref, r.values.AS_QteSto])).to.deep.equal([[1, 'X', '5'], [2, 'Y', '6']]);
  });

  it('propagates encoding errors as FileFatalError while iterating', async () => {
    const err = await fatal(rows(join(FIXTURES, 'sage100_stock_undefined_byte_cp1252.csv'), { requiredColumns: SAGE }));
    expect(err.message).to.contain('ligne 3, colonne 8');
    const bom = await fatal(rows(join(FIXTURES, 'sage100_stock_utf8bom_declared_cp1252.csv'), { requiredColumns: SAGE }));
    expect(bom.message).to.contain('marque UTF-8 (BOM)');
  });

  it('reports mojibake as a warning and still reads every row', async () => {
    const warnings: DecodeWarning[] = [];
    const out = await rows(join(FIXTURES, 'sage100_stock_mojibake_cp1252.csv'), { requiredColumns: SAGE, onWarning: (w) => warnings.push(w) });
    expect(out).to.have.length(3);
    expect(warnings.map((w) => w.message)).to.deep.equal(["ligne 3 : texte qui ressemble à de l'UTF-8 lu en windows-1252 (« BÃ©nÃ©vole »)"]);
  });

  it('quarantines an empty file and a header duplicated on a required column', async () => {
    expect((await fatal(rows(file('empty.csv', '\r\n\r\n'), { requiredColumns: SAGE }))).message).to.contain('Fichier vide');
    const dup = file('dup.csv', 'AR_Ref;ar_ref;DE_No;AS_QteSto;AS_QteRes\r\n');
    expect((await fatal(rows(dup, { requiredColumns: SAGE }))).message).to.contain('plusieurs fois');
  });

  it('reads a large cp1252 file in a stream, with exact line numbers, and can stop early', async () => {
    const n = 100_000;
    const parts = ['AR_Ref;DE_No;AS_QteSto;AS_QteRes'];
    for (let i = 0; i < n; i++) parts.push(`RÉF${i};${i % 3};${i},000;0,000`);
    const p = file('big.csv', iconv.encode(parts.join('\r\n') + '\r\n', 'windows-1252'));
    let count = 0;
    let last: Row | undefined;
    for await (const r of readDelimited(p, { requiredColumns: SAGE })) { count++; last = r; }
    expect(count).to.equal(n);
    expect(last?.line).to.equal(n + 1);
    expect(last?.values.AR_Ref).to.equal(`RÉF${n - 1}`);
    let seen = 0;
    for await (const _r of readDelimited(p, { requiredColumns: SAGE })) if (++seen === 10) break;
    expect(seen).to.equal(10);
  });

  it('readHeader returns the trimmed column names only', async () => {
    expect(await readHeader(join(FIXTURES, 'ebp_articles_utf8bom.txt'), { encoding: 'utf-8-bom', delimiter: ',' }))
      .to.include.members(['Code article', 'Stock réel']);
    expect(await readHeader(join(FIXTURES, 'sage100_stock_cp1252.csv'))).to.deep.equal([...SAGE, 'AR_Design']);
  });
});
