import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Row } from '../../src/parse/row.ts';
import { cellText, readXlsx, type XlsxOptions } from '../../src/parse/xlsx.ts';
import { collect, fileFatal } from '../support/failure.ts';

const COLUMNS = ['REFERENCE', 'DEPOT', 'QTETJSENSTOCK', 'QTERESERVE'];

const rows = (path: string, opts: XlsxOptions): Promise<Row[]> => collect(readXlsx(path, opts));

const fatal = fileFatal;

describe('readXlsx', () => {
  let dir: string;
  let divalto: string;
  let simple: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'prestasync-xlsx-'));
    // Divalto "Import - Export Tables" layout (EBP_DIVALTO.md §2.4): title in A1, « Données » in A4, keywords on row 6
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('NOTICE').getCell('A1').value = 'Légende';
    const ws = wb.addWorksheet('Stock');
    ws.getCell('A1').value = 'Stock - Stock par dépôt ( MVTL_STOCK_V )';
    ws.getCell('A4').value = 'Données';
    ws.getRow(6).values = ['DOSSIER', ...COLUMNS, 'ARTICLE_DESIGNATION', 'Anomalies'];
    ws.getRow(7).values = [1, 'CHAISE-001', 'PRINC', 10, 2.5, 'Chaise été', null];
    ws.getRow(8).values = [1, { richText: [{ text: 'TABLE-' }, { font: { bold: true }, text: 'ÉCO' }] }, 'MAG2', { formula: 'B1*0+7', result: 7 }, 0.1 + 0.2, 'Table', null];
    ws.getRow(9).values = [1, 'LAMPE', 'PRINC', { error: '#N/A' }, 0, 'Lampe', null];
    ws.getRow(10).values = [1, 'VASE', 'PRINC', 3, 0, 'Vase', null, 'hors colonnes'];
    ws.getRow(11).values = [1, 'DATEE', 'PRINC', new Date(Date.UTC(2025, 2, 15)), 0, 'x', null];
    divalto = join(dir, 'divalto.xlsx');
    await wb.xlsx.writeFile(divalto);

    const wb2 = new ExcelJS.Workbook();
    const s = wb2.addWorksheet('Feuil1');
    s.addRow(['AR_Ref', 'DE_No', 'AS_QteSto', 'AS_QteRes']);
    s.addRow(['BAAR01', '1', 12, 2]);
    s.addRow([]);
    s.addRow(['ÉTUI-CŒUR', '2', 1200, 0]);
    simple = join(dir, 'simple.xlsx');
    await wb2.xlsx.writeFile(simple);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the first sheet with its header on row 1; lines are the row numbers', async () => {
    const out = await rows(simple, { headerRow: 1, requiredColumns: ['ar_ref', 'AS_QteSto'] });
    expect(out).to.deep.equal([
      { line: 2, values: { ar_ref: 'BAAR01', DE_No: '1', AS_QteSto: '12', AS_QteRes: '2' } },
      { line: 4, values: { ar_ref: 'ÉTUI-CŒUR', DE_No: '2', AS_QteSto: '1200', AS_QteRes: '0' } },
    ]);
  });

  it('finds the header row of a Divalto workbook (auto), by sheet name, and converts cells to text', async () => {
    const out = await rows(divalto, { sheet: 'stock', headerRow: 'auto', requiredColumns: COLUMNS });
    expect(out.map((r) => r.line)).to.deep.equal([7, 8, 9, 10, 11]);
    expect(out[0]?.values).to.deep.include({ REFERENCE: 'CHAISE-001', QTETJSENSTOCK: '10', QTERESERVE: '2.5', ARTICLE_DESIGNATION: 'Chaise été' });
    // rich text flattened, formula by its cached result, float noise removed
    expect(out[1]?.values).to.deep.include({ REFERENCE: 'TABLE-ÉCO', QTETJSENSTOCK: '7', QTERESERVE: '0.3' });
    expect(out[1]?.error).to.equal(undefined);
    expect(out[2]?.error).to.equal('cellule en erreur #N/A (colonne « QTETJSENSTOCK »)');
    expect(out[3]?.error).to.equal("valeur hors des colonnes de l'en-tête (colonne H)");
    expect(out[4]?.values.QTETJSENSTOCK).to.equal('2025-03-15');
  });

  it('takes a fixed header row and a sheet number', async () => {
    const out = await rows(divalto, { sheet: 2, headerRow: 6, requiredColumns: COLUMNS });
    expect(out).to.have.length(5);
  });

  it('quarantines a workbook missing required columns, a missing sheet, and a header not found', async () => {
    expect((await fatal(rows(simple, { headerRow: 1, requiredColumns: ['REFERENCE'] }))).message)
      .to.contain('Colonne obligatoire absente : « REFERENCE ». Colonnes trouvées : « AR_Ref »');
    expect((await fatal(rows(divalto, { sheet: 'Articles', headerRow: 1 }))).message)
      .to.equal('Feuille « Articles » introuvable dans le classeur (feuilles : NOTICE, Stock).');
    expect((await fatal(rows(divalto, { sheet: 'Stock', headerRow: 'auto', requiredColumns: ['AR_Ref'] }))).message)
      .to.contain('Aucune ligne d\'en-tête contenant « AR_Ref »');
  });

  it('quarantines a file that is not a workbook as « classeur illisible »', async () => {
    const notZip = join(dir, 'stock.xlsx');
    writeFileSync(notZip, 'AR_Ref;DE_No\r\nX;1\r\n');
    expect((await fatal(rows(notZip, { headerRow: 1 }))).message).to.match(/^Classeur illisible/);
    const truncated = join(dir, 'truncated.xlsx');
    const { readFileSync } = await import('node:fs');
    writeFileSync(truncated, readFileSync(simple).subarray(0, 600));
    expect((await fatal(rows(truncated, { headerRow: 1 }))).message).to.match(/^Classeur illisible/);
  });

  it('keeps the reason readable when the header has thousands of columns (first names, then « … et N autres »)', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('Feuil1');
    sheet.addRow(Array.from({ length: 5000 }, (_, i) => `COLONNE_${i}`));
    sheet.addRow(['X']);
    const wide = join(dir, 'wide.xlsx');
    await wb.xlsx.writeFile(wide);
    const err = await fatal(rows(wide, { headerRow: 1, requiredColumns: ['AR_Ref'] }));
    expect(err.message).to.match(/^Colonne obligatoire absente : « AR_Ref »\. Colonnes trouvées : « COLONNE_0 », « COLONNE_1 »,/);
    expect(err.message).to.match(/… et 4 9\d\d autres\.$/);
    expect(err.message.length).to.be.below(400);
    const auto = await fatal(rows(wide, { headerRow: 'auto', requiredColumns: ['AR_Ref'] }));
    expect(auto.message.length).to.be.below(400);
  });

  it('cellText: booleans, hyperlinks, empty formula results', () => {
    expect(cellText(true)).to.deep.equal({ text: 'true' });
    expect(cellText({ text: 'site', hyperlink: 'https://example.invalid' })).to.deep.equal({ text: 'site' });
    expect(cellText({ formula: 'A1', result: undefined } as unknown as ExcelJS.CellValue)).to.deep.equal({ text: '' });
    expect(cellText(new Date(Date.UTC(2025, 0, 2, 13, 5, 0)))).to.deep.equal({ text: '2025-01-02 13:05:00' });
  });
});
