// Invoices from the ERP, end to end against the sandbox shop: a PDF published under an unguessable
// address, one customer message with the link, the order moved to the configured state; corrupt PDFs
// quarantined; nothing posted twice; a corrected invoice replacing the file; invoice data rendered.
import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { FileReport } from '../../src/report.ts';
import { listTree, makeWorkspace, type Workspace } from '../support/workspace.ts';
import { webOrder } from '../support/orders.ts';
import { startTestSshd } from '../support/sshd.ts';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import { invoiceRequestHandler } from '../../src/invoices/serve.ts';

const PRODUCTS = [{ reference: 'VIS-4X40', quantity: 50 }, { reference: 'CHEVILLE-6', quantity: 50 }];
const BASE_URL = 'https://boutique.example.com/factures/';
const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'prestasync.js');

/** `prestasync run` in a child that kills itself (SIGKILL) at the named crash point. */
function runChild(configFile: string, cwd: string, crashAt?: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  const env = { ...process.env, ...(crashAt ? { PRESTASYNC_CRASH_AT: crashAt } : {}) };
  const child = spawn(process.execPath, [BIN, 'run', '--config', configFile], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, output })));
}

/** A one-page PDF as an ERP prints it. */
async function erpPdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage();
  page.drawText(text, { x: 50, y: 700, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  doc.setTitle('Document Sage');
  return Buffer.from(await doc.save());
}

async function encryptedPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage();
  const text = Buffer.from(await doc.save({ useObjectStreams: false })).toString('latin1');
  return Buffer.from(text.replace(/trailer\n<<\n?/, (m) => `${m}/Encrypt << /Filter /Standard /V 1 /R 2 /O (x) /U (y) /P -4 >>\n`), 'latin1');
}

async function report(ws: Workspace, name: string): Promise<FileReport> {
  const file = (await listTree(ws.archive)).find((f) => f.endsWith(`/${name}.report.json`));
  expect(file, `report of ${name}`).to.be.a('string');
  return JSON.parse(await fs.readFile(path.join(ws.archive, file!), 'utf8')) as FileReport;
}

