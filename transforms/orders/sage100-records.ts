// Format Sage records, field by field (ERP_FORMATS.md §1.2 #CHEN, §1.3 #CHLI; SAGE_MASTER_DATA.md §9 #CCLI,
// §10 #CCDL — all for #VER 33 / Sage 100 v12.25). One array entry = one line of the file; an empty field is an
// empty string (= an empty line: omitting it would shift every following field). Constant values follow the
// synthetic example erp/examples/sage100_gescom_BC_SYNTHETIC_cp850_crlf.txt where the reference has no rule.
import type { OrdersConfig } from '../../src/erp/orders-config.ts';
import { fitToEncoding, singleLine, truncate } from './text.ts';
import { formatMicros, formatMicrosTrimmed, type Micros } from './money.ts';
import type { ErpAddress, ErpOrder } from './model.ts';
import { dateJJMMAA, fullName, shopLabel, timeOf } from './common.ts';
import { erpKey, KEY_ORIGINS, type KeyOrigin } from './keys.ts';

export const CHEN_LINES = 86;
export const CHLI_LINES = 62;
export const CCLI_LINES = 121; // 120 fixed + 1 attached account (the collective one, as in BIJOU)
export const CCDL_LINES = 17;

/** A text field: one line, CP850 (transliterated or refused), cut to the reference's max length. */
export function sageText(value: string | undefined, max: number, what: string, key: string): string {
  return truncate(fitToEncoding(singleLine(value ?? ''), 'cp850', what, key), max);
}

/** An ERP key (article, customer, document number): written exactly as it is — never upper-cased, transliterated
 *  or cut (issue #7) — or the order is held with the reason. */
export function sageKey(value: string, max: number, origin: KeyOrigin, idOrder: number): string {
  return erpKey(value, origin, { erp: 'sage', encoding: 'cp850', maxLength: max, upperCaseOnly: true }, idOrder);
}

export function sageRate(rate: number): string {
  return formatMicros(Math.round(rate * 1_000_000), 4);
}

export function sagePercent(percent: number): string {
  return `${formatMicrosTrimmed(Math.round(percent * 1_000_000), 0, 4)}%`;
}

// Sage names the country by its #CPAI label, not its ISO code. Labels of Sage's standard country table.
const COUNTRY_LABELS: Record<string, string> = {
  FR: 'France', BE: 'Belgique', LU: 'Luxembourg', CH: 'Suisse', MC: 'Monaco', DE: 'Allemagne', ES: 'Espagne',
  IT: 'Italie', PT: 'Portugal', NL: 'Pays-Bas', AT: 'Autriche', IE: 'Irlande', GB: 'Royaume-Uni', DK: 'Danemark',
  SE: 'Suède', FI: 'Finlande', PL: 'Pologne', CZ: 'République tchèque', GR: 'Grèce', US: 'Etats-Unis', CA: 'Canada',
};

export function countryLabel(iso: string, cfg: OrdersConfig): string {
  return cfg.sage.countryLabels[iso] ?? COUNTRY_LABELS[iso] ?? iso;
}

/** Label of the delivery place (#CCDL 1) that #CHEN 13 points to. */
export function deliveryPlaceLabel(a: ErpAddress): string {
  return `${a.company ?? fullName(a)} - ${a.city}`;
}

export interface ChenInput {
  o: ErpOrder;
  cfg: OrdersConfig;
  docNumber: string;
  customerCode: string;
  customerOrigin: KeyOrigin;
  deliveryPlace: string;
}

