// The column template of the Divalto "Import de pièces par tableur" workbook (EBP_DIVALTO.md §2.1). The layout
// differs between Infinity releases (the recent 48-column template vs the older one), so the columns are data
// an integrator can edit in the `orders.divalto.columns` config, not code.
//
// A column = a header (row 3) + what to write on the IPAR, ENT and MOUV rows. A value is literal text with
// `{placeholder}`s; a value that is exactly one placeholder keeps its type (a quantity stays a number cell).

export type DivaltoRecord = 'IPAR' | 'ENT' | 'MOUV';

export interface DivaltoColumn {
  header: string;
  IPAR?: string;
  ENT?: string;
  MOUV?: string;
}

/** Placeholders valid on any row (document level). */
export const DIVALTO_DOCUMENT_PLACEHOLDERS = [
  'dossier', 'etablissement', 'depot', 'documentNumber', 'typePiece', 'customerCode', 'date', 'reference', 'idOrder',
  'carrier', 'payment', 'email', 'shop',
  'billingName', 'billingCompany', 'billingAddress1', 'billingAddress2', 'billingPostcode', 'billingCity', 'billingCountry', 'billingPhone',
  'deliveryName', 'deliveryCompany', 'deliveryAddress1', 'deliveryAddress2', 'deliveryPostcode', 'deliveryCity', 'deliveryCountry', 'deliveryPhone',
] as const;

/** Placeholders valid on MOUV rows only (one per line). */
export const DIVALTO_LINE_PLACEHOLDERS = [
  'lineReference', 'designation', 'quantity', 'netUnitPrice', 'grossUnitPrice', 'discountPercent', 'vatRate', 'lineTotal',
] as const;

export type DivaltoPlaceholder = (typeof DIVALTO_DOCUMENT_PLACEHOLDERS)[number] | (typeof DIVALTO_LINE_PLACEHOLDERS)[number];

/**
 * Default: the columns three independent real writers use (EBP_DIVALTO.md §2.1 [V-real]) plus ERREUR, which
 * Divalto fills on rejection. MOUV.PUB carries the NET unit price (after the line discount) so the piece total is
 * right without relying on MOUV.REM_0001, whose acceptance on import is untested [INF]. An integrator who wants
 * the discount visible maps MOUV.PUB to {grossUnitPrice} and adds `{ header: 'MOUV.REM_0001', MOUV: '{discountPercent}' }`.
 */
export const DEFAULT_DIVALTO_COLUMNS: DivaltoColumn[] = [
  { header: 'FICHE' },
  { header: 'DOSSIER', IPAR: '{dossier}' },
  { header: 'ETABLISSEMENT', IPAR: '{etablissement}' },
  { header: 'REF_PIECE', IPAR: '{documentNumber}' },
  { header: 'TYPE_TIERS', IPAR: 'C' },
  { header: 'TYPE_PIECE', IPAR: '{typePiece}' },
  { header: 'CODE_TIERS', ENT: '{customerCode}' },
  { header: 'CODE_OP', ENT: 'C' },
  { header: 'DEPOT', ENT: '{depot}' },
  { header: 'ENT.PIDT', ENT: '{date}' },
  { header: 'ENT.PIREF', ENT: '{reference}' },
  { header: 'REFERENCE', MOUV: '{lineReference}' },
  { header: 'DESIGNATION', MOUV: '{designation}' },
  { header: 'MOUV.OP', MOUV: 'C' },
  { header: 'QUANTITE', MOUV: '{quantity}' },
  { header: 'MOUV.PUB', MOUV: '{netUnitPrice}' },
  { header: 'ERREUR' },
];

const PLACEHOLDER = /\{([A-Za-z0-9]+)\}/g;

export function placeholdersIn(value: string): string[] {
  return [...value.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

/** Problems of a template, in French (they end up in a ConfigError). Empty = valid. */
export function divaltoTemplateProblems(columns: DivaltoColumn[]): string[] {
  const problems: string[] = [];
  const documentSet = new Set<string>(DIVALTO_DOCUMENT_PLACEHOLDERS);
  const lineSet = new Set<string>(DIVALTO_LINE_PLACEHOLDERS);
  if (columns[0]?.header !== 'FICHE') problems.push('orders.divalto.columns : la première colonne doit être « FICHE »');
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column.header)) problems.push(`orders.divalto.columns : colonne « ${column.header} » en double`);
    seen.add(column.header);
    for (const record of ['IPAR', 'ENT', 'MOUV'] as const) {
      const value = column[record];
      if (value === undefined) continue;
      for (const name of placeholdersIn(value)) {
        const allowed = documentSet.has(name) || (record === 'MOUV' && lineSet.has(name));
        if (!allowed) {
          problems.push(
            lineSet.has(name)
              ? `orders.divalto.columns : {${name}} (colonne « ${column.header} ») n'est possible que sur les lignes MOUV`
              : `orders.divalto.columns : {${name}} (colonne « ${column.header} ») est inconnu`,
          );
        }
      }
    }
  }
  return problems;
}
