// The default French shop: what a fresh PrestaShop 8.2 install (fr default, en second) holds that
// the connector reads — languages, currency, countries with their PrestaShop ids, French taxes,
// groups, order states 1..17 (transcript 103), PS_OS_* configuration, carriers, root categories.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { ShopState } from './state.ts';
import type { LangValue } from './store.ts';
import { linkRewrite } from './link-rewrite.ts';
import { createStockRow } from './resources/stock.ts';
import { seedShops, type SandboxShopGroupSeed, type SandboxShopSeed } from './multistore.ts';

export interface SandboxSeed {
  products?: Array<{ reference: string; name: string; price: string; quantity?: number; idTaxRulesGroup?: number }>;
  /** Multistore: shops besides shop 1 (the default, in group 1), and shop groups besides group 1. */
  shops?: SandboxShopSeed[];
  shopGroups?: SandboxShopGroupSeed[];
}

const here = path.dirname(fileURLToPath(import.meta.url));
const orderStates = JSON.parse(readFileSync(path.join(here, 'data/order-states.json'), 'utf8')) as Array<Record<string, string | LangValue>>;

const FR_STATE_NAMES: Record<string, string> = {
  1: 'En attente du paiement par chèque', 2: 'Paiement accepté', 3: 'En cours de préparation', 4: 'Expédié', 5: 'Livré',
  6: 'Annulé', 7: 'Remboursé', 8: 'Erreur de paiement', 9: 'En attente de réapprovisionnement (payé)',
  10: 'En attente de virement bancaire', 11: 'Paiement à distance accepté', 12: 'En attente de réapprovisionnement (non payé)',
  13: 'En attente de paiement à la livraison', 14: 'En attente de paiement', 15: 'Paiement partiel accepté',
  16: 'Commande partiellement remboursée', 17: 'En attente de validation',
};

const lang = (fr: string, en: string = fr): LangValue => ({ 1: fr, 2: en });

