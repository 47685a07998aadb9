// The `orders:` config section (issue 3). Schema = validation = documentation (STYLE.md §3): every key has a
// description the README is generated from.
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { DEFAULT_DIVALTO_COLUMNS, divaltoTemplateProblems } from '../../transforms/orders/divalto-template.ts';
import { orderShopsSchema } from '../config/multistore.ts';

const stateId = z.number().int().positive();

const divaltoColumnSchema = z.object({
  header: z.string().min(1).describe('Texte de l\'en-tête (ligne 3 du classeur), ex. « MOUV.PUB ».'),
  IPAR: z.string().optional().describe('Valeur sur la ligne IPAR : texte fixe et/ou {champ}.'),
  ENT: z.string().optional().describe('Valeur sur la ligne ENT : texte fixe et/ou {champ}.'),
  MOUV: z.string().optional().describe('Valeur sur chaque ligne MOUV : texte fixe et/ou {champ} (les champs de ligne sont permis ici).'),
});

export const sageOrdersConfigSchema = z.object({
  version: z.literal(33).default(33).describe(
    'Valeur de la ligne « #VER ». Seule la disposition de Sage 100 v12.25 (#VER 33 : #CHEN 86 lignes, #CHLI 62) est documentée '
    + '(ERP_FORMATS.md §1.1-1.3) ; une autre version changerait le nombre de lignes.'),
  souche: z.number().int().min(1).max(50).default(1).describe('Souche de numérotation des pièces (#CHEN champ 4).'),
  depot: z.string().max(35).default('').describe('Intitulé du dépôt de stockage (#CHEN 12, #CHLI 28) ; vide = dépôt par défaut du dossier.'),
  collectiveAccount: z.string().max(13).default('4110000').describe('Compte collectif client (#CHEN 40, #CCLI 3).'),
  accountingCategory: z.number().int().min(1).max(50).default(1).describe('Catégorie comptable des clients créés (#CCLI 32) et des pièces (#CHEN 37).'),
  priceCategory: z.number().int().min(1).max(32).default(1).describe('Catégorie tarifaire des clients créés (#CCLI 37) et des pièces (#CHEN 28).'),
  priceDecimals: z.number().int().min(2).max(6).default(4).describe(
    'Décimales des prix unitaires écrits (#CHLI 12). Doit correspondre au paramétrage du dossier : le contrôle des totaux calcule avec ces prix arrondis.'),
  taxCodes: z.record(z.string(), z.string().max(5)).default({}).describe(
    'Code taxe Sage par taux de TVA, ex. { "20": "C20", "5.5": "C05" } (#CHLI 54). Taux absent = champ vide : Sage prend la taxe de l\'article.'),
  shippingModes: z.record(z.string(), z.number().int().min(1).max(50)).default({}).describe(
    'Mode d\'expédition Sage (1-50, #CHEN 18) par nom de transporteur PrestaShop ; transporteur absent = champ vide.'),
  countryLabels: z.record(z.string(), z.string().max(35)).default({}).describe(
    'Intitulé Sage du pays (#CPAI) par code ISO, ex. { "FR": "France" } : #CCLI 13 et #CCDL 7 désignent le pays par son intitulé. '
    + 'Complète la table intégrée (pays de l\'UE, Suisse, Royaume-Uni…).'),
  customerCodePrefix: z.string().regex(/^[A-Z0-9]{0,8}$/).default('WEB').describe(
    'Préfixe du code des clients créés (newCustomer: create) : préfixe + id client PrestaShop sur 6 chiffres, ex. WEB000042.'),
}).describe('Format Sage (Sage 100 Gestion commerciale).');

export const ebpOrdersConfigSchema = z.object({
  encoding: z.enum(['windows-1252', 'utf-8-bom']).default('windows-1252').describe(
    'Encodage du fichier, celui choisi dans le modèle d\'import EBP (EBP_DIVALTO.md §1.2 point 6).'),
  discountPercentDecimals: z.number().int().min(0).max(4).default(2).describe(
    'Décimales du « Document - % remise ». La remise de commande est exprimée en % ; si aucun % à ce nombre de décimales ne '
    + 'redonne le montant au centime, la commande est retenue avec un motif.'),
  priceDecimals: z.number().int().min(2).max(6).default(6).describe('Décimales maximales des prix unitaires (« Ligne - PV HT ») ; zéros finaux supprimés.'),
  shopColumn: z.string().min(1).optional().describe(
    'Multiboutique : en-tête d\'une colonne ajoutée en dernier, qui porte le nom de la boutique (orders.shops.<id>.label), ex. « Document - Code commercial/collaborateur ». '
    + 'Absent = en-tête inchangé. Le modèle d\'import EBP doit alors être réenregistré avec cette colonne.'),
}).describe('EBP Gestion commerciale (import paramétrable, table SaleOrders).');

