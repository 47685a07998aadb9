// ERP keys — article codes, customer codes, document numbers — are how the ERP finds its own records, so they
// go into every format exactly as they are (issue #7: EBP did not find an article written « '+VIS »). Free text
// may be cleaned (line breaks, separators, formula neutralisation); a key never is: one that a format cannot
// carry unchanged holds the order, with a French reason that says what to fix.
import type { OrdersConfig } from '../../src/erp/orders-config.ts';
import { createsCustomer, OrderHeld, type ErpKind } from './common.ts';
import type { ErpOrder } from './model.ts';
import type { ErpEncoding } from './text.ts';
import { canEncode } from './text.ts';

/** Which key, and where its value comes from (so the reason can say what to fix). */
export interface KeyOrigin {
  /** « la référence article », « le code client », « le numéro de pièce »… */
  what: string;
  /** « corrigez la référence du produit dans la boutique »… */
  fix: string;
}

export interface KeyRules {
  erp: ErpKind;
  encoding: ErpEncoding;
  /** Longest value the ERP field holds (Sage); a longer one is never cut. */
  maxLength?: number;
  /** Sage 100 codes are upper-case only. */
  upperCaseOnly?: boolean;
  /** Characters that are syntax in the file (EBP: `;` separates columns, `"` quotes). */
  separators?: string[];
}

const FORMAT_NAME: Record<ErpKind, string> = { sage: 'Sage 100', ebp: 'EBP', divalto: 'Divalto' };

// Line breaks, tabs and other control characters: in a one-field-per-line record or a `;` row they shift fields.
// eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;

function problemOf(value: string, rules: KeyRules): string | undefined {
  if (value === '') return 'est vide';
  if (CONTROL.test(value)) return 'contient un saut de ligne, une tabulation ou un caractère de contrôle';
  if (value !== value.trim()) return 'commence ou finit par une espace';
  const separator = rules.separators?.find((s) => value.includes(s));
  if (separator !== undefined) return `contient « ${separator} », un caractère qui sépare les colonnes du fichier ${FORMAT_NAME[rules.erp]}`;
  for (const ch of value) {
    if (!canEncode(ch, rules.encoding)) return `contient « ${ch} », que l’encodage ${rules.encoding.toUpperCase()} du fichier ne peut pas écrire`;
  }
  if (rules.upperCaseOnly && value !== value.toUpperCase()) return `contient des minuscules, or les codes ${FORMAT_NAME[rules.erp]} sont en majuscules`;
  const length = [...value].length;
  if (rules.maxLength !== undefined && length > rules.maxLength) {
    return `fait ${length} caractères, ${FORMAT_NAME[rules.erp]} en accepte ${rules.maxLength}`;
  }
  return undefined;
}

/** The key, unchanged; throws OrderHeld when the format cannot carry it as it is. */
export function erpKey(value: string, origin: KeyOrigin, rules: KeyRules, idOrder: number): string {
  const problem = problemOf(value, rules);
  if (problem === undefined) return value;
  throw new OrderHeld(
    `${origin.what}${value === '' ? '' : ` « ${value} »`} ${problem} : le fichier ne peut pas le porter tel quel, et l’ERP ne retrouverait pas un code modifié. `
      + `Commande retenue : ${origin.fix}.`,
    idOrder,
  );
}

/** Where the keys of an order come from, for the reasons. */
export const KEY_ORIGINS = {
  article: { what: 'la référence article', fix: 'corrigez la référence du produit dans la boutique (elle doit être le code article de l’ERP)' },
  shippingArticle: { what: 'le code article des frais de port', fix: 'corrigez orders.articles.shipping dans la configuration' },
  discountArticle: { what: 'le code article des remises', fix: 'corrigez orders.articles.discount dans la configuration' },
  customer: { what: 'le code client', fix: 'corrigez le code ERP du client (« ERP:<code> » dans la note de sa fiche dans la boutique)' },
  genericCustomer: { what: 'le code client générique', fix: 'corrigez orders.genericCustomerCode dans la configuration' },
  newCustomer: { what: 'le code du client créé', fix: 'corrigez orders.sage.customerCodePrefix dans la configuration' },
  document: { what: 'le numéro de pièce', fix: 'corrigez orders.documentPrefix dans la configuration' },
  shop: { what: 'le nom de la boutique', fix: 'corrigez orders.shops.<id>.label dans la configuration' },
} as const satisfies Record<string, KeyOrigin>;

/** Where the customer code of an order comes from: its own ERP code, the one created in the file, or the generic one. */
export function customerCodeOrigin(o: ErpOrder, cfg: OrdersConfig, erp: ErpKind): KeyOrigin {
  if (o.customer.erpCode !== undefined) return KEY_ORIGINS.customer;
  return createsCustomer(o, cfg, erp) ? KEY_ORIGINS.newCustomer : KEY_ORIGINS.genericCustomer;
}
