// The invoices transforms: file names, the PDF check and metadata, invoice data in the ERPs' real
// encodings, and the PDF rendered from it, read back with pdf-lib.
import { expect } from 'chai';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { loadProfile, type InvoicesFlowProfile } from '../../../src/erp/profile.ts';
import { readFlowRows } from '../../../src/erp/read-flow.ts';
import { fileNameMatcher, publishedFileName } from '../../../transforms/invoices/file-name.ts';
import { checkPdf, withMetadata } from '../../../transforms/invoices/pdf.ts';
import { euros, toInvoice, toInvoiceDataLine, type InvoiceData, type InvoiceDataLine } from '../../../transforms/invoices/data.ts';
import { renderInvoicePdf, type Seller } from '../../../transforms/invoices/render.ts';

const FIXTURES = new URL('../../fixtures/erp/', import.meta.url).pathname;
const META = { title: 'Facture FA00123', subject: 'Commande XKBKNABJK', author: 'Quincaillerie Martin', keywords: ['FA00123', 'XKBKNABJK'] };
const SELLER: Seller = { name: 'Quincaillerie Martin SARL', address: ['3 avenue Jean Jaurès', '69007 Lyon'], siret: '12345678900012', vatNumber: 'FR12123456789', footer: ['Paiement à réception.'] };

async function onePagePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage().drawText('FACTURE', { x: 50, y: 700, font: await doc.embedFont(StandardFonts.Helvetica) });
  return doc.save();
}

async function dataLines(file: string, flow: InvoicesFlowProfile): Promise<{ lines: InvoiceDataLine[]; rejects: string[] }> {
  const lines: InvoiceDataLine[] = [];
  const rejects: string[] = [];
  for await (const r of readFlowRows(FIXTURES + file, flow)) {
    const t = toInvoiceDataLine(r, flow);
    if (t.ok) lines.push(t.value);
    else rejects.push(`${r.line}: ${t.reason}`);
  }
  return { lines, rejects };
}

function invoices(lines: InvoiceDataLine[]): Map<string, ReturnType<typeof toInvoice>> {
  const by = new Map<string, InvoiceDataLine[]>();
  for (const l of lines) by.set(l.invoice, [...(by.get(l.invoice) ?? []), l]);
  return new Map([...by].map(([k, v]) => [k, toInvoice(v)]));
}

describe('invoices: file names', () => {
  const match = fileNameMatcher('{invoice}_{reference}.pdf');

  it('reads <invoice>_<reference>.pdf, the invoice number free to hold _ and -', () => {
    expect(match('FA00123_XKBKNABJK.pdf')).to.deep.equal({ invoice: 'FA00123', reference: 'XKBKNABJK' });
    expect(match('FA_2026-001_xkbknabjk.PDF')).to.deep.equal({ invoice: 'FA_2026-001', reference: 'XKBKNABJK' });
    expect(match('FA00123_WEB000042.pdf')).to.deep.equal({ invoice: 'FA00123', reference: 'WEB000042' });
    expect(match('scan_0001.pdf'), 'a scanner name is not an invoice of order « 0001 »').to.equal(undefined);
    expect(match('FA00123.pdf')).to.equal(undefined);
  });

  it('follows another pattern, and names the published file safely', () => {
    expect(fileNameMatcher('Facture {invoice} - commande {reference}.pdf')('Facture FA 12 - commande UUBOXOBGX.pdf')).to.deep.equal({ invoice: 'FA 12', reference: 'UUBOXOBGX' });
    expect(publishedFileName('FA/2026/001')).to.equal('FA-2026-001.pdf');
    expect(publishedFileName('Facture n°12 é')).to.equal('Facture-n-12-e.pdf');
    expect(publishedFileName('../..')).to.equal('facture.pdf');
  });
});

