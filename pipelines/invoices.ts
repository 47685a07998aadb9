// Invoices — hourly. The ERP's invoices → a PDF in the customer's account (issue #10).
//   source:    drop/invoices/ or a file named per the ERP profile: a PDF (<facture>_<référence>.pdf, or named
//              in an index CSV), the index CSV itself (Fichier;Facture;Commande), or invoice data (CSV)
//   parse:     a PDF is checked with pdf-lib (unreadable, cut short or encrypted → quarantined); a CSV
//              is read in the profile's encoding
//   transform: file name or row → invoice, index entry or invoice line          transforms/invoices
//   combine:   invoice lines → one invoice each, totals checked
//   load:      the PDF (metadata set, or rendered from the data) published under a 128-bit random
//              token, a customer message with the link, optionally the order's state  src/invoices
//   resources: orders, order_states, order_histories (POST), customers, customer_threads (POST),
//              customer_messages (POST), configurations (read)
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { promises as fs } from 'node:fs';
import { ConfigError, FileFatalError, RecordRejected, RetriableError } from '../src/errors.ts';
import type { FileContext, FilePipeline, Keyed, LoadOutcome, Transformed } from '../src/pipeline.ts';
import type { FlowProfile, InvoicesFlowProfile } from '../src/erp/profile.ts';
import { readFlowBatches } from '../src/erp/read-flow.ts';
import { readHeader } from '../src/parse/delimited.ts';
import type { Row } from '../src/parse/row.ts';
import { publishInvoice } from '../src/invoices/publish-invoice.ts';
import { InvoiceStore, type IndexEntry } from '../src/invoices/store.ts';
import { fileNameMatcher, type InvoiceName } from '../transforms/invoices/file-name.ts';
import { toInvoice, toInvoiceDataLine, type InvoiceData, type InvoiceDataLine } from '../transforms/invoices/data.ts';

type InvoiceRow =
  | { kind: 'pdf'; line: number; bytes: Uint8Array }
  | { kind: 'index' | 'data'; line: number; row: Row };

type InvoiceLine =
  | { kind: 'pdf'; bytes: Uint8Array; name?: InvoiceName }
  | { kind: 'index'; entry: IndexEntry }
  | { kind: 'data'; line: InvoiceDataLine };

type InvoiceRecord =
  | { kind: 'pdf'; bytes: Uint8Array; name?: InvoiceName }
  | { kind: 'index'; entry: IndexEntry }
  | { kind: 'rendered'; invoice: InvoiceData };

export const invoices: FilePipeline<InvoiceRow, InvoiceLine, InvoiceRecord> = {
  kind: 'file',
  name: 'invoices',
  title: 'Factures de l’ERP',
  schedule: 'hourly',
  // POSTed resources are listed with the reads (the contract's `writes` means PATCH/PUT).
  resources: ['orders', 'order_states', 'order_histories', 'customers', 'customer_threads', 'customer_messages', 'configurations'],
  writes: [],
  dependsOn: ['orders'],

  parse: (path, ctx) => parseInvoices(path, ctx),

  transform(row, ctx): Transformed<InvoiceLine> {
    if (row.kind === 'pdf') {
      const name = fileNameMatcher(ctx.config.invoices.fileNamePattern)(ctx.file.name);
      return { line: 1, key: name?.invoice ?? ctx.file.name, record: { kind: 'pdf', bytes: row.bytes, ...(name ? { name } : {}) } };
    }
    if (row.kind === 'index') {
      const c = invoicesFlow(ctx).index!.columns;
      const v = (col: string) => (row.row.values[col] ?? '').trim();
      const entry = { file_name: v(c.file), invoice: v(c.invoice), order_reference: v(c.orderReference) };
      const key = entry.invoice || entry.file_name || undefined;
      if (row.row.error) return { line: row.line, ...(key ? { key } : {}), reject: row.row.error };
      const empty = ([['file_name', c.file], ['invoice', c.invoice], ['order_reference', c.orderReference]] as const).find(([k]) => entry[k] === '');
      if (empty) return { line: row.line, ...(key ? { key } : {}), reject: `colonne ${empty[1]} vide` };
      return { line: row.line, key: entry.invoice, record: { kind: 'index', entry } };
    }
    const t = toInvoiceDataLine(row.row, invoicesFlow(ctx));
    if (!t.ok) return { line: row.line, ...(t.key ? { key: t.key } : {}), reject: t.reason };
    return { line: row.line, key: t.value.invoice, record: { kind: 'data', line: t.value } };
  },

  async *combine(lines, ctx) {
    const byInvoice = new Map<string, InvoiceDataLine[]>();
    for await (const batch of lines) for (const l of batch) {
      const r = l.record;
      if (r.kind !== 'data') {
        yield { line: l.line, key: l.key, record: r };
        continue;
      }
      const group = byInvoice.get(r.line.invoice);
      if (group) group.push(r.line);
      else byInvoice.set(r.line.invoice, [r.line]);
    }
    for (const [invoice, group] of byInvoice) {
      const t = toInvoice(group);
      if (t.ok) yield { line: t.value.line, key: invoice, record: { kind: 'rendered', invoice: t.value } };
      else yield { line: group[0]!.line, key: invoice, reject: t.reason };
    }
    if (byInvoice.size > 0) ctx.log.debug('invoice data grouped', { invoices: byInvoice.size });
  },

  load: (rec, ctx) => loadInvoice(rec, ctx),
};

