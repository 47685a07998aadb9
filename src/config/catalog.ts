// The `catalog:` config section (issue #8: ERP families → category tree, articles → products). Schema =
// validation = documentation: the README's key table is generated from these descriptions.
import { z } from 'zod';

export const OWNABLE_PRODUCT_FIELDS = ['name', 'price', 'id_tax_rules_group', 'unity', 'weight', 'ean13', 'categories', 'active'] as const;

export const catalogConfigSchema = z.object({
  rootCategory: z.number().int().positive().default(2).describe(
    'Catégorie de la boutique sous laquelle l\'arbre des familles de l\'ERP est créé (2 = « Accueil »).'),
  fullExport: z.boolean().default(false).describe(
    'true : chaque fichier de familles est complet ; une famille absente du fichier est désactivée (jamais supprimée). Par défaut les exports sont partiels (Format Sage n\'exporte que ce qui a changé) : une famille absente ne change rien.'),
  ownedFields: z.array(z.enum(OWNABLE_PRODUCT_FIELDS)).default([...OWNABLE_PRODUCT_FIELDS]).describe(
    'Champs des produits que le connecteur écrit (la référence à la création seulement : un produit retrouvé garde la sienne, même écrite dans une autre casse). Les autres — descriptions, SEO, images ajoutées dans la boutique — ne sont jamais écrasés.'),
  taxRuleGroups: z.record(z.string().regex(/^\d+(\.\d+)?$/, 'taux de TVA attendu, ex. "20" ou "5.5"'), z.number().int().min(0)).default({}).describe(
    'Taux de TVA → groupe de règles de taxes de la boutique (id), quand la recherche par taux et pays ne suffit pas. Ex. { "20": 1, "5.5": 3 }.'),
  taxCountry: z.string().length(2).default('FR').describe(
    'Pays (code ISO) dont les règles de taxes servent à trouver le groupe de la boutique pour un taux de TVA.'),
  imageTimeoutMs: z.number().int().positive().default(15000).describe(
    'Délai (ms) accordé au téléchargement d\'une image donnée par une adresse http(s) dans le fichier d\'articles ; au-delà, l\'image n\'est pas envoyée (remarque dans le rapport) et le produit est enregistré.'),
  languages: z.object({
    langue1: z.string().min(2).default('en').describe('Langue de la boutique (code ISO) qui reçoit la désignation « Langue 1 » des articles Sage.'),
    langue2: z.string().min(2).default('de').describe('Langue de la boutique (code ISO) qui reçoit la désignation « Langue 2 » des articles Sage.'),
  }).prefault({}),
}).describe('Catalogue : familles → catégories, articles → produits.');

export type CatalogConfig = z.infer<typeof catalogConfigSchema>;
