// The demo's last steps (issue #10): the ERP processes the two web orders — its document export moves
// the first to « shipped » with a parcel number and the second to « processing » — then prints the first
// one's invoice as a PDF, which is published and linked on the order for the customer.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import type { Engine } from '../engine.ts';
import type { SandboxShop } from '../sandbox/index.ts';
import { Outbox } from '../state/outbox.ts';
import { formatRunSummary } from './print.ts';
import { renderInvoicePdf } from '../../transforms/invoices/render.ts';
import type { InvoiceData } from '../../transforms/invoices/data.ts';

const TRACKING = '6A12345678901';

/** Where the demo publishes invoices, when its configuration does not say (demoConfig may set it). */
export function demoInvoicesConfig(work: string): { folder: string; baseUrl: string } {
  return { folder: path.join(work, 'public', 'factures'), baseUrl: 'https://boutique.example.com/factures/' };
}

export async function demoFollowUp(engine: Engine, shop: SandboxShop, work: string, out: (s?: string) => void): Promise<void> {
  const config = engine.config;
  if (config.invoices.baseUrl === undefined) Object.assign(config.invoices, demoInvoicesConfig(work));
  const exported = new Outbox(engine.state).withStatus('delivered');
  const [first, second] = exported;
  if (!first) return;
  const number = (id: number) => `${config.orders.documentPrefix}${String(id).padStart(6, '0')}`;
  const before = new Map(exported.map((o) => [o.id_order, stateOf(shop, o.id_order)]));

  const today = new Date().toLocaleDateString('fr-FR', { timeZone: config.shop.timezone });
  const file = statusExport(config.erp.profile, today, [
    { id: first.id_order, reference: first.reference, number: number(first.id_order), shipped: true },
    ...(second ? [{ id: second.id_order, reference: second.reference, number: number(second.id_order), shipped: false }] : []),
  ]);
  await fs.writeFile(path.join(config.paths.drop, file.name), file.bytes);
  out(`\n5. L’ERP traite les commandes ; son export des pièces (${file.what}) est déposé dans drop/ : ${file.name}`);
  out(formatRunSummary(await engine.runOnce({ trigger: 'demo' }), { dryRun: false }).trimEnd());
  for (const o of exported) {
    const carrier = shop.store.list('order_carriers').find((c) => Number(c.id_order) === o.id_order);
    const parcel = carrier?.tracking_number ? `, n° de suivi ${String(carrier.tracking_number)}` : '';
    out(`   Commande ${o.reference} : ${before.get(o.id_order)} → ${stateOf(shop, o.id_order)}${parcel}`);
  }
  const mails = shop.requests.filter((r) => r.method === 'POST' && r.path === '/api/order_histories' && r.query.sendemail === '1').length;
  out(`   Changements d’état avec e-mail au client (order_histories?sendemail=1) : ${mails} ; stock : les commandes vues dans l’ERP ne sont plus réservées.`);

  const invoice = `FA${String(first.id_order).padStart(5, '0')}`;
  const pdfName = `${invoice}_${first.reference}.pdf`;
  await fs.writeFile(path.join(config.paths.drop, pdfName), await erpPrintedInvoice(shop, first.id_order, invoice));
  out(`\n6. La facture ${invoice}, imprimée en PDF par l’ERP, est déposée dans drop/ : ${pdfName}`);
  out(formatRunSummary(await engine.runOnce({ trigger: 'demo' }), { dryRun: false }).trimEnd());
  const threads = shop.store.list('customer_threads').filter((t) => Number(t.id_order) === first.id_order).map((t) => String(t.id));
  const message = shop.store.list('customer_messages').filter((m) => threads.includes(String(m.id_customer_thread))).pop();
  const published = await fs.readdir(config.invoices.folder, { recursive: true }).catch(() => [] as string[]);
  const pdf = published.map(String).find((f) => f.endsWith('.pdf'));
  if (pdf) out(`   Publiée sous un nom imprévisible : ${path.relative(process.cwd(), path.join(config.invoices.folder, pdf))}`);
  if (message) out(`   Message visible par le client sur sa commande : « ${String(message.message)} »`);
}