function invoicesFlow(ctx: FileContext): InvoicesFlowProfile {
  const flow = ctx.profile.flows.invoices;
  if (flow === undefined) throw new ConfigError([`erp.flows.invoices : le profil ${ctx.profile.name} ne décrit pas les factures de l'ERP`]);
  return flow;
}

async function* parseInvoices(path: string, ctx: FileContext): AsyncGenerator<InvoiceRow | InvoiceRow[]> {
  const head = Buffer.alloc(1024);
  const fh = await open(path, 'r');
  const { bytesRead } = await fh.read(head, 0, head.length, 0).finally(() => fh.close());
  if (head.subarray(0, bytesRead).includes('%PDF-') || /\.pdf$/i.test(ctx.file.name)) {
    const bytes = await fs.readFile(path);
    // pdf-lib is loaded by the invoices that need it, not by every start of the CLI (issue #6)
    const { checkPdf } = await import('../transforms/invoices/pdf.ts');
    const check = await checkPdf(bytes);
    // Nothing a customer could open is published: the file goes to quarantine with the reason.
    if (!check.ok) throw new FileFatalError(`${ctx.file.name} : ${check.reason}`);
    yield { kind: 'pdf', line: 1, bytes };
    return;
  }
  const flow = invoicesFlow(ctx);
  const header = await readHeader(path, { encoding: flow.encoding, delimiter: flow.delimiter, quote: flow.quote });
  const index = flow.index;
  const isIndex = index !== undefined && header.some((h) => h.normalize('NFC').toLowerCase() === index.columns.file.normalize('NFC').toLowerCase());
  // readFlowBatches reads any flow's layout from its columns: the index is the invoices flow with its own columns.
  const layout = isIndex ? ({ ...flow, columns: index.columns } as unknown as FlowProfile) : flow;
  const kind = isIndex ? 'index' : 'data';
  // one async step per batch of rows, as the stock flow reads (issue #6)
  for await (const rows of readFlowBatches(path, layout, ctx)) yield rows.map((row): InvoiceRow => ({ kind, line: row.line, row }));
}

async function loadInvoice({ record }: Keyed<InvoiceRecord>, ctx: FileContext): Promise<LoadOutcome> {
  if (record.kind === 'index') {
    const store = new InvoiceStore(ctx.state);
    if (ctx.dryRun) return store.indexEntry(record.entry.file_name) ? 'unchanged' : 'created';
    return store.saveIndexEntry(record.entry);
  }
  if (record.kind === 'rendered') {
    const inv = record.invoice;
    const { line: _line, ...content } = inv;
    const seller = ctx.config.invoices.seller;
    return publishInvoice(ctx, {
      invoice: inv.invoice,
      orderText: inv.orderText,
      version: createHash('sha256').update(JSON.stringify(content)).digest('hex'),
      pdf: async (meta, order, shopName) => (await import('../transforms/invoices/render.ts')).renderInvoicePdf(inv, { ...seller, name: seller.name ?? shopName }, meta, order.reference),
    });
  }
  const name = record.name ?? fromIndex(ctx);
  return publishInvoice(ctx, {
    invoice: name.invoice,
    orderText: name.reference,
    version: ctx.file.sha256,
    pdf: async (meta) => (await import('../transforms/invoices/pdf.ts')).withMetadata(record.bytes, meta),
  });
}

function fromIndex(ctx: FileContext): InvoiceName {
  const entry = new InvoiceStore(ctx.state).indexEntry(ctx.file.name);
  if (entry) return { invoice: entry.invoice, reference: entry.order_reference };
  if (ctx.dryRun) throw new RecordRejected(`${ctx.file.name} : nom hors modèle ${ctx.config.invoices.fileNamePattern} et absent de l’index des factures`);
  // The index may come after the PDFs: the file waits in drop/.work/ and is taken again at the next run.
  throw new RetriableError(`${ctx.file.name} : ni son nom (modèle ${ctx.config.invoices.fileNamePattern}) ni l’index des factures ne disent de quelle facture et de quelle commande il s’agit ; il attend l’index (Fichier;Facture;Commande) au prochain passage`);
}
