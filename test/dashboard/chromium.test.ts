// The dashboard end to end in a real headless Chromium (issue 12): Debian's chromium driven by
// playwright-core. Open the page, see a run, press « Synchroniser maintenant », see the new run, open a
// report, download its rejects, replay the file. The screenshots of docs/ are taken here.
import { expect } from 'chai';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Dashboard } from '../../src/dashboard/server.ts';
import { Service } from '../../src/service.ts';
import { Outbox } from '../../src/state/outbox.ts';
import type { Engine } from '../../src/engine.ts';
import { makeWorkspace, type Workspace } from '../support/workspace.ts';

const CHROMIUM = process.env.PRESTASYNC_CHROMIUM ?? '/usr/bin/chromium';
const DOCS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs');
/** An upper bound for a page to show what it waits for, never a pause: the waits end on the event. */
const WAIT = { timeout: 60_000 };

const PRODUCTS = [
  { reference: 'VIS-4X40', name: 'Vis agglo 4x40 (boîte de 200)', quantity: 5 },
  { reference: 'ÉCROU-M6', name: 'Écrou M6 inox', quantity: 0 },
  { reference: 'CHEVILLE-6', name: 'Cheville nylon 6 mm', quantity: 3 },
];

function fileId(engine: Engine, name: string): number {
  return engine.state.sql.prepare<[string], { id: number }>('SELECT id FROM files WHERE name = ? ORDER BY id LIMIT 1').get(name)!.id;
}

async function shot(page: Page, name: string): Promise<void> {
  await fs.mkdir(DOCS, { recursive: true });
  await page.screenshot({ path: path.join(DOCS, `${name}.png`), fullPage: true });
}

/** What an installation that has run for a while holds: orders in each state, a reconciliation. */
async function seedOrdersAndReconcile(engine: Engine, ws: Workspace): Promise<void> {
  const outbox = new Outbox(engine.state);
  const order = (id: number, reference: string, file: string) => ({ idOrder: id, reference, shopState: 2, payload: {}, fileName: file, lines: [{ reference: 'COLLE-PU', quantity: 2 }] });
  outbox.addPending([order(101, 'XKBKNABJK', 'CMD_101.txt'), order(102, 'OHSATSERP', 'CMD_102.txt'), order(103, 'QDLMSPFGE', 'CMD_103.txt'), order(104, 'FFATNOMMJ', 'CMD_104.txt')]);
  outbox.markWritten('CMD_102.txt');
  outbox.markWritten('CMD_103.txt');
  outbox.acknowledge(103, 'erp');
  outbox.markWritten('CMD_104.txt');
  outbox.startCancellation(104, 'ANNUL_104.txt', 6, new Date().toISOString());
  outbox.hold(105, 'GWJEYRNDE', 2, 'total de la commande (120,00 €) différent de la somme de ses lignes (118,50 €)');
  const dir = path.join(ws.archive, 'reconcile');
  await fs.mkdir(dir, { recursive: true });
  const rec = {
    at: new Date().toISOString(), checked: 3,
    drifts: [
      { entity: 'stock', key: 'VIS-4X40', field: 'quantity', erp: '48', shop: '45', kind: 'modifié' },
      { entity: 'product', key: 'CHEVILLE-6', field: 'price', erp: '4.90', shop: '=4.50', kind: 'modifié' },
    ],
    counts: { stock: { checked: 3, drifted: 1 }, product: { checked: 3, drifted: 1 } },
  };
  await fs.writeFile(path.join(dir, 'latest.json'), JSON.stringify(rec));
}