function stateOf(shop: SandboxShop, id: number): string {
  const state = String(shop.store.get('orders', id)?.current_state ?? '');
  const name = (shop.store.get('order_states', Number(state))?.name as Record<string, string> | undefined)?.['1'];
  return `${state}${name ? ` « ${name} »` : ''}`;
}

interface DemoOrder { id: number; reference: string; number: string; shipped: boolean }

/** The ERP's document export in its profile's layout (config/profiles/<erp>.yaml). */
function statusExport(profile: string, date: string, orders: DemoOrder[]): { name: string; bytes: Buffer; what: string } {
  const name = `suivi_commandes_${new Date().toISOString().slice(0, 10).replace(/-/g, '')}.csv`;
  const rows: string[] = [];
  let header: string;
  if (profile === 'ebp') {
    header = 'DocumentNumber;DocumentType;Reference';
    orders.forEach((o, i) => {
      rows.push(`CO${String(i + 1).padStart(5, '0')};8;Document importé n° ${o.number}`);
      if (o.shipped) rows.push(`BL${String(i + 1).padStart(5, '0')};6;Document importé n° ${o.number}`);
    });
  } else if (profile === 'divalto') {
    header = 'PINO;PICOD;PIREF';
    orders.forEach((o, i) => {
      rows.push(`26${String(i + 1).padStart(5, '0')};2;${o.reference}`);
      if (o.shipped) rows.push(`26${String(i + 50).padStart(5, '0')};3;${o.reference}`);
    });
  } else {
    header = 'DO_Piece;DO_Type;DO_Date;DO_NoWeb;DO_Ref;NumSuivi';
    orders.forEach((o, i) => {
      rows.push(`${o.number};1;${date};${o.reference};${o.reference};`);
      if (o.shipped) rows.push(`BL${String(i + 1).padStart(5, '0')};3;${date};${o.reference};${o.reference};${TRACKING}`);
    });
  }
  const what = profile === 'sage100' ? 'bon de commande, puis bon de livraison avec son n° de suivi' : 'bon de commande, puis bon de livraison';
  return { name, bytes: iconv.encode(`${[header, ...rows].join('\r\n')}\r\n`, 'windows-1252'), what };
}

/** A PDF standing for the one the ERP prints, with the order's own lines. */
async function erpPrintedInvoice(shop: SandboxShop, id: number, invoice: string): Promise<Uint8Array> {
  const order = shop.store.get('orders', id)!;
  const address = shop.store.get('addresses', Number(order.id_address_invoice));
  const items = shop.store.list('order_details').filter((d) => Number(d.id_order) === id).map((d) => ({
    reference: String(d.product_reference), designation: String(d.product_name),
    amounts: { quantity: Number(d.product_quantity), unitPrice: Number(d.original_product_price), discountPercent: Number(d.reduction_percent), vatRate: 20, totalCents: Math.round(Number(d.total_price_tax_excl) * 100) },
  }));
  const shipping = Math.round(Number(order.total_shipping_tax_excl) * 100);
  const base = items.reduce((s, i) => s + i.amounts.totalCents, 0) + shipping;
  const vat = Math.round(base * 0.2);
  const data: InvoiceData = {
    line: 1, invoice, date: new Date().toISOString().slice(0, 10), orderText: String(order.reference),
    customer: { name: `${String(address?.firstname ?? '')} ${String(address?.lastname ?? '')}`.trim(), address: String(address?.address1 ?? ''), postcode: String(address?.postcode ?? ''), city: String(address?.city ?? ''), country: 'FR' },
    items, ...(shipping ? { shipping: { cents: shipping, vatRate: 20 } } : {}), vat: [{ rate: 20, baseCents: base, vatCents: vat }],
    totalExclCents: base, totalVatCents: vat, totalInclCents: base + vat,
  };
  const seller = { name: 'Quincaillerie de démonstration', address: ['1 rue de l’ERP', '69000 Lyon'], siret: '', vatNumber: '', footer: ['Document de démonstration.'] };
  return renderInvoicePdf(data, seller, { title: `Facture ${invoice}`, subject: '', author: 'ERP', keywords: [] }, String(order.reference));
}
