// `prestasync demo`: a sandbox shop, the sample ERP files of config/samples/ (for Sage 100 its master-data
// export first: categories and products), two web orders exported to
// the ERP and followed up (states, parcel number, invoice), and what prestasync did with them — in a fresh
// folder under var/demo/ so it can be run again and again.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { validateConfig, type LoadedConfig } from '../config/load.ts';
import { Engine } from '../engine.ts';
import { createLogger } from '../log.ts';
import { startSandbox, type SandboxShop } from '../sandbox/index.ts';
import { DOCUMENT_FORMATS, PIPELINES } from '../../pipelines/registry.ts';
import { formatRunSummary } from './print.ts';
import { ConfigError } from '../errors.ts';
import { Outbox } from '../state/outbox.ts';
import { DEMO_ORDERS, preview } from './demo-orders.ts';
import { demoFollowUp } from './demo-follow-up.ts';
import { demoCatalogue } from './demo-catalogue.ts';
import { packageRoot } from './root.ts';

const ROOT = packageRoot();

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

export async function demoCommand(o: { erp?: string } = {}): Promise<void> {
  const profile = o.erp ?? 'sage100';
  if (!['sage100', 'ebp', 'divalto'].includes(profile)) throw new ConfigError([`--erp ${profile} : sage100, ebp ou divalto`]);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const work = path.join(ROOT, 'var', 'demo', stamp);
  const out = (s = '') => process.stdout.write(`${s}\n`);
  const shop = await startSandbox({ seed: { products: DEMO_PRODUCTS } });
  let engine: Engine | undefined;
  try {
    out(`Boutique bac à sable (PrestaShop 8.2 simulé) : ${shop.url}/api`);
    out(`Dossier de la démo : ${path.relative(process.cwd(), work) || work}`);
    const loaded = demoConfig(shop, work, profile);
    engine = await Engine.open(loaded, { log: createLogger({ dir: loaded.config.paths.logs, secrets: loaded.secrets, console: false }), pipelines: PIPELINES, documents: DOCUMENT_FORMATS });

    if (profile === 'sage100') await demoCatalogue(engine, shop, path.join(ROOT, 'config', 'samples'), loaded.config.paths.drop, out);

    const samples = path.join(ROOT, 'config', 'samples', profile);
    const files = (await fs.readdir(samples)).filter((f) => !f.startsWith('.'));
    for (const f of files) await fs.copyFile(path.join(samples, f), path.join(loaded.config.paths.drop, f));
    out(`\n1. Export de stock ${loaded.config.erp.profile} déposé dans drop/ : ${files.join(', ')}`);
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

    out('\n3. Deux commandes passées sur la boutique, exportées vers l’ERP :');
    for (const order of DEMO_ORDERS) shop.store.placeOrder(order);
    const exported = await engine.runOnce({ pipeline: 'orders', trigger: 'demo' });
    out(formatRunSummary(exported, { dryRun: false }).trimEnd());
    for (const f of (await fs.readdir(loaded.config.paths.outbox)).filter((x) => !x.startsWith('.')).sort()) {
      const bytes = await fs.readFile(path.join(loaded.config.paths.outbox, f));
      out(`\n   ── ${path.relative(process.cwd(), path.join(loaded.config.paths.outbox, f))} (${bytes.length} octets)`);
      out(preview(f, bytes));
    }
    const reserved = new Outbox(engine.state).reservedByReference();
    out(`\n   Quantités réservées jusqu’à l’accusé de l’ERP (déduites du prochain stock) : ${[...reserved].map(([r, q]) => `${r} ${q}`).join(', ')}`);
    const rerun = await engine.runOnce({ pipeline: 'orders', trigger: 'demo' });
    out(`   Relance de l’export : ${rerun.shop[0]?.report.counts['exportée'] ?? 0} nouvelle commande exportée (une pièce ERP par commande, jamais deux).`);

    out('\n4. L’export de stock suivant, avant que l’ERP n’ait intégré ces commandes :');
    for (const f of files) {
      // The next hourly export: same figures, another file (lines in another order).
      const bytes = await fs.readFile(path.join(samples, f));
      const text = bytes.toString('latin1').split('\r\n');
      const next = [text[0], ...text.slice(1).filter(Boolean).reverse(), ''].join('\r\n');
      await fs.writeFile(path.join(loaded.config.paths.drop, f.replace(/(\.\w+)$/, '_suivant$1')), Buffer.from(next, 'latin1'));
    }
    const beforeNext = quantities(shop);
    const next = await engine.runOnce({ trigger: 'demo' });
    out(formatRunSummary(next, { dryRun: false }).trimEnd());
    for (const [r, q] of reserved) out(`     ${r.padEnd(16)} ${String(beforeNext.get(r)).padStart(5)} → ${String(quantities(shop).get(r)).padStart(5)}  (stock ERP moins ${q} vendu(s) en ligne)`);

    await demoFollowUp(engine, shop, work, out);

    out(`\nRapports et fichiers archivés : ${path.relative(process.cwd(), loaded.config.paths.archive)}`);
    out('Relancer la démo repart d’une boutique neuve ; `npm test` vérifie tout cela automatiquement.');
  } finally {
    engine?.close();
    await shop.close();
  }
}

function demoConfig(shop: SandboxShop, work: string, profile: string): LoadedConfig {
  const raw = {
    erp: { profile },
    shop: { url: shop.url, key: shop.key, language: 'fr' },
    paths: {
      drop: path.join(work, 'drop'), archive: path.join(work, 'archive'), outbox: path.join(work, 'outbox'),
      state: path.join(work, 'var', 'state.sqlite'), logs: path.join(work, 'logs'),
    },
    intake: { stableMs: 0 },
    orders: { since: '2000-01-01' },
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
