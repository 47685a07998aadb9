// The stages of a web order in the ERP, in the words sales administration uses (ERP_FORMATS.md §1.7:
// BC → PL → BL → FA), plus a cancellation. Pure.

export const ERP_STAGES = ['BC', 'PL', 'BL', 'FA', 'ANNULE'] as const;
export type ErpStage = (typeof ERP_STAGES)[number];

/** How far an order has gone: a later stage never gives way to an earlier one. A cancellation beats
 *  everything (an ERP that cancels a delivered order means it). */
export const STAGE_RANK: Readonly<Record<ErpStage, number>> = { BC: 1, PL: 2, BL: 3, FA: 4, ANNULE: 5 };

export const STAGE_LABEL: Readonly<Record<ErpStage, string>> = {
  BC: 'bon de commande',
  PL: 'préparation de livraison',
  BL: 'bon de livraison',
  FA: 'facture',
  ANNULE: 'annulation',
};

export function isErpStage(s: string): s is ErpStage {
  return (ERP_STAGES as readonly string[]).includes(s);
}