export function chenRecord({ o, cfg, docNumber, customerCode, customerOrigin, deliveryPlace }: ChenInput): string[] {
  const key = String(o.idOrder);
  const s = cfg.sage;
  const date = dateJJMMAA(o.date);
  const f: string[] = new Array<string>(CHEN_LINES).fill('');
  const set = (n: number, v: string): void => { f[n - 1] = v; };
  set(1, '1'); // Domaine 1 = Vente: file codes are 1-based [V-real, RPS `1/7/1/1`]
  // Type: 1 Devis, 2 Bon de commande — DB DO_Type 0/1 shifted by one like Facture (file 7 = DB 6) [INF, ERP_FORMATS.md §1.2]
  set(2, cfg.documentType === 'quote' ? '1' : '2');
  set(3, '1'); // Provenance normale [V-real]
  set(4, String(s.souche));
  set(5, sageKey(docNumber, 13, KEY_ORIGINS.document, o.idOrder));
  set(6, date);
  set(7, sageText(o.reference, 17, 'la référence', key));
  set(11, sageKey(customerCode, 17, customerOrigin, o.idOrder));
  set(12, sageText(s.depot, 35, 'le dépôt', key));
  set(13, sageText(deliveryPlace, 35, 'le lieu de livraison', key));
  set(15, '0'); // Devise 0 = none: the dossier's own currency (EUR); other currencies are refused upstream
  set(16, '0,000000');
  set(17, sageKey(customerCode, 17, customerOrigin, o.idOrder)); // payeur = the customer
  const mode = s.shippingModes[o.carrierName];
  set(18, mode !== undefined ? String(mode) : '');
  set(19, '1');
  set(20, '0');
  // Entête 1 / 2 (25 free characters each): carrier and payment method, which have no coded field here [INF].
  set(23, sageText(o.carrierName, 25, 'le transporteur', key));
  set(24, sageText(o.paymentLabel, 25, 'le mode de paiement', key));
  // Affaire (compte analytique): the shop of a multistore install, when orders.shops names it [V-doc §1.2].
  set(27, shopAffaire(o, cfg));
  set(28, String(s.priceCategory));
  set(29, '0'); set(30, '0'); set(31, '1'); set(32, '1'); set(33, '1'); set(34, '0');
  set(35, '0,0000');
  set(37, String(s.accountingCategory));
  set(38, '0'); set(39, '0');
  set(40, sageText(s.collectiveAccount, 13, 'le compte collectif', key));
  set(41, timeOf(o.date));
  set(45, '0');
  set(46, sageText(o.reference, 17, 'la référence', key)); // N° de commande site marchand (DO_NoWeb) [INF]
  set(48, '0'); set(49, '0,00'); set(50, '0'); set(51, '0'); set(52, '0,00'); set(53, '0'); set(54, '0');
  for (const n of [55, 58, 61]) { set(n, '0,0000'); set(n + 1, '0'); set(n + 2, '0'); }
  for (const n of [67, 68, 69, 74, 76, 77, 82, 84, 85, 86]) set(n, '0');
  return f;
}

/** The order's shop as a Sage affaire (an existing analytic account, 13 characters: checked by the config). */
function shopAffaire(o: ErpOrder, cfg: OrdersConfig): string {
  const label = shopLabel(o, cfg);
  return label === '' ? '' : sageKey(label, 13, KEY_ORIGINS.shop, o.idOrder);
}

export interface ChliInput {
  o: ErpOrder;
  cfg: OrdersConfig;
  customerCode: string;
  customerOrigin: KeyOrigin;
  article: string;
  articleOrigin: KeyOrigin;
  designation: string;
  quantity: number;
  unitPrice: Micros;
  discount: string;
  vatRate: number;
}

export function chliRecord(l: ChliInput): string[] {
  const key = String(l.o.idOrder);
  const s = l.cfg.sage;
  const f: string[] = new Array<string>(CHLI_LINES).fill('');
  const set = (n: number, v: string): void => { f[n - 1] = v; };
  set(1, sageText(l.o.reference, 17, 'la référence', key));
  set(2, sageKey(l.article, 18, l.articleOrigin, l.o.idOrder));
  set(3, sageText(l.designation, 69, 'la désignation', key));
  set(11, '0'); // Type de prix 0 = HT [V-real]
  set(12, formatMicros(l.unitPrice, s.priceDecimals));
  set(13, '0,00');
  const quantity = formatMicros(l.quantity * 1_000_000, 2);
  set(14, quantity);
  set(15, quantity);
  set(19, l.discount);
  set(20, '0'); // Type de ligne 0 = normale [V-real]
  set(22, '0,00');
  set(24, '0');
  set(28, sageText(s.depot, 35, 'le dépôt', key));
  set(29, shopAffaire(l.o, l.cfg)); // Affaire of the line: the same as the document's
  set(30, '1');
  set(32, '0');
  set(33, sageRate(l.vatRate)); set(34, '0'); set(35, '0');
  set(36, '0,0000'); set(37, '0'); set(38, '0');
  set(39, '0,0000'); set(40, '0'); set(41, '0');
  set(42, sageKey(l.customerCode, 17, l.customerOrigin, l.o.idOrder));
  set(45, '0'); set(46, '0'); set(49, '0'); set(50, '0');
  set(53, dateJJMMAA(l.o.date));
  set(54, s.taxCodes[String(l.vatRate)] ?? '');
  set(57, '0'); set(59, '0,00'); set(60, '0'); set(61, '0');
  return f;
}

