// The `customers:` config section (issue #9: ERP customer accounts → shop customers, addresses, groups).
// Schema = validation = documentation: the README's key table is generated from these descriptions.
import { z } from 'zod';

export const CUSTOMER_FILTER_FIELDS = [
  'statistique1', 'statistique2', 'statistique3', 'statistique4', 'statistique5',
  'statistique6', 'statistique7', 'statistique8', 'statistique9', 'statistique10',
  'categorieTarifaire', 'categorieComptable',
] as const;

/** A Sage category number ("2"), an EBP family code or territoriality ("FRANCE"). */
const categoryIndex = z.string().trim().min(1);

export const customersConfigSchema = z.object({
  filter: z.object({
    field: z.enum(CUSTOMER_FILTER_FIELDS).describe(
      'Champ qui désigne les comptes web (Sage : statistique1…10 = #CCLI 14–23, categorieTarifaire, categorieComptable). Absent : tous les comptes avec un e-mail sont publiés.'),
    values: z.array(z.string().min(1)).min(1).describe(
      'Valeurs de ce champ publiées (casse ignorée) ; les autres comptes sont comptés « hors filtre web, non publié ».'),
  }).optional(),
  groupNames: z.record(categoryIndex, z.string().min(1).max(32)).default({}).describe(
    'Catégorie tarifaire Sage (ou famille client EBP) → nom du groupe de la boutique, à la place de l\'intitulé de l\'ERP (#CCCL). Ex. { "1": "Particuliers" }.'),
  groupIds: z.record(categoryIndex, z.number().int().positive()).default({}).describe(
    'Catégorie tarifaire → groupe existant de la boutique (id), jamais renommé. Ex. { "1": 3 } : le tarif public reste le groupe « Client ».'),
  accountingGroups: z.record(categoryIndex, z.string().min(1).max(32)).default({}).describe(
    'Catégorie comptable (Sage #CCLI 32 ; EBP « Code territorialité ») → groupe supplémentaire, créé avec les prix affichés HT. Ex. { "3": "Export HT" }. La TVA elle-même suit le pays de l\'adresse (règles de taxes de la boutique) : un client hors UE ne paie pas la TVA française.'),
  defaultCountry: z.string().length(2).default('FR').describe(
    'Pays (code ISO) d\'une adresse dont le pays est vide dans l\'ERP.'),
  newsletter: z.boolean().default(false).describe(
    'Inscrit les nouveaux clients à la lettre d\'information (newsletter et optin). Aucun e-mail de bienvenue n\'est envoyé par le webservice.'),
}).describe('Clients : comptes de l\'ERP → clients, adresses et groupes de la boutique.');

export type CustomersConfig = z.infer<typeof customersConfigSchema>;
