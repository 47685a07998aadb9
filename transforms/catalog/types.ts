// The canonical catalogue records every ERP's transforms produce and the categories / products
// pipelines load: one shape whatever the ERP (Sage Format Sage, EBP, Divalto, generic columns).

/** A node of the category tree, keyed by the ERP (a family code, or a catalogue path). */
export interface CategoryLine {
  /** ERP key, e.g. 'FAM:CODE' (a Sage family) or 'CAT:Outillage/Vis' (a catalogue path). */
  key: string;
  name: string;
  /** iso code → name, where the ERP carries a name per language. */
  names?: Record<string, string>;
  /** Key of the parent node; null: under the configured root category. */
  parentKey: string | null;
  active: boolean;
  /** The key this node had in earlier files, when the ERP moved it: it keeps its category (and the
   *  categories under it keep theirs). */
  movedFrom?: string;
}

/** An article, with the fields the products flow may own. */
export interface ProductLine {
  reference: string;
  name: string;
  /** iso → text, per the languages config (Sage « Langue 1 » → en, « Langue 2 » → de by default). */
  names: Record<string, string>;
  /** Tax excluded, 6 decimals. */
  priceTaxExcl: string;
  /** e.g. '20.000'; null when the ERP gives none (the shop's default group is then kept). */
  vatRate: string | null;
  /** The sales unit's label; with it, `unitPriceRatio`: how many of that unit one item holds (PrestaShop's
   *  unit_price_ratio = price / unit_price; '1' when the ERP's price is the price of its sales unit). */
  unity?: string;
  unitPriceRatio?: string;
  weightKg?: string;
  ean13?: string;
  /** The image column's values, in order (a URL or a path in the drop folder; transforms/images/sources.ts). */
  images?: string[];
  /** Root → deepest, keys of CategoryLine. */
  categoryKeys: string[];
  active: boolean;
}