/** #CCLI: the web customer created in the same file (newCustomer: create). */
export function ccliRecord(o: ErpOrder, cfg: OrdersConfig, code: string): string[] {
  const key = String(o.idOrder);
  const s = cfg.sage;
  const a = o.billingAddress;
  const c = o.customer;
  const name = c.company ?? `${c.lastname.toUpperCase()} ${c.firstname}`;
  const f: string[] = new Array<string>(CCLI_LINES).fill('');
  const set = (n: number, v: string): void => { f[n - 1] = v; };
  set(1, sageKey(code, 17, KEY_ORIGINS.newCustomer, o.idOrder));
  set(2, '0');
  set(3, sageText(s.collectiveAccount, 13, 'le compte collectif', key));
  set(5, sageText(name, 69, 'le nom du client', key));
  set(6, sageText(name, 17, 'le nom du client', key));
  set(7, sageText(fullName(c), 35, 'le contact', key));
  set(8, sageText(a.address1, 35, 'l\'adresse', key));
  set(9, sageText(a.address2, 35, 'l\'adresse', key));
  set(10, sageText(a.postcode, 9, 'le code postal', key));
  set(11, sageText(a.city, 35, 'la ville', key));
  set(13, sageText(countryLabel(a.countryIso, cfg), 35, 'le pays', key));
  set(24, '0,0000'); set(25, '0,0000');
  set(27, sageKey(code, 17, KEY_ORIGINS.newCustomer, o.idOrder));
  for (const n of [28, 29, 30, 31]) set(n, '0,0000');
  set(32, String(s.accountingCategory));
  set(33, '0'); set(34, '1');
  set(37, String(s.priceCategory));
  set(38, '1'); set(39, '0'); set(41, '1'); set(42, '0');
  set(45, sageText(c.vatNumber, 25, 'le n° de TVA', key));
  set(46, '0'); set(49, '0'); set(51, '0'); set(52, '0');
  set(54, dateJJMMAA(o.date));
  set(55, sageText(c.phone, 21, 'le téléphone', key));
  set(57, sageText(c.email, 69, 'l\'e-mail', key));
  set(60, '0'); set(64, '0,0000'); set(65, '0,0000'); set(66, '0'); set(68, '0');
  for (const n of [74, 75, 76, 81, 82, 86, 87, 89, 95]) set(n, '0');
  set(91, '1'); set(92, '1');
  set(96, sageText(`Client créé par la boutique (id ${c.idCustomer})`, 2000, 'le bloc-notes', key));
  for (let n = 97; n <= 101; n += 1) set(n, '1'); // order days Mon–Fri, as BIJOU
  set(102, '0'); set(103, '0');
  for (let n = 104; n <= 108; n += 1) set(n, '1');
  set(109, '0'); set(110, '0');
  // 112 Assujettissement: 0 assujetti (B2B) / 1 particulier [INF]
  set(112, c.company !== undefined || c.vatNumber !== undefined ? '0' : '1');
  set(113, '0'); set(115, '0'); set(116, '0'); set(120, '0');
  set(121, sageText(s.collectiveAccount, 13, 'le compte collectif', key));
  return f;
}

/** #CCDL: the order's delivery address as a delivery place of the new customer; #CHEN 13 points to its label. */
export function ccdlRecord(o: ErpOrder, cfg: OrdersConfig): string[] {
  const key = String(o.idOrder);
  const a = o.deliveryAddress;
  const f: string[] = new Array<string>(CCDL_LINES).fill('');
  const set = (n: number, v: string): void => { f[n - 1] = v; };
  set(1, sageText(deliveryPlaceLabel(a), 35, 'le lieu de livraison', key)); // 35: the length #CHEN 13 can hold
  set(2, sageText(a.address1, 35, 'l\'adresse de livraison', key));
  set(3, sageText(a.address2, 35, 'l\'adresse de livraison', key));
  set(4, sageText(a.postcode, 9, 'le code postal de livraison', key));
  set(5, sageText(a.city, 35, 'la ville de livraison', key));
  set(7, sageText(countryLabel(a.countryIso, cfg), 35, 'le pays de livraison', key));
  set(8, sageText(fullName(a), 35, 'le contact de livraison', key));
  set(9, '1'); set(10, '1'); set(11, '1');
  set(12, sageText(a.phone, 21, 'le téléphone de livraison', key));
  set(14, sageText(o.customer.email, 69, 'l\'e-mail', key));
  set(16, '0'); set(17, '0');
  return f;
}
