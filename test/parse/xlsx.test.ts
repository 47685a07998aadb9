import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { Row } from '../../src/parse/row.ts';
import { readXlsx, type XlsxOptions } from '../../src/parse/xlsx.ts';
import { isDateFormat } from '../../src/parse/xlsx/parts.ts';
import { cellText } from '../../src/parse/xlsx/sheet.ts';
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

  it('reads a workbook of another producer: prefixed elements, parts in any order and place, inline strings, no cell references, 1904 dates', async () => {
    const zip = new JSZip();
    const ns = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
    // the sheet first, the workbook last, shared strings after the sheet: the order that made exceljs lose parts
    zip.file('data/feuilles/stock.xml', `<?xml version="1.0" encoding="UTF-8"?><x:worksheet ${ns}><x:sheetData>` +
      '<x:row><x:c t="inlineStr"><x:is><x:t>AR_Ref</x:t></x:is></x:c><x:c t="s"><x:v>0</x:v></x:c><x:c t="inlineStr"><x:is><x:t>Date</x:t></x:is></x:c></x:row>' +
      '<x:row><x:c t="s"><x:v>1</x:v></x:c><x:c><x:v>12</x:v></x:c><x:c s="1"><x:v>44269</x:v></x:c></x:row>' +
      '<x:row r="5"><x:c r="A5" t="inlineStr"><x:is><x:r><x:t>É</x:t></x:r><x:r><x:t xml:space="preserve">TUI </x:t></x:r><x:rPh><x:t>えと</x:t></x:rPh></x:is></x:c><x:c r="C5" t="b"><x:v>1</x:v></x:c></x:row>' +
      '</x:sheetData></x:worksheet>');
    zip.file('data/strings.xml', `<x:sst ${ns}><x:si><x:t>AS_QteSto</x:t></x:si><x:si><x:r><x:t>BAAR</x:t></x:r><x:r><x:t>01</x:t></x:r></x:si></x:sst>`);
    zip.file('data/styles.xml', `<x:styleSheet ${ns}><x:numFmts><x:numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></x:numFmts>` +
      '<x:cellStyleXfs><x:xf numFmtId="164"/></x:cellStyleXfs><x:cellXfs><x:xf numFmtId="0"/><x:xf numFmtId="164"/></x:cellXfs></x:styleSheet>');
    zip.file('data/_rels/classeur.xml.rels', '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="a" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="feuilles/stock.xml"/>' +
      '<Relationship Id="b" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="/data/strings.xml"/>' +
      '<Relationship Id="c" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>');
    zip.file('_rels/.rels', '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="data/classeur.xml"/></Relationships>');
    zip.file('data/classeur.xml', `<x:workbook ${ns}><x:workbookPr date1904="1"/><x:sheets><x:sheet name="Stock" sheetId="3" r:id="a"/></x:sheets></x:workbook>`);
    const other = join(dir, 'other.xlsx');
    writeFileSync(other, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    expect(await rows(other, { sheet: 3, headerRow: 1, requiredColumns: ['AR_Ref'] })).to.deep.equal([
      { line: 2, values: { AR_Ref: 'BAAR01', AS_QteSto: '12', Date: '2025-03-15' } },
      { line: 5, values: { AR_Ref: 'ÉTUI', Date: 'true' } },
    ]);
  });

  it('cellText: shared and inline strings, booleans, errors, date styles in both date systems, numbers', () => {
    const book = { sharedStrings: ['Chaise', ''], dateStyles: [false, true], date1904: false };
    expect(cellText('s', '0', 0, book, 'A1')).to.deep.equal({ text: 'Chaise' });
    expect(() => cellText('s', '7', 0, book, 'B7')).to.throw(/cellule B7 renvoie au texte partagé n° 7/);
    expect(cellText('inlineStr', 'x', 0, book, 'A1')).to.deep.equal({ text: 'x' });
    expect(cellText('str', '', 0, book, 'A1')).to.deep.equal({ text: '' }); // a formula without cached result
    expect(cellText('b', '1', 0, book, 'A1')).to.deep.equal({ text: 'true' });
    expect(cellText('b', '0', 0, book, 'A1')).to.deep.equal({ text: 'false' });
    expect(cellText('e', '#DIV/0!', 0, book, 'A1')).to.deep.equal({ text: '', error: '#DIV/0!' });
    expect(cellText('n', '45731', 1, book, 'A1')).to.deep.equal({ text: '2025-03-15' });
    expect(cellText('n', '45731.5', 1, book, 'A1')).to.deep.equal({ text: '2025-03-15 12:00:00' });
    expect(cellText('n', '44269', 1, { ...book, date1904: true }, 'A1')).to.deep.equal({ text: '2025-03-15' });
    expect(cellText('n', '45731', 0, book, 'A1')).to.deep.equal({ text: '45731' });
    expect(cellText('n', '1.5E+3', 0, book, 'A1')).to.deep.equal({ text: '1500' });
    expect(cellText('d', '2025-01-02T13:05:00Z', 0, book, 'A1')).to.deep.equal({ text: '2025-01-02 13:05:00' });
  });

  it('isDateFormat: dates and times, not numbers, currencies or quoted letters', () => {
    for (const code of ['dd/mm/yyyy', 'd-mmm-yy', 'h:mm:ss', '[h]:mm', '[$-40C]dddd d mmmm yyyy', 'yyyy-mm-dd hh:mm']) expect(isDateFormat(code), code).to.equal(true);
    for (const code of ['General', '0.00', '#,##0.00 [$€-40C]', '0" ans"', '[Red]0.00', '@', '0.00\\ "h"']) expect(isDateFormat(code), code).to.equal(false);
  });

  it('reads every sheet read to the end or stopped early without an error after it, a temp file, or a lost part (300 reads)', async () => {
    const uncaught: unknown[] = [];
    const listener = (err: unknown): void => { uncaught.push(err); };
    process.on('uncaughtException', listener);
    try {
      for (let i = 0; i < 100; i++) {
        expect(await rows(divalto, { sheet: 2, headerRow: 6, requiredColumns: COLUMNS })).to.have.length(5);
        expect((await fatal(rows(divalto, { sheet: 'Articles', headerRow: 1 }))).message).to.contain('introuvable');
        expect((await fatal(rows(simple, { headerRow: 1, requiredColumns: ['REFERENCE'] }))).message).to.contain('absente');
      }
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('uncaughtException', listener);
    }
    expect(uncaught).to.deep.equal([]);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith(`tmp-${process.pid}-`))).to.deep.equal([]);
  });
});