export const divaltoOrdersConfigSchema = z.object({
  dossier: z.string().default('1').describe('Code dossier Divalto (colonne DOSSIER de la ligne IPAR).'),
  etablissement: z.string().default('').describe('Code établissement (colonne ETABLISSEMENT), vide s\'il n\'est pas géré.'),
  depot: z.string().default('1').describe('Code dépôt (colonne DEPOT de la ligne ENT).'),
  priceDecimals: z.number().int().min(2).max(4).default(4).describe('Décimales des prix unitaires (MOUV.PUB est numérique 13,4 dans Divalto).'),
  columns: z.array(divaltoColumnSchema).default(DEFAULT_DIVALTO_COLUMNS).describe(
    'Colonnes du classeur « Import de pièces par tableur », dans l\'ordre. La première est toujours FICHE. Champs document : '
    + '{dossier} {etablissement} {depot} {documentNumber} {typePiece} {customerCode} {date} {reference} {idOrder} {carrier} '
    + '{payment} {email} {shop} (multiboutique : orders.shops.<id>.label) {billingName}… {deliveryName} {deliveryAddress1} {deliveryPostcode} {deliveryCity} {deliveryCountry}… ; '
    + 'champs de ligne (MOUV) : {lineReference} {designation} {quantity} {netUnitPrice} {grossUnitPrice} {discountPercent} {vatRate} {lineTotal}.'),
}).superRefine((value, ctx) => {
  for (const message of divaltoTemplateProblems(value.columns)) ctx.addIssue({ code: 'custom', message, path: ['columns'] });
}).describe('Divalto Infinity (import de pièces par tableur).');

export const ordersConfigSchema = z.object({
  exportStates: z.array(stateId).min(1).default([2, 3, 11]).describe(
    'États de commande (id) qui déclenchent l\'export. Défaut : 2 paiement accepté, 3 préparation en cours, 11 paiement à distance accepté.'),
  cancelledStates: z.array(stateId).default([6]).describe('États « annulée » : avant export, la commande n\'est jamais exportée ; après, un avis d\'annulation est écrit.'),
  since: z.string().regex(/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/, 'date attendue AAAA-MM-JJ ou AAAA-MM-JJ HH:MM:SS').optional().describe(
    'Commandes modifiées depuis cette date (heure de la boutique) : aucune commande modifiée avant n’est exportée, à aucun passage. Absent = lookbackDays au premier passage.'),
  lookbackDays: z.number().int().min(0).default(7).describe(
    'Premier passage sans « since » : commandes modifiées depuis ce nombre de jours. Ensuite, l\'export reprend là où il s\'était arrêté.'),
  documentType: z.enum(['order', 'quote']).default('order').describe('Pièce créée dans l\'ERP : commande (order) ou devis (quote).'),
  documentPrefix: z.string().regex(/^[A-Z0-9]{0,6}$/).default('WEB').describe(
    'Préfixe du numéro de pièce : préfixe + id_order sur 6 chiffres (WEB000042). Les références PrestaShop ne sont pas uniques (LESSONS.md A2).'),
  batch: z.boolean().default(false).describe('true : un fichier par exécution avec toutes les nouvelles commandes (Sage, EBP). Divalto écrit toujours un classeur par pièce.'),
  newCustomer: z.enum(['create', 'generic']).default('generic').describe(
    'Client sans code ERP : create = créé dans le même fichier (#CCLI + #CCDL, Sage seulement) ; generic = compte web générique. '
    + 'EBP et Divalto utilisent toujours le compte générique (l\'adresse de la commande est portée par la pièce).'),
  genericCustomerCode: z.string().min(1).max(17).default('CLIWEB').describe('Code du compte client générique web.'),
  articles: z.object({
    shipping: z.string().min(1).max(18).default('PORT').describe('Code article des frais de port (ligne Sage, ligne Divalto).'),
    discount: z.string().min(1).max(18).default('REMISE').describe('Code article des remises de commande (ligne Sage, ligne Divalto).'),
  }).prefault({}).describe('Articles de service de l\'ERP.'),
  ackDelayHours: z.number().positive().default(24).describe(
    'Délai après lequel une commande exportée est tenue pour prise en compte par l\'ERP (réservation de stock levée) faute d\'accusé.'),
  sage: sageOrdersConfigSchema.prefault({}).describe('Fichier Format Sage (Sage 100 Gestion commerciale).'),
  ebp: ebpOrdersConfigSchema.prefault({}).describe('Fichier d\'import EBP Gestion commerciale (modèle enregistré sur SaleOrders).'),
  divalto: divaltoOrdersConfigSchema.prefault({}).describe('Classeur Divalto « Import de pièces par tableur ».'),
  shops: orderShopsSchema,
}).describe('Export des commandes de la boutique vers l\'ERP.');

export type OrdersConfig = z.output<typeof ordersConfigSchema>;
export type OrdersConfigInput = z.input<typeof ordersConfigSchema>;

/** Parses the `orders:` section with its defaults (undefined = all defaults); every problem at once in a ConfigError. */
export function parseOrdersConfig(input: unknown): OrdersConfig {
  const result = ordersConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => {
    const path = ['orders', ...issue.path.map(String)].join('.');
    return issue.message.startsWith('orders.') ? issue.message : `${path} : ${issue.message}`;
  }));
}