describe('invoices from the ERP (sandbox shop)', function () {
  this.timeout(30000);
  let ws: Workspace;
  let publicDir: string;
  afterEach(async () => { await ws.close(); });

  async function setup(invoices: Record<string, unknown> = {}, profile = 'sage100'): Promise<void> {
    ws = await makeWorkspace({ products: PRODUCTS, config: { erp: { profile }, orders: { since: '2000-01-01' }, invoices: { baseUrl: BASE_URL, ...invoices } } });
    publicDir = path.join(ws.root, 'public');
    // The engine config keeps relative paths as given: point the folder at the workspace.
    ws.loaded.config.invoices.folder = publicDir;
  }

  const order = (i: number) => {
    const id = ws.shop.store.placeOrder(webOrder(i));
    return { id, reference: String(ws.shop.store.get('orders', id)!.reference) };
  };
  const messagesOf = (id: number) => {
    const threads = ws.shop.store.list('customer_threads').filter((t) => Number(t.id_order) === id).map((t) => String(t.id));
    return ws.shop.store.list('customer_messages').filter((m) => threads.includes(String(m.id_customer_thread)));
  };
  const published = async () => (await listTree(publicDir).catch(() => [])).filter((f) => !path.basename(f).startsWith('.'));

  it('publishes a dropped PDF under a random address, links it in one customer message and moves the order to the configured state', async () => {
    await setup();
    const engine = await ws.engine();
    await engine.ensureConnected();
    const invoiceState = await engine.shop.create('order_states', {
      name: engine.shop.lang('Facture disponible'), template: engine.shop.lang('invoice'), send_email: '1', invoice: '1', logable: '1', paid: '1',
      color: '#32CD32', unremovable: '0', hidden: '0', delivery: '0', shipped: '0', deleted: '0', module_name: '', pdf_invoice: '0', pdf_delivery: '0',
    });
    ws.loaded.config.invoices.notifyState = Number(invoiceState.id);
    const o = order(1);
    const source = await erpPdf('FACTURE FA00123');
    await fs.writeFile(path.join(ws.drop, `FA00123_${o.reference}.pdf`), source);
    const run = await engine.runOnce();
    expect(run.exitCode).to.equal(0);
    const r = await report(ws, `FA00123_${o.reference}.pdf`);
    expect(r).to.include({ pipeline: 'invoices', status: 'done' });
    expect(r.records).to.deep.include({ read: 1, created: 1, rejected: 0 });

    const files = await published();
    expect(files).to.have.length(1);
    expect(files[0]).to.match(/^[0-9a-f]{32}\/FA00123\.pdf$/);
    const token = files[0]!.split('/')[0]!;
    const firstBytes = await fs.readFile(path.join(publicDir, files[0]!));
    const pdf = await PDFDocument.load(firstBytes);
    expect(pdf.getPageCount()).to.equal(1);
    expect(pdf.getTitle()).to.equal('Facture FA00123');
    expect(pdf.getSubject()).to.equal(`Commande ${o.reference}`);
    expect(pdf.getAuthor()).to.equal('PrestaSync Sandbox');

    const messages = messagesOf(o.id);
    expect(messages).to.have.length(1);
    expect(messages[0]).to.include({ private: '0', id_employee: '1', message: `Votre facture FA00123 est disponible : ${BASE_URL}${token}/FA00123.pdf` });
    const thread = ws.shop.store.list('customer_threads').find((t) => Number(t.id_order) === o.id)!;
    expect(thread).to.include({ id_customer: String(ws.shop.store.get('orders', o.id)!.id_customer), status: 'closed' });
    expect(String(thread.token)).to.match(/^[A-Za-z0-9]{12}$/);
    expect(Number(ws.shop.store.get('orders', o.id)!.current_state)).to.equal(Number(invoiceState.id));
    const post = ws.shop.requests.find((q) => q.method === 'POST' && q.path === '/api/order_histories');
    expect(post?.query).to.deep.equal({ sendemail: '1' });

    // The same invoice again: a duplicate, nothing posted.
    const writes = ws.shop.writeCount();
    await fs.writeFile(path.join(ws.drop, `FA00123_${o.reference}.pdf`), source);
    expect((await engine.runOnce()).files[0]!.outcome.status).to.equal('duplicate');
    expect(ws.shop.writeCount()).to.equal(writes);
    expect(messagesOf(o.id)).to.have.length(1);

    // A corrected invoice: same number, new bytes — the file at the same address replaced, one new message.
    const corrected = await erpPdf('FACTURE FA00123 (rectifiée)');
    await fs.writeFile(path.join(ws.drop, `FA00123_${o.reference}.pdf`), corrected);
    const again = await engine.runOnce();
    expect(again.files[0]!.outcome.status).to.equal('done');
    expect(await published()).to.deep.equal(files);
    const republished = await PDFDocument.load(await fs.readFile(path.join(publicDir, files[0]!)));
    expect(republished.getTitle()).to.equal('Facture FA00123');
    expect((await fs.readFile(path.join(publicDir, files[0]!))).equals(firstBytes), 'the corrected version replaced the first').to.equal(false);
    const after = messagesOf(o.id);
    expect(after).to.have.length(2);
    expect(after[1]!.message).to.equal(`Votre facture FA00123 a été corrigée ; la version à jour est disponible : ${BASE_URL}${token}/FA00123.pdf`);
    expect(ws.shop.requests.filter((q) => q.method === 'POST' && q.path === '/api/order_histories'), 'the state mail once').to.have.length(1);
  });

  it('quarantines a PDF that is not readable, cut short or encrypted, and writes nothing', async () => {
    await setup();
    const o = order(1);
    const good = await erpPdf('FACTURE');
    await fs.writeFile(path.join(ws.drop, `FA1_${o.reference}.pdf`), Buffer.from('%PDF-1.7\nce n’est pas un PDF\n%%EOF\n'));
    await fs.writeFile(path.join(ws.drop, `FA2_${o.reference}.pdf`), good.subarray(0, Math.floor(good.length / 2)));
    await fs.writeFile(path.join(ws.drop, `FA3_${o.reference}.pdf`), await encryptedPdf());
    await fs.writeFile(path.join(ws.drop, `FA4_${o.reference}.pdf`), Buffer.from('MZ\x90\x00 not a pdf at all'));
    const run = await (await ws.engine()).runOnce();
    expect(run.exitCode).to.equal(1);
    expect(run.files.map((f) => f.outcome.status)).to.deep.equal(['quarantined', 'quarantined', 'quarantined', 'quarantined']);
    expect((await report(ws, `FA1_${o.reference}.pdf`)).reason).to.match(/PDF illisible/);
    expect((await report(ws, `FA2_${o.reference}.pdf`)).reason).to.match(/PDF incomplet/);
    expect((await report(ws, `FA3_${o.reference}.pdf`)).reason).to.match(/PDF chiffré/);
    expect((await report(ws, `FA4_${o.reference}.pdf`)).reason).to.match(/ce n’est pas un PDF/);
    const kept = (await listTree(path.join(ws.archive, 'quarantine'))).filter((f) => f.endsWith('.pdf'));
    expect(kept).to.have.length(4);
    expect(ws.shop.writeCount()).to.equal(0);
    expect(await published()).to.deep.equal([]);
  });

  it('renders invoice data as one PDF page per invoice that pdf-lib reads back, and posts nothing for the same data again', async () => {
    await setup({ seller: { name: 'Quincaillerie Martin SARL', address: ['3 avenue Jean Jaurès', '69007 Lyon'], siret: '12345678900012', vatNumber: 'FR12123456789', footer: ['Paiement à réception.'] } });
    const a = order(1);
    const b = order(2);
    const header = 'DO_Piece;DO_Date;DO_NoWeb;CT_Intitule;CT_Adresse;CT_CodePostal;CT_Ville;AR_Ref;DL_Design;DL_Qte;DL_PrixUnitaire;DL_Taxe1;DL_MontantHT';
    const rows = [
      `FA00200;28/11/2026;${a.reference};Hélène Dupré;1 rue de la Forêt;69003;Lyon;VIS-4X40;Vis à bois 4×40;3;8,25;20;22,28`,
      `FA00200;28/11/2026;${a.reference};Hélène Dupré;1 rue de la Forêt;69003;Lyon;PORT;Frais de port;1;6,50;20;6,50`,
      `FA00201;28/11/2026;${b.reference};Hélène Duprée;2 rue de la Forêt;69003;Lyon;CHEVILLE-6;Cheville nylon Ø6 — sachet « pro »;2;4,90;20;9,80`,
    ];
    const write = (name: string, lines: string[]) => fs.writeFile(path.join(ws.drop, name), iconv.encode(`${[header, ...lines].join('\r\n')}\r\n`, 'windows-1252'));
    await write('factures_20261128.csv', rows);
    const engine = await ws.engine();
    const run = await engine.runOnce();
    expect(run.exitCode).to.equal(0);
    expect((await report(ws, 'factures_20261128.csv')).records).to.deep.include({ read: 3, created: 2, rejected: 0 });
    const files = (await published()).sort();
    expect(files.map((f) => path.basename(f)).sort()).to.deep.equal(['FA00200.pdf', 'FA00201.pdf']);
    for (const [f, o] of [[files.find((x) => x.endsWith('FA00200.pdf'))!, a], [files.find((x) => x.endsWith('FA00201.pdf'))!, b]] as const) {
      const pdf = await PDFDocument.load(await fs.readFile(path.join(publicDir, f)));
      expect(pdf.getPageCount()).to.equal(1);
      expect(pdf.getTitle()).to.equal(`Facture ${path.basename(f, '.pdf')}`);
      expect(pdf.getSubject()).to.equal(`Commande ${o.reference}`);
      expect(pdf.getAuthor()).to.equal('PrestaSync Sandbox');
      expect(messagesOf(o.id)).to.have.length(1);
    }
    // The next export: the same invoices, lines in another order. Nothing posted, nothing republished.
    const writes = ws.shop.writeCount();
    await write('factures_20261128_bis.csv', [rows[2]!, rows[0]!, rows[1]!]);
    const next = await engine.runOnce();
    expect(next.files[0]!.outcome.status).to.equal('done');
    expect((await report(ws, 'factures_20261128_bis.csv')).records).to.deep.include({ unchanged: 2 });
    expect(ws.shop.writeCount()).to.equal(writes);
  });

  it('names a PDF through the index CSV; a PDF that arrives before its index waits for it', async () => {
    await setup();
    const o = order(1);
    const engine = await ws.engine();
    await fs.writeFile(path.join(ws.drop, 'scan_0001.pdf'), await erpPdf('FACTURE FA00300'));
    const first = await engine.runOnce();
    expect(first.files[0]!.outcome).to.deep.include({ status: 'deferred' });
    expect('reason' in first.files[0]!.outcome && first.files[0]!.outcome.reason).to.contain('il attend l’index (Fichier;Facture;Commande)');
    await fs.writeFile(path.join(ws.drop, 'index_factures.csv'), iconv.encode(`Fichier;Facture;Commande\r\nscan_0001.pdf;FA00300;${o.reference}\r\n`, 'windows-1252'));
    const second = await engine.runOnce();
    expect(second.files.map((f) => [f.name, f.outcome.status])).to.deep.equal([['scan_0001.pdf', 'deferred'], ['index_factures.csv', 'done']]);
    const third = await engine.runOnce();
    expect(third.files.map((f) => [f.name, f.outcome.status])).to.deep.equal([['scan_0001.pdf', 'done']]);
    expect((await published()).map((f) => path.basename(f))).to.deep.equal(['FA00300.pdf']);
    expect(messagesOf(o.id)).to.have.length(1);
  });

  it('publishes by SFTP to the shop\'s host, replacing a corrected invoice at its address', async () => {
    const sshd = await startTestSshd();
    try {
      const folder = path.join(sshd.root, 'factures');
      await fs.mkdir(folder);
      await setup({ publish: 'sftp', sftp: { host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKeyPath, hostKeySha256: sshd.hostKeySha256, folder } });
      const o = order(1);
      const engine = await ws.engine();
      await fs.writeFile(path.join(ws.drop, `FA00400_${o.reference}.pdf`), await erpPdf('v1'));
      expect((await engine.runOnce()).exitCode).to.equal(0);
      const [file] = (await listTree(folder)).filter((f) => !path.basename(f).startsWith('.'));
      expect(file).to.match(/^[0-9a-f]{32}\/FA00400\.pdf$/);
      const v1 = await fs.readFile(path.join(folder, file!));
      await fs.writeFile(path.join(ws.drop, `FA00400_${o.reference}.pdf`), await erpPdf('v2, corrigée'));
      expect((await engine.runOnce()).exitCode).to.equal(0);
      expect((await listTree(folder)).filter((f) => !path.basename(f).startsWith('.'))).to.deep.equal([file]);
      const v2 = await fs.readFile(path.join(folder, file!));
      expect(v2.equals(v1)).to.equal(false);
      expect((await PDFDocument.load(v2)).getAuthor()).to.equal('PrestaSync Sandbox');
      expect(messagesOf(o.id)).to.have.length(2);
    } finally {
      await sshd.stop();
    }
  });

  it('dry run: plans the message, publishes nothing', async () => {
    await setup();
    const o = order(1);
    await fs.writeFile(path.join(ws.drop, `FA00500_${o.reference}.pdf`), await erpPdf('FACTURE'));
    const run = await (await ws.engine({ dryRun: true })).runOnce();
    const outcome = run.files[0]!.outcome;
    expect(outcome.status).to.equal('done');
    expect('report' in outcome && outcome.report.plannedWrites?.map((w) => `${w.method} ${w.resource}`)).to.deep.equal(['POST customer_threads', 'POST customer_messages']);
    expect(await published()).to.deep.equal([]);
    expect(messagesOf(o.id)).to.deep.equal([]);
  });

  it('says what to configure when invoices.baseUrl is missing', async () => {
    ws = await makeWorkspace({ products: PRODUCTS });
    const o = order(1);
    await fs.writeFile(path.join(ws.drop, `FA00600_${o.reference}.pdf`), await erpPdf('FACTURE'));
    const err = await (await ws.engine()).runOnce().then(() => undefined, (e: unknown) => e as Error);
    expect(err?.message).to.contain('invoices.baseUrl : requis pour publier les factures');
    expect(ws.shop.writeCount()).to.equal(0);
  });

  it('kill -9 right after the customer message is posted: the next run finds it and posts no second one', async () => {
    await setup();
    // The child reads the configuration file: the published folder must be in it.
    const raw = JSON.parse(await fs.readFile(ws.configFile, 'utf8')) as { invoices: Record<string, unknown> };
    raw.invoices.folder = publicDir;
    await fs.writeFile(ws.configFile, JSON.stringify(raw));
    const o = order(1);
    await fs.writeFile(path.join(ws.drop, `FA00700_${o.reference}.pdf`), await erpPdf('FACTURE'));
    const killed = await runChild(ws.configFile, ws.root, 'invoices.message-posted');
    expect(killed.signal, killed.output).to.equal('SIGKILL');
    expect(messagesOf(o.id)).to.have.length(1);
    const again = await runChild(ws.configFile, ws.root);
    expect(again.code, again.output).to.equal(0);
    expect(messagesOf(o.id)).to.have.length(1);
    expect(await published()).to.have.length(1);
  });

  it('serve: answers a published invoice read only, and nothing else', async () => {
    await setup({ publish: 'serve' });
    const o = order(1);
    await fs.writeFile(path.join(ws.drop, `FA00800_${o.reference}.pdf`), await erpPdf('FACTURE'));
    expect((await (await ws.engine()).runOnce()).exitCode).to.equal(0);
    const [file] = await published();
    const handler = invoiceRequestHandler(publicDir, '/factures/');
    const server = http.createServer((req, res) => { void handler(req, res); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const get = async (p: string, method = 'GET') => {
      const res = await fetch(`http://127.0.0.1:${port}${p}`, { method });
      return { status: res.status, type: res.headers.get('content-type'), referrer: res.headers.get('referrer-policy'), body: Buffer.from(await res.arrayBuffer()) };
    };
    try {
      const ok = await get(`/factures/${file}`);
      expect(ok).to.include({ status: 200, type: 'application/pdf', referrer: 'no-referrer' });
      expect(ok.body.equals(await fs.readFile(path.join(publicDir, file!)))).to.equal(true);
      const token = file!.split('/')[0]!;
      for (const p of ['/factures/', `/factures/${token}/`, `/factures/${token}`, `/factures/${'0'.repeat(32)}/FA00800.pdf`, `/factures/${token}/..%2F..%2Fetc%2Fpasswd`, `/factures/${token}/.FA00800.pdf.tmp`, `/autre/${file}`]) {
        expect((await get(p)).status, p).to.equal(404);
      }
      expect((await get(`/factures/${file}`, 'DELETE')).status).to.equal(405);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