describe('invoices: the PDF check', () => {
  it('accepts a readable PDF and sets title, subject and author', async () => {
    const bytes = await onePagePdf();
    expect(await checkPdf(bytes)).to.deep.equal({ ok: true, pages: 1 });
    const out = await PDFDocument.load(await withMetadata(bytes, META));
    expect([out.getTitle(), out.getSubject(), out.getAuthor(), out.getKeywords()]).to.deep.equal(['Facture FA00123', 'Commande XKBKNABJK', 'Quincaillerie Martin', 'FA00123 XKBKNABJK']);
  });

  it('refuses what a customer could not open: not a PDF, cut short, damaged, encrypted', async () => {
    const good = Buffer.from(await onePagePdf());
    expect(await checkPdf(Buffer.from('Bonjour'))).to.deep.include({ ok: false, reason: 'ce n’est pas un PDF (en-tête %PDF- absent)' });
    expect(await checkPdf(good.subarray(0, good.length - 200))).to.have.property('reason').that.match(/^PDF incomplet/);
    expect(await checkPdf(Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'))).to.have.property('reason').that.match(/^PDF illisible/);
    const plain = Buffer.from(await (await PDFDocument.create().then(async (d) => { d.addPage(); return d; })).save({ useObjectStreams: false })).toString('latin1');
    const encrypted = Buffer.from(plain.replace(/trailer\n<<\n?/, (m) => `${m}/Encrypt << /Filter /Standard /V 1 /R 2 /O (x) /U (y) /P -4 >>\n`), 'latin1');
    expect(await checkPdf(encrypted)).to.have.property('reason').that.match(/^PDF chiffré/);
  });
});

describe('invoices: invoice data exports', () => {
  it('reads a Sage export (cp1252, decimal comma): lines, VAT summary by rate, shipping as a line', async () => {
    const flow = loadProfile('sage100').flows.invoices!;
    const { lines, rejects } = await dataLines('sage100/factures_doclignes_cp1252.csv', flow);
    expect(rejects).to.deep.equal(['6: date inexistante : « 31/11/2026 » (colonne DO_Date)']);
    const inv = invoices(lines).get('FA00123')!;
    expect(inv.ok).to.equal(true);
    const v = (inv as { value: InvoiceData }).value;
    expect(v.customer).to.deep.equal({ name: 'Hélène Dupré', address: '12 rue de la Forêt', postcode: '69003', city: 'Lyon', country: '' });
    expect(v.items[1]).to.deep.equal({ reference: 'CHEVILLE-6', designation: 'Cheville nylon Ø6 « pro »', amounts: { quantity: 2, unitPrice: 4.9, discountPercent: 0, vatRate: 20, totalCents: 980 } });
    expect(v.items[0]!.amounts, 'the net amount shows the discount it implies').to.deep.include({ totalCents: 2228, discountPercent: 9.98 });
    expect(v.vat).to.deep.equal([{ rate: 5.5, baseCents: 1500, vatCents: 83 }, { rate: 20, baseCents: 3858, vatCents: 772 }]);
    expect([v.totalExclCents, v.totalVatCents, v.totalInclCents]).to.deep.equal([5358, 855, 6213]);
  });

  it('reads EBP\'s invoice export (UTF-8 BOM, 8 decimals): comment lines as text, header shipping, the ERP total checked', async () => {
    const flow = loadProfile('ebp').flows.invoices!;
    const { lines, rejects } = await dataLines('ebp/factures_export_utf8bom.csv', flow);
    expect(rejects).to.deep.equal([]);
    const all = invoices(lines);
    const fa210 = (all.get('FA00210') as { value: InvoiceData }).value;
    expect(fa210.orderText).to.equal('Document importé n° WEB000042');
    expect(fa210.items.map((i) => [i.designation, i.amounts?.totalCents])).to.deep.equal([
      ['Bague argent « Élégance »', 3320], ['Commande par téléphone', undefined], ['Chaîne maille forçat 45 cm', 3016],
    ]);
    expect(fa210.shipping).to.deep.equal({ cents: 1000, vatRate: 20 });
    expect([fa210.totalExclCents, fa210.totalVatCents, fa210.totalInclCents]).to.deep.equal([7336, 1467, 8803]);
    expect(all.get('FA00211')).to.deep.equal({ ok: false, reason: `facture FA00211 : total TTC de l’ERP ${euros(10000)} ≠ total recalculé ${euros(9600)} (remise de pied, escompte ?) : facture non publiée` });
  });

  it('refuses an invoice whose lines disagree on the order or the customer', () => {
    const base: InvoiceDataLine = { line: 2, invoice: 'FA1', date: '2026-11-28', orderText: 'XKBKNABJK', customer: { name: 'A', address: '', postcode: '', city: '', country: '' }, item: { reference: '', designation: 'x' } };
    expect(toInvoice([base, { ...base, line: 3, orderText: 'UUBOXOBGX' }])).to.deep.equal({ ok: false, reason: 'facture FA1 : la ligne 3 ne porte pas la même date, commande ou client que la ligne 2' });
  });
});

describe('invoices: the rendered PDF', () => {
  const item = { reference: 'VIS-4X40', designation: 'Vis à bois 4×40 tête fraisée (boîte de 200) — œuvre « pro »', amounts: { quantity: 3, unitPrice: 8.25, discountPercent: 10, vatRate: 20, totalCents: 2228 } };
  const invoice = (n: number): InvoiceData => ({
    line: 2, invoice: 'FA00123', date: '2026-11-28', orderText: 'XKBKNABJK', customer: { name: 'Hélène Dupré', address: '12 rue de la Forêt', postcode: '69003', city: 'Lyon', country: 'FR' },
    items: Array.from({ length: n }, () => item), vat: [{ rate: 20, baseCents: 2228 * n, vatCents: Math.round(2228 * n * 0.2) }],
    totalExclCents: 2228 * n, totalVatCents: Math.round(2228 * n * 0.2), totalInclCents: 2228 * n + Math.round(2228 * n * 0.2),
  });

  it('is one page with its metadata for an ordinary invoice', async () => {
    const pdf = await PDFDocument.load(await renderInvoicePdf(invoice(4), SELLER, META, 'XKBKNABJK'));
    expect(pdf.getPageCount()).to.equal(1);
    expect([pdf.getTitle(), pdf.getSubject(), pdf.getAuthor(), pdf.getCreator()]).to.deep.equal(['Facture FA00123', 'Commande XKBKNABJK', 'Quincaillerie Martin', 'prestasync']);
    expect(pdf.getCreationDate()?.toISOString()).to.equal('2026-11-28T12:00:00.000Z');
  });

  it('continues on further pages when the lines do not fit, and survives characters the fonts lack', async () => {
    const many = invoice(80);
    many.customer.name = 'Łukasz Wiśniewski 漢字';
    const pdf = await PDFDocument.load(await renderInvoicePdf(many, SELLER, META, 'XKBKNABJK'));
    expect(pdf.getPageCount()).to.be.greaterThan(1);
  });
});
