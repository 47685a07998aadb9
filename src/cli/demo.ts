// `prestasync demo`: a sandbox shop, the sample ERP files of config/samples/, and what prestasync did
// with them — in a fresh folder under var/demo/ so it can be run again and again.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateConfig, type LoadedConfig } from '../config/load.ts';
import { Engine } from '../engine.ts';
import { createLogger } from '../log.ts';
import { startSandbox, type SandboxShop } from '../sandbox/index.ts';
import { PIPELINES } from '../../pipelines/registry.ts';
import { formatRunSummary } from './print.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The demo shop's catalogue: the articles of the sample Sage stock export, with French names. */
export const DEMO_PRODUCTS = [
  { reference: 'VIS-BOIS-4X40', name: 'Vis à bois 4×40 tête fraisée (boîte de 200)', price: '8.250000', quantity: 900 },
  { reference: 'ECROU-M6-INOX', name: 'Écrou M6 inox A2', price: '0.180000', quantity: 468 },
  { reference: 'RONDELLE-M8', name: 'Rondelle plate M8 zinguée', price: '0.050000', quantity: 40 },
  { reference: 'CHEVILLE-NYL-8', name: 'Cheville nylon Ø8 (sachet de 100)', price: '4.900000', quantity: 2000 },
  { reference: 'PERCEUSE-18V', name: 'Perceuse-visseuse sans fil 18 V', price: '89.000000', quantity: 12 },
  { reference: 'MECHE-BETON-6', name: 'Mèche béton Ø6 × 110', price: '2.400000', quantity: 96 },
  { reference: 'COLLE-NEOPRENE', name: 'Colle néoprène gel 125 ml', price: '7.900000', quantity: 30 },
  { reference: 'SCIE-EGOINE-500', name: 'Scie égoïne 500 mm', price: '14.500000', quantity: 4 },
  { reference: 'METRE-RUBAN-5M', name: 'Mètre ruban 5 m', price: '6.300000', quantity: 25 },
];

export async function demoCommand(): Promise<void> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const work = path.join(ROOT, 'var', 'demo', stamp);
  const out = (s = '') => process.stdout.write(`${s}\n`);
  const shop = await startSandbox({ seed: { products: DEMO_PRODUCTS } });
  let engine: Engine | undefined;
  try {
    out(`Boutique bac à sable (PrestaShop 8.2 simulé) : ${shop.url}/api`);
    out(`Dossier de la démo : ${path.relative(process.cwd(), work) || work}`);
    const loaded = demoConfig(shop, work);
    engine = await Engine.open(loaded, { log: createLogger({ dir: loaded.config.paths.logs, secrets: loaded.secrets, console: false }), pipelines: PIPELINES });

    const samples = path.join(ROOT, 'config', 'samples', 'sage100');
    const files = (await fs.readdir(samples)).filter((f) => !f.startsWith('.'));
    for (const f of files) await fs.copyFile(path.join(samples, f), path.join(loaded.config.paths.drop, f));
    out(`\n1. Fichiers Sage 100 déposés dans drop/ : ${files.join(', ')}`);
    const before = quantities(shop);
    const first = await engine.runOnce({ trigger: 'demo' });
    out(formatRunSummary(first, { dryRun: false }).trimEnd());
    out('\n   Stock dans la boutique (avant → après) :');
    const after = quantities(shop);
    for (const p of DEMO_PRODUCTS) {
      const mark = before.get(p.reference) === after.get(p.reference) ? '  (inchangé, aucune écriture)' : '';
      out(`     ${p.reference.padEnd(16)} ${String(before.get(p.reference)).padStart(5)} → ${String(after.get(p.reference)).padStart(5)}${mark}`);
    }

    out('\n2. Le même fichier déposé une seconde fois :');
    for (const f of files) await fs.copyFile(path.join(samples, f), path.join(loaded.config.paths.drop, f));
    const writes = shop.writeCount();
    const again = await engine.runOnce({ trigger: 'demo' });
    out(formatRunSummary(again, { dryRun: false }).trimEnd());
    out(`   Écritures dans la boutique : ${shop.writeCount() - writes}`);

    out(`\nRapports et fichiers archivés : ${path.relative(process.cwd(), loaded.config.paths.archive)}`);
    out('Relancer la démo repart d’une boutique neuve ; `npm test` vérifie tout cela automatiquement.');
  } finally {
    engine?.close();
    await shop.close();
  }
}

function demoConfig(shop: SandboxShop, work: string): LoadedConfig {
  const raw = {
    erp: { profile: 'sage100' },
    shop: { url: shop.url, key: shop.key, language: 'fr' },
    paths: {
      drop: path.join(work, 'drop'), archive: path.join(work, 'archive'), outbox: path.join(work, 'outbox'),
      state: path.join(work, 'var', 'state.sqlite'), logs: path.join(work, 'logs'),
    },
    intake: { stableMs: 0 },
  };
  return { ...validateConfig(raw, {}), file: '(démo)' };
}

function quantities(shop: SandboxShop): Map<string, number> {
  const byProduct = new Map<string, number>();
  for (const s of shop.store.list('stock_availables')) {
    if (String(s.id_product_attribute) === '0') byProduct.set(String(s.id_product), Number(s.quantity));
  }
  const out = new Map<string, number>();
  for (const p of shop.store.list('products')) out.set(String(p.reference), byProduct.get(String(p.id)) ?? 0);
  return out;
}
