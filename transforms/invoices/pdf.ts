// A PDF from the ERP, checked before anything is published: a file that pdf-lib cannot read, that is cut
// short, or that is encrypted is not something a customer can open (issue #10: quarantined). Then its
// metadata (title, subject with the order reference, author = the shop) is set. No I/O.
import { PDFDocument } from 'pdf-lib';

export interface InvoiceMetadata { title: string; subject: string; author: string; keywords: string[] }

export type PdfCheck = { ok: true; pages: number } | { ok: false; reason: string };

const HEADER = Buffer.from('%PDF-');
const EOF_MARK = Buffer.from('%%EOF');

export async function checkPdf(bytes: Uint8Array): Promise<PdfCheck> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The header may follow a few bytes of junk (ISO 32000-1 §7.5.2 readers accept it within 1024 bytes).
  if (buf.subarray(0, 1024).indexOf(HEADER) === -1) return { ok: false, reason: 'ce n’est pas un PDF (en-tête %PDF- absent)' };
  if (buf.subarray(Math.max(0, buf.length - 2048)).indexOf(EOF_MARK) === -1) {
    return { ok: false, reason: 'PDF incomplet (marque de fin %%EOF absente) : fichier tronqué pendant la copie ?' };
  }
  try {
    const doc = await load(bytes);
    const pages = doc.getPageCount();
    if (pages < 1) return { ok: false, reason: 'PDF sans aucune page' };
    return { ok: true, pages };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/encrypted/i.test(message)) {
      return { ok: false, reason: 'PDF chiffré (protégé par mot de passe) : le client ne pourrait pas l’ouvrir ; imprimez-le sans protection' };
    }
    return { ok: false, reason: `PDF illisible : ${message.split('\n')[0]}` };
  }
}

/** The same document with our metadata; the caller has checked it first. */
export async function withMetadata(bytes: Uint8Array, meta: InvoiceMetadata): Promise<Uint8Array> {
  const doc = await load(bytes);
  setMetadata(doc, meta);
  return doc.save();
}

export function setMetadata(doc: PDFDocument, meta: InvoiceMetadata): void {
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setSubject(meta.subject);
  doc.setAuthor(meta.author);
  doc.setKeywords(meta.keywords);
  doc.setProducer('prestasync');
  doc.setModificationDate(new Date());
}

function load(bytes: Uint8Array): Promise<PDFDocument> {
  // throwOnInvalidObject: a damaged object is an error, not a console warning and a half document.
  return PDFDocument.load(bytes, { throwOnInvalidObject: true, updateMetadata: false });
}
