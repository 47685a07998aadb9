// How an ERP line points at a web order. Our orders export numbers each ERP document
// orders.documentPrefix + id_order on 6 digits (WEB000042, LESSONS A2: references are not unique), and
// EBP keeps that number as « Document importé n° WEB000042 » in its own reference (EBP_DIVALTO.md §1.2
// point 2). Failing that, the shop's order reference (DO_NoWeb in Sage) is the link. Pure.

const IMPORTED = /^document import[ée] n[°o]\s*/i;

/** The id_order inside our document number, wherever it sits in the text; undefined without one. An
 *  empty prefix is never searched for: any six digits would match. */
export function idFromDocumentNumber(text: string, prefix: string): number | undefined {
  if (prefix === '') return undefined;
  const re = new RegExp(`(?:^|[^A-Z0-9])${prefix}(\\d{6,10})(?![0-9])`, 'i');
  const m = re.exec(text.trim());
  if (!m) return undefined;
  const id = Number(m[1]);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/** The shop order reference an ERP field holds: EBP's « Document importé n° » removed, upper-cased
 *  (PrestaShop references are nine upper-case letters and its filters ignore case). */
export function orderReferenceOf(text: string): string {
  return text.trim().replace(IMPORTED, '').trim().toUpperCase();
}

/** A value that is our document number is not a shop reference. */
export function isDocumentNumber(text: string, prefix: string): boolean {
  return prefix !== '' && new RegExp(`^${prefix}\\d{6,10}$`, 'i').test(text.trim());
}
