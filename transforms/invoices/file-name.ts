// What a dropped PDF's name says: invoices.fileNamePattern, default `{invoice}_{reference}.pdf`
// (FA00123_XKBKNABJK.pdf). {reference} is a shop order reference — nine letters (Order::generateReference,
// orders.reference is 9 characters) — or our document number (WEB000042): so an invoice number may itself
// hold `_` or `-`, and a scanner's « scan_0001.pdf » is not read as invoice « scan » of order « 0001 ». Pure.

export interface InvoiceName { invoice: string; reference: string }

export function fileNameMatcher(pattern: string): (name: string) => InvoiceName | undefined {
  let src = '';
  let rest = pattern;
  const groups: Array<'invoice' | 'reference'> = [];
  for (;;) {
    const m = /\{(invoice|reference)\}/.exec(rest);
    if (!m) break;
    src += escape(rest.slice(0, m.index));
    const which = m[1] as 'invoice' | 'reference';
    groups.push(which);
    src += which === 'reference' ? '([A-Za-z]{9}|[A-Za-z0-9]{0,6}\\d{6,10})' : '(.+)';
    rest = rest.slice(m.index + m[0].length);
  }
  src += escape(rest);
  const re = new RegExp(`^${src}$`, 'i');
  return (name) => {
    const m = re.exec(name.normalize('NFC'));
    if (!m) return undefined;
    const out: Record<string, string> = {};
    groups.forEach((g, i) => { out[g] = (m[i + 1] ?? '').trim(); });
    if (!out.invoice || !out.reference) return undefined;
    return { invoice: out.invoice, reference: out.reference.toUpperCase() };
  };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The name the customer downloads: the invoice number, with only characters every web server and
 *  browser keep as they are (FA/2026/001 → FA-2026-001.pdf). */
export function publishedFileName(invoice: string): string {
  const base = invoice.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return `${base || 'facture'}.pdf`;
}
