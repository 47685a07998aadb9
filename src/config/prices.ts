// The `prices:` config section (issue 9: ERP tariffs → specific prices, price files → the products' base
// price). Schema = validation = documentation: the README's key table is generated from these descriptions.
import { z } from 'zod';

export const pricesConfigSchema = z.object({
  fullExport: z.boolean().default(false).describe(
    'true : chaque fichier de tarifs est complet ; un prix spécifique créé par le connecteur dont le tarif a disparu du fichier est supprimé. Par défaut (exports partiels) seul l\'ensemble des prix d\'un tarif présent dans le fichier est tenu exact. Les prix spécifiques faits dans la boutique ne sont jamais touchés.'),
}).describe('Tarifs : prix par catégorie tarifaire / client (prix spécifiques) et prix de base des articles.');

export type PricesConfig = z.infer<typeof pricesConfigSchema>;
