// Several shops of one PrestaShop (issue 11, multistore): which shops the orders and stock flows work for,
// and how each shop is named in the ERP documents. PrestaShop's webservice answers in ONE shop's context per
// request (`id_shop`, `id_group_shop`, WEBSERVICE.md §1; classes/webservice/WebserviceRequest.php shopExists):
// api/orders without it returns the default shop's orders only (LESSONS F1), so each shop is asked in turn.
import { z } from 'zod';

export const shopsSchema = z.union([
  z.literal('all'),
  z.array(z.number().int().positive()).min(1, 'au moins une boutique (id), ou « all »')
    .refine((ids) => new Set(ids).size === ids.length, 'une boutique est listée deux fois'),
], { error: 'liste d’id de boutiques (ex. [1, 2]) ou « all » attendue' });

export type ShopsSetting = z.output<typeof shopsSchema>;

/** How one shop is named in the ERP document. */
export const shopDocumentSchema = z.object({
  documentPrefix: z.string().regex(/^[A-Z0-9]{0,6}$/, 'préfixe de 0 à 6 caractères A-Z 0-9').optional()
    .describe('Préfixe du numéro de pièce pour cette boutique (remplace orders.documentPrefix).'),
  label: z.string().min(1).max(35).optional()
    .describe('Nom de la boutique dans la pièce : Sage « Affaire » (#CHEN 27, #CHLI 29 ; 13 caractères au plus), EBP colonne orders.ebp.shopColumn, Divalto champ {shop}.'),
}).strict();

export const orderShopsSchema = z.record(z.string().regex(/^\d+$/, 'clé = id de boutique (ex. "2")'), shopDocumentSchema)
  .default({})
  .describe('Multiboutique : par id de boutique, son préfixe de pièce et son nom dans la pièce (affaire Sage…). Ex. { "2": { documentPrefix: "WEBBE", label: "BOUTIQUE-BE" } }.');

export type ShopDocument = z.output<typeof shopDocumentSchema>;

interface MultistoreView {
  erp: { profile: string };
  shop: { shops?: ShopsSetting | undefined };
  orders: { shops: Record<string, ShopDocument> };
}

/** Cross-section checks, every problem at once with its path: the shops named under orders.shops must be
 *  among shop.shops, and a Sage affaire fits its 13 characters. */
export function multistoreProblems(c: MultistoreView, ctx: z.RefinementCtx): void {
  const listed = Array.isArray(c.shop.shops) ? new Set(c.shop.shops.map(String)) : undefined;
  for (const [id, doc] of Object.entries(c.orders.shops)) {
    if (c.shop.shops === undefined) {
      ctx.addIssue({ code: 'custom', path: ['orders', 'shops', id], message: 'shop.shops absent : sans multiboutique, seul orders.documentPrefix s’applique' });
    } else if (listed && !listed.has(id)) {
      ctx.addIssue({ code: 'custom', path: ['orders', 'shops', id], message: `la boutique ${id} n’est pas dans shop.shops (${[...listed].join(', ')})` });
    }
    if (c.erp.profile === 'sage100' && doc.label !== undefined && !/^[A-Z0-9_-]{1,13}$/.test(doc.label)) {
      ctx.addIssue({ code: 'custom', path: ['orders', 'shops', id, 'label'], message: 'affaire Sage (compte analytique) : 1 à 13 caractères A-Z 0-9 _ -' });
    }
  }
}

/** The document naming of an order's shop, when multistore is on and the order says its shop. */
export function shopDocumentOf(shops: Record<string, ShopDocument>, shopId: number | undefined): ShopDocument {
  return shopId === undefined ? {} : shops[String(shopId)] ?? {};
}
