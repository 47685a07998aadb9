// Test-side reader of the Divalto "Import de pièces par tableur" workbook, with exceljs (EBP_DIVALTO.md §2.1).
import ExcelJS from 'exceljs';

export interface DivaltoSheet {
  sheetCount: number;
  title: string;
  headers: string[];
  rows: Record<string, ExcelJS.CellValue>[];
  cellTypes: Record<string, ExcelJS.ValueType>[];
}

export async function parseDivalto(bytes: Buffer): Promise<DivaltoSheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('no sheet');
  const headers: string[] = [];
  sheet.getRow(3).eachCell((cell, col) => { headers[col - 1] = String(cell.value); });
  const rows: Record<string, ExcelJS.CellValue>[] = [];
  const cellTypes: Record<string, ExcelJS.ValueType>[] = [];
  for (let r = 4; r <= sheet.rowCount; r += 1) {
    const row = sheet.getRow(r);
    const values: Record<string, ExcelJS.CellValue> = {};
    const types: Record<string, ExcelJS.ValueType> = {};
    headers.forEach((h, i) => { const c = row.getCell(i + 1); values[h] = c.value; types[h] = c.type; });
    rows.push(values);
    cellTypes.push(types);
  }
  return { sheetCount: workbook.worksheets.length, title: String(sheet.getCell(1, 3).value ?? ''), headers, rows, cellTypes };
}
