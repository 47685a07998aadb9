// The demo's first step for Sage 100: the ERP's « Format Sage » master-data export (config/samples/catalogue/)
// becomes the category tree, and the shop's nine articles are found by reference and given their names,
// prices, VAT group, weight and categories (one product per reference: they are not created twice).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Engine } from '../engine.ts';
import type { SandboxShop } from '../sandbox/index.ts';
import { formatRunSummary } from './print.ts';

export async function demoCatalogue(engine: Engine, shop: SandboxShop, samplesRoot: string, dropDir: string, out: (s?: string) => void): Promise<void> {
  const name = 'sage100_catalogue.txt';
  await fs.copyFile(path.join(samplesRoot, 'catalogue', name), path.join(dropDir, name));
  out(`\n0. Export « Format Sage » des données de base de Sage 100 (catalogue, articles et leurs tarifs, clients) déposé dans drop/ : ${name}`);
  const summary = await engine.runOnce({ trigger: 'demo' });
  out(formatRunSummary(summary, { dryRun: false }).trimEnd());
  const categories = shop.store.list('categories');
  const label = (c: Record<string, unknown> | undefined) => (c?.name as Record<string, string> | undefined)?.['1'] ?? '';
  const byId = new Map(categories.map((c) => [String(c.id), c]));
  const pathOf = (id: string): string => {
    const parts: string[] = [];
    for (let c = byId.get(id); c && Number(c.id) > 2; c = byId.get(String(c.id_parent))) parts.unshift(label(c));
    return parts.join(' > ');
  };
  out('\n   Les articles existaient déjà dans la boutique : retrouvés par leur référence et mis à jour, jamais créés en double.');
  out('   Produits de la boutique après l’import (nom, prix HT, poids, catégorie par défaut) :');
  for (const p of shop.store.list('products')) {
    const names = p.name as Record<string, string>;
    out(`     ${String(p.reference).padEnd(16)} ${names['1']!.slice(0, 44).padEnd(44)} ${Number(p.price).toFixed(2).padStart(6)} €  ${Number(p.weight).toFixed(3)} kg  ${pathOf(String(p.id_category_default))}`);
  }
  const en = shop.store.list('products').find((p) => p.reference === 'PERCEUSE-18V')?.name as Record<string, string> | undefined;
  if (en) out(`   En anglais (« Langue 1 » de Sage) : ${Object.values(en).filter((v) => v !== en['1']).join(' / ')}`);
  showCustomersAndPrices(shop, out);
}

/** The accounts of the export as shop customers in their price category's group, and the tariffs as specific prices. */
function showCustomersAndPrices(shop: SandboxShop, out: (s?: string) => void): void {
  const groupName = (id: unknown) => (shop.store.get('groups', Number(id))?.name as Record<string, string> | undefined)?.['1'] ?? `groupe ${String(id)}`;
  const addresses = shop.store.list('addresses');
  out('\n   Clients de l’ERP dans la boutique (mot de passe aléatoire, aucun e-mail de bienvenue ; le compte sans e-mail n’est pas publié) :');
  for (const c of shop.store.list('customers')) {
    const own = addresses.filter((a) => String(a.id_customer) === String(c.id) && a.deleted !== '1').length;
    out(`     ${String(c.company || `${String(c.firstname)} ${String(c.lastname)}`).padEnd(26)} ${String(c.email).padEnd(32)} groupe « ${groupName(c.id_default_group)} », ${own} adresse(s)`);
  }
  const reference = (id: unknown) => String(shop.store.get('products', Number(id))?.reference ?? id);
  out('   Tarifs Sage → prix spécifiques (HT) :');
  for (const sp of shop.store.list('specific_prices')) {
    const what = Number(sp.price) >= 0 ? `${Number(sp.price).toFixed(2)} €` : sp.reduction_type === 'percentage' ? `-${(Number(sp.reduction) * 100).toFixed(0)} %` : `-${Number(sp.reduction).toFixed(2)} €`;
    out(`     ${reference(sp.id_product).padEnd(16)} groupe « ${groupName(sp.id_group)} »  ${what}  à partir de ${String(sp.from_quantity)}`);
  }
}
