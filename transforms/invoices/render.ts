// An invoice rendered as a PDF with pdf-lib, when the ERP exports invoice data rather than PDFs: seller,
// customer, lines, VAT summary, totals — one A4 page for an ordinary invoice, continued on further pages
// when the lines do not fit, each numbered. Standard fonts only (nothing to embed, nothing to fetch);
// their WinAnsi encoding covers French (é è ç œ € ’ «»), other characters are written without accents
// or as « ? ». No I/O.
import iconv from 'iconv-lite';
import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import { frenchDate } from '../order-status/dates.ts';
import { euros, type InvoiceData } from './data.ts';
import { setMetadata, type InvoiceMetadata } from './pdf.ts';

export interface Seller { name: string; address: string[]; siret: string; vatNumber: string; footer: string[] }

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 40;
const LINE = 13;
const GREY = rgb(0.35, 0.35, 0.35);
const RULE = rgb(0.75, 0.75, 0.75);
/** Columns of the lines table: x of the left edge, width, alignment. */
const COLS = {
  reference: { x: 40, w: 68, right: false },
  designation: { x: 110, w: 188, right: false },
  quantity: { x: 300, w: 40, right: true },
  unitPrice: { x: 342, w: 64, right: true },
  discount: { x: 408, w: 40, right: true },
  vat: { x: 450, w: 36, right: true },
  total: { x: 488, w: 67, right: true },
} as const;
/** Room the VAT summary, totals and footer need below the last line. */
const SUMMARY_HEIGHT = 170;

export async function renderInvoicePdf(inv: InvoiceData, seller: Seller, meta: InvoiceMetadata, orderLabel: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  setMetadata(doc, meta);
  doc.setCreator('prestasync');
  doc.setCreationDate(new Date(`${inv.date}T12:00:00Z`));
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const w = new Writer(regular, bold);

  let page = doc.addPage(A4);
  let y = header(page, w, inv, seller, orderLabel);
  y = tableHeader(page, w, y);
  const rows = [...inv.items];
  if (inv.shipping) rows.push({ reference: '', designation: 'Frais de port', amounts: { quantity: 1, unitPrice: inv.shipping.cents / 100, discountPercent: 0, vatRate: inv.shipping.vatRate, totalCents: inv.shipping.cents } });
  for (const [i, item] of rows.entries()) {
    const text = w.wrap(item.designation, COLS.designation.w, 9);
    const height = Math.max(1, text.length) * LINE;
    const last = i === rows.length - 1;
    if (y - height < MARGIN + 30 + (last ? SUMMARY_HEIGHT : 0)) {
      page = doc.addPage(A4);
      w.text(page, `Facture ${inv.invoice} (suite)`, MARGIN, A4[1] - MARGIN - 10, 11, true);
      y = tableHeader(page, w, A4[1] - MARGIN - 40);
    }
    w.cell(page, item.reference, COLS.reference, y, 8);
    text.forEach((t, k) => w.text(page, t, COLS.designation.x, y - k * LINE, 9));
    const a = item.amounts;
    if (a) {
      w.cell(page, number(a.quantity), COLS.quantity, y, 9);
      w.cell(page, euros(Math.round(a.unitPrice * 100)), COLS.unitPrice, y, 9);
      w.cell(page, a.discountPercent ? `${number(a.discountPercent)} %` : '', COLS.discount, y, 9);
      w.cell(page, `${number(a.vatRate)} %`, COLS.vat, y, 9);
      w.cell(page, euros(a.totalCents), COLS.total, y, 9);
    }
    y -= height + 3;
  }
  if (y < MARGIN + 30 + SUMMARY_HEIGHT) {
    page = doc.addPage(A4);
    y = A4[1] - MARGIN - 20;
  }
  summary(page, w, inv, y - 10);
  const pages = doc.getPages();
  pages.forEach((p, i) => footer(p, w, seller, i + 1, pages.length));
  return doc.save();
}

function header(page: PDFPage, w: Writer, inv: InvoiceData, seller: Seller, orderLabel: string): number {
  const top = A4[1] - MARGIN;
  let y = top - 12;
  w.text(page, seller.name, MARGIN, y, 14, true);
  y -= 16;
  for (const l of [...seller.address, seller.siret && `SIRET ${seller.siret}`, seller.vatNumber && `N° TVA ${seller.vatNumber}`]) {
    if (!l) continue;
    w.text(page, l, MARGIN, y, 9, false, GREY);
    y -= 11;
  }
  w.right(page, 'FACTURE', A4[0] - MARGIN, top - 14, 20, true);
  w.right(page, `N° ${inv.invoice}`, A4[0] - MARGIN, top - 34, 11, true);
  w.right(page, `Date : ${frenchDate(inv.date)}`, A4[0] - MARGIN, top - 48, 10);
  w.right(page, `Commande : ${orderLabel}`, A4[0] - MARGIN, top - 62, 10);

  let cy = Math.min(y, top - 90) - 14;
  const cx = 320;
  w.text(page, 'Facturé à', cx, cy, 8, false, GREY);
  cy -= 13;
  const c = inv.customer;
  for (const l of [c.name, c.address, [c.postcode, c.city].filter(Boolean).join(' '), c.country]) {
    if (!l) continue;
    for (const part of w.wrap(l, A4[0] - MARGIN - cx, 10)) {
      w.text(page, part, cx, cy, 10, l === c.name);
      cy -= 13;
    }
  }
  return cy - 24;
}

