// CSV that opens right in Excel on a French Windows: `;` separated, UTF-8 with a BOM, CRLF, and
// formula-safe — a cell an ERP or a customer filled with « =HYPERLINK(…) » must not run when opened
// (OWASP « CSV injection »): such cells are prefixed with an apostrophe.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function excelCsv(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): Buffer {
  const lines = [header, ...rows].map((r) => r.map(csvCell).join(';'));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}