describe('dashboard in a real headless Chromium', function () {
  this.timeout(180_000);
  let ws: Workspace;
  let engine: Engine;
  let service: Service;
  let dashboard: Dashboard;
  let browser: Browser;
  let page: Page;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      (ignoré : pas de Chromium en ${CHROMIUM} — « apt-get install chromium », ou PRESTASYNC_CHROMIUM=<chemin> ; la CI l'installe)`);
      this.skip();
    }
    ws = await makeWorkspace({ products: PRODUCTS });
    await ws.dropStock('stock_20261201.csv', [
      ['VIS-4X40', '1', '40', '2'], ['ÉCROU-M6', '1', '7', '0'], ['INCONNU-1', '1', '5', '0'], ['CHEVILLE-6', '1', 'douze', '0'],
    ]);
    await fs.writeFile(path.join(ws.drop, 'notes-reunion.docx'), Buffer.from('PK\u0003\u0004 pas pour nous'));
    engine = await ws.engine();
    await engine.runOnce({ trigger: 'schedule:hourly' });
    await seedOrdersAndReconcile(engine, ws);
    // The service's queue, not started: no watcher or schedule runs on its own during the test.
    service = new Service(engine);
    dashboard = await Dashboard.start({ engine, enqueue: (t) => service.enqueue(t), pending: () => service.pending() }, { port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', acceptDownloads: true });
  });

  after(async () => {
    await browser?.close();
    await dashboard?.close();
    await ws?.close();
  });

  it('shows each flow with its last run, its counts and its state', async () => {
    await page.goto(dashboard.url);
    const stock = page.locator('tr[data-pipeline="stock"]');
    await expect(await stock.textContent()).to.match(/partiel/);
    expect(await stock.textContent()).to.match(/2 rejetés/);
    expect(await page.locator('tr[data-pipeline="orders"]').textContent()).to.match(/jamais exécuté/);
    await shot(page, 'tableau-de-bord-flux');
  });

  it('« Synchroniser maintenant » runs the flow through the queue and the new run appears', async () => {
    await page.goto(`${dashboard.url}/executions`);
    expect(await page.locator('tr.run').count()).to.equal(1);
    // Only a key the first file rejected: replaying the first file later must find nothing to write.
    await ws.dropStock('stock_20261202.csv', [['CHEVILLE-6', '1', '9', '0']], 'stock');
    await page.goto(dashboard.url);
    await page.locator('tr[data-pipeline="stock"] button', { hasText: 'Synchroniser maintenant' }).click();
    await page.waitForURL(/\/executions\?demande=stock/);
    // The page reloads itself while the run is under way; the wait ends when the run is listed.
    await page.locator('tr.run', { hasText: 'stock_20261202.csv' }).waitFor(WAIT);
    const run = page.locator('tr.run', { hasText: 'stock_20261202.csv' });
    expect(await run.textContent()).to.match(/dashboard/);
    expect(await run.textContent()).to.match(/traité/);
    expect(ws.quantityOf('CHEVILLE-6')).to.equal(9);
    await shot(page, 'tableau-de-bord-executions');
  });

  it('opens a report with its rejects (line, key, reason) and downloads them as an Excel CSV', async () => {
    await page.goto(`${dashboard.url}/executions`);
    await page.locator('a', { hasText: 'stock_20261201.csv' }).click();
    await page.locator('h1', { hasText: 'stock_20261201.csv' }).waitFor(WAIT);
    const rows = page.locator('table.rejects tbody tr');
    expect(await rows.count()).to.equal(2);
    expect(await rows.nth(0).textContent()).to.match(/^4\s*INCONNU-1\s*référence inconnue/);
    await shot(page, 'tableau-de-bord-rapport');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a', { hasText: 'Télécharger les rejets (CSV)' }).click()]);
    expect(download.suggestedFilename()).to.equal('stock_20261201.csv.rejets.csv');
    const csv = await fs.readFile((await download.path())!);
    expect(csv.subarray(0, 3)).to.deep.equal(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.toString('utf8')).to.contain('ligne;clé;motif;flux\r\n4;INCONNU-1;');
    const [archived] = await Promise.all([page.waitForEvent('download'), page.locator('a', { hasText: 'Télécharger le fichier archivé' }).click()]);
    expect((await fs.readFile((await archived.path())!)).toString('latin1')).to.contain('INCONNU-1;1;5;0');
  });

  it('« Rejouer » replays the file through its flow: its own report, linked to the original, no write', async () => {
    const writes = ws.shop.writeCount();
    const original = fileId(engine, 'stock_20261201.csv');
    await page.goto(`${dashboard.url}/fichiers/${original}`);
    await page.locator('button', { hasText: 'Rejouer' }).click();
    await page.locator('ul.replays li a').first().waitFor(WAIT);
    await page.locator('ul.replays li a').first().click();
    await page.locator('a', { hasText: 'stock_20261201.csv' }).first().waitFor(WAIT);
    expect(await page.locator('main').textContent()).to.match(new RegExp(`Rejeu de\\s*#${original} stock_20261201\\.csv`));
    expect(await page.locator('.summary').textContent()).to.match(/traité partiellement/);
    expect(ws.shop.writeCount(), 'unchanged records make no write').to.equal(writes);
  });

  it('shows the quarantine with its reason, the orders by state and the reconciliation', async () => {
    await page.goto(`${dashboard.url}/quarantaine`);
    const q = page.locator('tr.file', { hasText: 'notes-reunion.docx' });
    expect(await q.textContent()).to.match(/non reconnu/);
    expect(await q.locator('button', { hasText: 'Rejouer' }).count()).to.equal(1);
    await shot(page, 'tableau-de-bord-quarantaine');

    await page.goto(`${dashboard.url}/commandes`);
    expect(await page.locator('section[data-group="held"]').textContent()).to.match(/GWJEYRNDE[\s\S]*différent de la somme/);
    expect(await page.locator('section[data-group="held"] button', { hasText: 'Relancer' }).count()).to.equal(1);
    expect(await page.locator('section[data-group="exported"]').textContent()).to.match(/OHSATSERP[\s\S]*CMD_102\.txt/);
    expect(await page.locator('section[data-group="waiting"]').textContent()).to.contain('XKBKNABJK');
    expect(await page.locator('section[data-group="acknowledged"]').textContent()).to.contain('QDLMSPFGE');
    expect(await page.locator('section[data-group="cancelledAfterExport"]').textContent()).to.match(/FFATNOMMJ[\s\S]*ANNUL_104\.txt/);
    await shot(page, 'tableau-de-bord-commandes');

    await page.goto(`${dashboard.url}/reconciliation`);
    expect(await page.locator('table.drifts tbody tr').count()).to.equal(2);
    expect(await page.locator('table.drifts').textContent()).to.match(/VIS-4X40[\s\S]*48[\s\S]*45/);
    await shot(page, 'tableau-de-bord-reconciliation');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a', { hasText: 'Télécharger le CSV' }).click()]);
    expect((await fs.readFile((await download.path())!)).toString('utf8')).to.contain("product;CHEVILLE-6;price;4.90;'=4.50;modifié");
  });

  it('switches to English and back', async () => {
    await page.goto(dashboard.url);
    await page.locator('a', { hasText: 'English' }).click();
    await page.locator('button', { hasText: 'Synchronise now' }).first().waitFor(WAIT);
    await page.locator('a', { hasText: 'Français' }).click();
    await page.locator('button', { hasText: 'Synchroniser maintenant' }).first().waitFor(WAIT);
  });
});