function tableHeader(page: PDFPage, w: Writer, y: number): number {
  const labels: Array<[keyof typeof COLS, string]> = [
    ['reference', 'Réf.'], ['designation', 'Désignation'], ['quantity', 'Qté'], ['unitPrice', 'PU HT'],
    ['discount', 'Remise'], ['vat', 'TVA'], ['total', 'Montant HT'],
  ];
  for (const [k, label] of labels) w.cell(page, label, COLS[k], y, 8, true);
  page.drawLine({ start: { x: MARGIN, y: y - 4 }, end: { x: A4[0] - MARGIN, y: y - 4 }, thickness: 0.7, color: RULE });
  return y - 18;
}

function summary(page: PDFPage, w: Writer, inv: InvoiceData, top: number): void {
  page.drawLine({ start: { x: MARGIN, y: top + 6 }, end: { x: A4[0] - MARGIN, y: top + 6 }, thickness: 0.7, color: RULE });
  let y = top - 8;
  w.text(page, 'Taux de TVA', MARGIN, y, 8, true);
  w.right(page, 'Base HT', MARGIN + 150, y, 8, true);
  w.right(page, 'TVA', MARGIN + 230, y, 8, true);
  for (const v of inv.vat) {
    y -= LINE;
    w.text(page, `${number(v.rate)} %`, MARGIN, y, 9);
    w.right(page, euros(v.baseCents), MARGIN + 150, y, 9);
    w.right(page, euros(v.vatCents), MARGIN + 230, y, 9);
  }
  const x = A4[0] - MARGIN;
  let ty = top - 8;
  for (const [label, cents, strong] of [['Total HT', inv.totalExclCents, false], ['Total TVA', inv.totalVatCents, false], ['Total TTC', inv.totalInclCents, true]] as const) {
    w.text(page, label, x - 190, ty, strong ? 11 : 10, strong);
    w.right(page, euros(cents), x, ty, strong ? 11 : 10, strong);
    ty -= strong ? 16 : LINE + 1;
  }
}

function footer(page: PDFPage, w: Writer, seller: Seller, n: number, of: number): void {
  let y = MARGIN + (seller.footer.length - 1) * 10;
  for (const l of seller.footer) {
    w.text(page, l, MARGIN, y, 7, false, GREY);
    y -= 10;
  }
  w.right(page, `Page ${n} / ${of}`, A4[0] - MARGIN, MARGIN - 14, 7, false, GREY);
}

function number(n: number): string {
  return n.toLocaleString('fr-FR', { maximumFractionDigits: 3 }).replace(/\u202f/g, '\u00a0');
}

/** Text drawing with the two standard fonts, characters they cannot encode replaced. */
class Writer {
  private readonly encodable = new Map<string, boolean>();

  constructor(private readonly regular: PDFFont, private readonly bold: PDFFont) {}

  text(page: PDFPage, s: string, x: number, y: number, size: number, strong = false, color = rgb(0, 0, 0)): void {
    const t = this.clean(s);
    if (t !== '') page.drawText(t, { x, y, size, font: strong ? this.bold : this.regular, color });
  }

  right(page: PDFPage, s: string, xRight: number, y: number, size: number, strong = false, color = rgb(0, 0, 0)): void {
    const t = this.clean(s);
    const font = strong ? this.bold : this.regular;
    this.text(page, t, xRight - font.widthOfTextAtSize(t, size), y, size, strong, color);
  }

  /** A table cell: truncated to its width (with « … »), left or right aligned. */
  cell(page: PDFPage, s: string, col: { x: number; w: number; right: boolean }, y: number, size: number, strong = false): void {
    const font = strong ? this.bold : this.regular;
    let t = this.clean(s);
    while (t.length > 1 && font.widthOfTextAtSize(t, size) > col.w) t = `${t.slice(0, -2)}…`;
    if (col.right) this.right(page, t, col.x + col.w, y, size, strong);
    else this.text(page, t, col.x, y, size, strong);
  }

  /** Words wrapped to a width (a word longer than the width is cut). */
  wrap(s: string, width: number, size: number): string[] {
    const words = this.clean(s).split(/\s+/).filter(Boolean);
    const lines: string[] = [];
    let current = '';
    for (const word of words) {
      const next = current ? `${current} ${word}` : word;
      if (this.regular.widthOfTextAtSize(next, size) <= width) current = next;
      else {
        if (current) lines.push(current);
        let rest = word;
        while (this.regular.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
          let cut = rest.length - 1;
          while (cut > 1 && this.regular.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
          lines.push(rest.slice(0, cut));
          rest = rest.slice(cut);
        }
        current = rest;
      }
    }
    if (current) lines.push(current);
    return lines;
  }

  private clean(s: string): string {
    let out = '';
    for (const ch of s.replace(/[\r\n\t]+/g, ' ')) {
      if (this.ok(ch)) out += ch;
      else {
        const bare = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
        out += bare !== '' && [...bare].every((b) => this.ok(b)) ? bare : '?';
      }
    }
    return out;
  }

  private ok(ch: string): boolean {
    let known = this.encodable.get(ch);
    if (known === undefined) {
      const code = ch.codePointAt(0) ?? 0;
      known = code >= 0x20 && iconv.decode(iconv.encode(ch, 'windows-1252'), 'windows-1252') === ch;
      if (known) {
        try {
          this.regular.encodeText(ch);
        } catch {
          known = false;
        }
      }
      this.encodable.set(ch, known);
    }
    return known;
  }
}
