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
  out(`\n0. Export « Format Sage » des données de base de Sage 100 (catalogue, familles, articles) déposé dans drop/ : ${name}`);
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
}