export function seedShop(state: ShopState, seed: SandboxSeed = {}): void {
  const { store } = state;
  const now = state.clock.now();
  const put = (resource: string, id: number, row: Record<string, unknown>): void => {
    store.insert(resource, { ...row, id: String(id), associations: (row.associations as Record<string, never>) ?? {} });
  };
  put('languages', 1, { name: 'Français (French)', iso_code: 'fr', locale: 'fr-FR', language_code: 'fr', active: '1', is_rtl: '0', date_format_lite: 'd/m/Y', date_format_full: 'd/m/Y H:i:s' });
  put('languages', 2, { name: 'English (English)', iso_code: 'en', locale: 'en-US', language_code: 'en-us', active: '1', is_rtl: '0', date_format_lite: 'm/d/Y', date_format_full: 'm/d/Y H:i:s' });
  put('shops', 1, { id_shop_group: '1', id_category: '2', active: '1', deleted: '0', name: 'PrestaSync Sandbox', color: '', theme_name: 'classic' });
  put('currencies', 1, { iso_code: 'EUR', numeric_iso_code: '978', precision: '2', conversion_rate: '1.000000', deleted: '0', active: '1', unofficial: '0', modified: '0', name: lang('euro', 'Euro'), symbol: lang('€'), pattern: lang('') });
  const zones: Array<[number, string]> = [[1, 'Europe'], [2, 'North America'], [7, 'Europe (non-EU)']];
  for (const [id, name] of zones) put('zones', id, { name, active: '1' });
  const countries: Array<[number, string, string, string, number, boolean]> = [
    [1, 'DE', 'Allemagne', 'Germany', 1, true], [3, 'BE', 'Belgique', 'Belgium', 1, true], [6, 'ES', 'Espagne', 'Spain', 1, true],
    [8, 'FR', 'France', 'France', 1, true], [10, 'IT', 'Italie', 'Italy', 1, true], [12, 'LU', 'Luxembourg', 'Luxembourg', 1, true],
    [13, 'NL', 'Pays-Bas', 'Netherlands', 1, true], [15, 'PT', 'Portugal', 'Portugal', 1, true], [17, 'GB', 'Royaume-Uni', 'United Kingdom', 7, false],
    [19, 'CH', 'Suisse', 'Switzerland', 7, false], [21, 'US', 'États-Unis', 'United States', 2, false],
  ];
  for (const [id, iso, fr, en, zone, eu] of countries) {
    put('countries', id, { id_zone: String(zone), id_currency: '0', call_prefix: '0', iso_code: iso, active: '1', contains_states: '0', need_identification_number: '0', need_zip_code: '1', zip_code_format: iso === 'FR' ? 'NNNNN' : '', display_tax_label: '1', name: lang(fr, en), eu: eu ? '1' : '0' });
  }
  const taxes: Array<[number, string, string]> = [[1, '20.000', 'TVA FR 20%'], [2, '10.000', 'TVA FR 10%'], [3, '5.500', 'TVA FR 5.5%'], [4, '2.100', 'TVA FR 2.1%']];
  for (const [id, rate, name] of taxes) put('taxes', id, { rate, active: '1', deleted: '0', name: lang(name) });
  const groups: Array<[number, string]> = [[1, 'FR Taux standard (20%)'], [2, 'FR Taux réduit (10%)'], [3, 'FR Taux réduit (5.5%)'], [4, 'FR Taux super réduit (2.1%)'], [5, 'EU VAT For Virtual Products']];
  for (const [id, name] of groups) put('tax_rule_groups', id, { name, active: '1', deleted: '0', date_add: now, date_upd: now });
  let ruleId = 1;
  for (const [id] of taxes) {
    put('tax_rules', ruleId++, { id_tax_rules_group: String(id), id_state: '0', id_country: '8', zipcode_from: '0', zipcode_to: '0', id_tax: String(id), behavior: '0', description: '' });
  }
  put('groups', 1, { reduction: '0.00', price_display_method: '0', show_prices: '1', date_add: now, date_upd: now, name: lang('Visiteur', 'Visitor') });
  put('groups', 2, { reduction: '0.00', price_display_method: '0', show_prices: '1', date_add: now, date_upd: now, name: lang('Invité', 'Guest') });
  put('groups', 3, { reduction: '0.00', price_display_method: '0', show_prices: '1', date_add: now, date_upd: now, name: lang('Client', 'Customer') });
  for (const os of orderStates) {
    const id = String(os.id);
    const en = (os.name as LangValue)['1'] ?? '';
    const template = (os.template as LangValue)['1'] ?? '';
    store.insert('order_states', { ...os, id, name: lang(FR_STATE_NAMES[id] ?? en, en), template: lang(template), associations: {} });
  }
  const conf: Array<[string, string]> = [['PS_OS_CHEQUE', '1'], ['PS_OS_PAYMENT', '2'], ['PS_OS_PREPARATION', '3'], ['PS_OS_SHIPPING', '4'], ['PS_OS_DELIVERED', '5'],
    ['PS_OS_CANCELED', '6'], ['PS_OS_REFUND', '7'], ['PS_OS_ERROR', '8'], ['PS_OS_OUTOFSTOCK', '9'], ['PS_OS_BANKWIRE', '10'], ['PS_OS_WS_PAYMENT', '11'],
    ['PS_OS_OUTOFSTOCK_UNPAID', '12'], ['PS_OS_COD_VALIDATION', '13'], ['PS_LANG_DEFAULT', '1'], ['PS_CURRENCY_DEFAULT', '1'], ['PS_COUNTRY_DEFAULT', '8'],
    ['PS_CARRIER_DEFAULT', '1'], ['PS_SHOP_NAME', 'PrestaSync Sandbox'], ['PS_PRICE_ROUND_MODE', '2'], ['PS_ROUND_TYPE', '2']];
  conf.forEach(([name, value], i) => put('configurations', i + 1, { value, name, id_shop_group: '', id_shop: '', date_add: now, date_upd: now }));
  const carrier = (id: number, name: string, free: boolean, delay: string): void => put('carriers', id, {
    deleted: '0', is_module: '0', id_tax_rules_group: '1', id_reference: String(id), name, active: '1', is_free: free ? '1' : '0', url: '',
    shipping_handling: free ? '0' : '1', shipping_external: '0', range_behavior: '0', shipping_method: free ? '0' : '2', max_width: '0', max_height: '0',
    max_depth: '0', max_weight: '0.000000', grade: '0', external_module_name: '', need_range: '0', position: String(id - 1), delay: lang(delay),
  });
  carrier(1, 'PrestaSync Sandbox', true, 'Retrait en magasin');
  carrier(2, 'My carrier', false, 'Livraison le lendemain !');
  const category = (id: number, parent: number, depth: number, fr: string, en: string, root: boolean): void => put('categories', id, {
    id_parent: String(parent), level_depth: String(depth), nb_products_recursive: '0', active: '1', id_shop_default: '1', is_root_category: root ? '1' : '0',
    position: '0', date_add: now, date_upd: now, name: lang(fr, en), link_rewrite: lang(linkRewrite(fr), linkRewrite(en)), description: lang(''),
    additional_description: lang(''), meta_title: lang(''), meta_description: lang(''), meta_keywords: lang(''), associations: { categories: [], products: [] },
  });
  category(1, 0, 0, 'Racine', 'Root', false);
  category(2, 1, 1, 'Accueil', 'Home', true);
  seedShops(state, seed.shopGroups, seed.shops);
  for (const p of seed.products ?? []) addSeedProduct(state, p);
}

