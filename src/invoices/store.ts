// What the invoices flow remembers, in its own tables of the state store (created on first use):
//   invoice_links    one per invoice: its order and the unguessable token of its public address, fixed
//                    before the first upload so that a crash never gives an invoice a second address;
//   invoice_versions one per published content (sha256): whether its customer message is posted;
//   invoice_index    PDF file name → invoice and order, from the ERP's index CSV.
import type { StateStore } from '../state/store.ts';

export interface InvoiceLink { invoice: string; id_order: number; token: string; file_name: string }
export interface IndexEntry { file_name: string; invoice: string; order_reference: string }

const ready = new WeakSet<StateStore>();

function ensure(state: StateStore): void {
  if (ready.has(state)) return;
  state.sql.exec(`
    CREATE TABLE IF NOT EXISTS invoice_links (invoice TEXT PRIMARY KEY, id_order INTEGER NOT NULL, token TEXT NOT NULL UNIQUE,
      file_name TEXT NOT NULL, created_at TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS invoice_versions (invoice TEXT NOT NULL, sha256 TEXT NOT NULL, message_id TEXT, published_at TEXT NOT NULL,
      PRIMARY KEY (invoice, sha256));
    CREATE TABLE IF NOT EXISTS invoice_index (file_name TEXT PRIMARY KEY, invoice TEXT NOT NULL, order_reference TEXT NOT NULL,
      updated_at TEXT NOT NULL);`);
  ready.add(state);
}

const now = (): string => new Date().toISOString();

export class InvoiceStore {
  constructor(private readonly state: StateStore) {
    ensure(state);
  }

  link(invoice: string): InvoiceLink | undefined {
    return this.state.sql.prepare<[string], InvoiceLink>('SELECT invoice, id_order, token, file_name FROM invoice_links WHERE invoice = ?').get(invoice);
  }

  saveLink(l: InvoiceLink): void {
    this.state.sql.prepare('INSERT INTO invoice_links (invoice, id_order, token, file_name, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (invoice) DO NOTHING')
      .run(l.invoice, l.id_order, l.token, l.file_name, now());
  }

  /** Published versions of the invoice whose message is in the shop. */
  messagedVersions(invoice: string): number {
    return this.state.sql.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM invoice_versions WHERE invoice = ? AND message_id IS NOT NULL').get(invoice)?.n ?? 0;
  }

  markPublished(invoice: string, sha256: string): void {
    this.state.sql.prepare('INSERT INTO invoice_versions (invoice, sha256, message_id, published_at) VALUES (?, ?, NULL, ?) ON CONFLICT DO NOTHING').run(invoice, sha256, now());
  }

  markMessaged(invoice: string, sha256: string, messageId: string): void {
    this.state.sql.prepare('UPDATE invoice_versions SET message_id = ? WHERE invoice = ? AND sha256 = ?').run(messageId, invoice, sha256);
  }

  isMessaged(invoice: string, sha256: string): boolean {
    return this.state.sql.prepare<[string, string], { message_id: string | null }>('SELECT message_id FROM invoice_versions WHERE invoice = ? AND sha256 = ?').get(invoice, sha256)?.message_id != null;
  }

  indexEntry(fileName: string): IndexEntry | undefined {
    return this.state.sql.prepare<[string], IndexEntry>('SELECT file_name, invoice, order_reference FROM invoice_index WHERE file_name = ? COLLATE NOCASE').get(fileName);
  }

  /** 'created', 'updated' or 'unchanged', as the record loop counts it. */
  saveIndexEntry(e: IndexEntry): 'created' | 'updated' | 'unchanged' {
    const before = this.indexEntry(e.file_name);
    if (before && before.invoice === e.invoice && before.order_reference === e.order_reference) return 'unchanged';
    this.state.sql.prepare(`INSERT INTO invoice_index (file_name, invoice, order_reference, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (file_name) DO UPDATE SET invoice = excluded.invoice, order_reference = excluded.order_reference, updated_at = excluded.updated_at`)
      .run(e.file_name, e.invoice, e.order_reference, now());
    return before ? 'updated' : 'created';
  }
}