export function addSeedProduct(state: ShopState, p: NonNullable<SandboxSeed['products']>[number]): string {
  const now = state.clock.now();
  const empty = lang('');
  const product = state.store.insert('products', {
    id_manufacturer: '0', id_supplier: '0', id_category_default: '2', new: '', cache_default_attribute: '0', id_default_image: '', id_default_combination: '0',
    id_tax_rules_group: String(p.idTaxRulesGroup ?? 1), position_in_category: '1', manufacturer_name: '', quantity: '0', type: 'simple', id_shop_default: '1',
    reference: p.reference, supplier_reference: '', location: '', width: '0.000000', height: '0.000000', depth: '0.000000', weight: '0.000000', quantity_discount: '0',
    ean13: '', isbn: '', upc: '', mpn: '', cache_is_pack: '0', cache_has_attachments: '0', is_virtual: '0', state: '1', additional_delivery_times: '1',
    delivery_in_stock: empty, delivery_out_stock: empty, product_type: 'standard', on_sale: '0', online_only: '0', ecotax: '0.000000', minimal_quantity: '1',
    low_stock_threshold: '', low_stock_alert: '0', price: (Number.parseFloat(p.price) || 0).toFixed(6), wholesale_price: '0.000000', unity: '', unit_price: '0.000000',
    unit_price_ratio: '0', additional_shipping_cost: '0.000000', customizable: '0', text_fields: '0', uploadable_files: '0', active: '1', redirect_type: '404',
    id_type_redirected: '0', available_for_order: '1', available_date: '0000-00-00', show_condition: '0', condition: 'new', show_price: '1', indexed: '1',
    visibility: 'both', advanced_stock_management: '0', date_add: now, date_upd: now, pack_stock_type: '3', meta_description: empty, meta_keywords: empty,
    meta_title: empty, link_rewrite: lang(linkRewrite(p.name)), name: lang(p.name), description: empty, description_short: empty,
    available_now: empty, available_later: empty, associations: { categories: [{ id: '2' }] },
  });
  createStockRow(state.store, product.id, p.quantity ?? 0);
  return product.id;
}
