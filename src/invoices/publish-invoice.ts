// One invoice, from the ERP to the customer's account: its order found, its PDF (with our metadata)
// published at an unguessable address, a message with the link on the order, optionally the order moved
// to invoices.notifyState with the e-mail. Exactly once per content: the same invoice again posts
// nothing; a corrected one (same number, other bytes) replaces the file at its address and posts one new
// message. After a crash the published versions and their messages are known to the state store, and a
// message possibly posted just before the crash is looked for on the order before posting it again.
import { applyOnce } from '../runner/apply-once.ts';
import { crashPoint } from '../testing/crash-points.ts';
import { RecordRejected } from '../errors.ts';
import type { FileContext, LoadOutcome } from '../pipeline.ts';
import { filterEq, type ShopClient } from '../prestashop/client.ts';
import { outboxOrdersByReference } from '../follow-up/erp-seen.ts';
import { orderMessages, postOrderMessage } from '../follow-up/customer-message.ts';
import { moveOrderState } from '../follow-up/order-state.ts';
import { assertStateExists, orderById, ordersByReference, ordersClient, withOrderLock, type ShopOrder } from '../follow-up/shop-orders.ts';
import { idFromDocumentNumber, orderReferenceOf } from '../../transforms/order-status/link.ts';
import { publishedFileName } from '../../transforms/invoices/file-name.ts';
import type { InvoiceMetadata } from '../../transforms/invoices/pdf.ts';
import { invoicePublisher, newToken } from './publish.ts';
import { InvoiceStore } from './store.ts';

export interface InvoiceToPublish {
  invoice: string;
  /** What the ERP gave to find the order: its reference, or our document number WEB000042. */
  orderText: string;
  /** sha256 of the content as the ERP gave it (the PDF's bytes, or the invoice data). */
  version: string;
  /** The PDF to publish, with the metadata set. */
  pdf(meta: InvoiceMetadata, order: ShopOrder, shopName: string): Promise<Uint8Array>;
}

const ENTITY = 'invoice';

export function publishInvoice(ctx: FileContext, inv: InvoiceToPublish): Promise<LoadOutcome> {
  return applyOnce(ctx, {
    entity: ENTITY,
    key: inv.invoice,
    desired: { version: inv.version, order: inv.orderText },
    async write(afterCrash) {
      const order = await findOrder(ctx, inv.orderText);
      return withOrderLock(ctx.state, order.id, () => publishFor(ctx, inv, order, afterCrash));
    },
  });
}

async function publishFor(ctx: FileContext, inv: InvoiceToPublish, order: ShopOrder, afterCrash: boolean): Promise<LoadOutcome> {
  const cfg = ctx.config.invoices;
  const store = new InvoiceStore(ctx.state);
  const link = store.link(inv.invoice);
  if (link && link.id_order !== order.id) {
    throw new RecordRejected(`la facture ${inv.invoice} est déjà publiée pour la commande ${link.id_order} : elle ne peut pas l’être aussi pour la commande ${order.id} (${order.reference})`, inv.invoice);
  }
  const publisher = invoicePublisher(cfg, ctx.log);
  const shopName = cfg.shopName ?? (await shopNameOf(ctx.shop));
  const bytes = await inv.pdf({ title: `Facture ${inv.invoice}`, subject: `Commande ${order.reference}`, author: shopName, keywords: [inv.invoice, order.reference] }, order, shopName);
  const corrected = store.messagedVersions(inv.invoice) > 0 && !store.isMessaged(inv.invoice, inv.version);
  const fileName = link?.file_name ?? publishedFileName(inv.invoice);
  const token = link?.token ?? newToken();
  let url: string;
  try {
    if (ctx.dryRun) url = `${cfg.baseUrl ?? ''}…/${fileName}`;
    else {
      // The address is fixed before the first upload: a crash later cannot give the invoice a second one.
      if (!link) store.saveLink({ invoice: inv.invoice, id_order: order.id, token, file_name: fileName });
      url = (await publisher.publish(token, fileName, bytes)).url;
      store.markPublished(inv.invoice, inv.version);
    }
  } finally {
    await publisher.close();
  }

  if (!store.isMessaged(inv.invoice, inv.version)) {
    const template = corrected ? cfg.correctedMessage : cfg.message;
    const text = template.replaceAll('{invoice}', inv.invoice).replaceAll('{reference}', order.reference).replaceAll('{url}', url);
    const known = await orderMessages(ctx.shop, order.id);
    let messageId: string | undefined;
    if (afterCrash) {
      // Posted just before the crash? More messages with this address than versions we know were messaged.
      const withUrl = known.messages.filter((m) => m.message.includes(url));
      if (withUrl.length > store.messagedVersions(inv.invoice)) messageId = String(withUrl[withUrl.length - 1]!.id);
    }
    messageId ??= await postOrderMessage(ctx.shop, order, text, cfg.employeeId, known);
    crashPoint('invoices.message-posted');
    if (!ctx.dryRun) store.markMessaged(inv.invoice, inv.version, messageId);
  }

  if (!corrected && cfg.notifyState > 0) await notify(ctx, order);
  return corrected ? 'updated' : 'created';
}

/** « Facture disponible »: the configured state with its e-mail, unless the order is there already or
 *  may not move (final, cancelled). */
async function notify(ctx: FileContext, order: ShopOrder): Promise<void> {
  const state = ctx.config.invoices.notifyState;
  await assertStateExists(ctx.shop, state, 'invoices.notifyState');
  const now = (await orderById(ordersClient(ctx), order.id)) ?? order;
  if (now.currentState === state) return;
  const stuck = [...ctx.config.orderStatus.finalStates, ctx.config.orderStatus.map.ANNULE.state].includes(now.currentState);
  if (stuck) {
    ctx.warn(`commande ${now.reference} (id ${now.id}) : facture publiée, mais la commande est à l’état ${now.currentState} : elle n’est pas passée à l’état ${state}`);
    return;
  }
  await moveOrderState(ctx.shop, now.id, state, true);
}

/** The order an invoice belongs to: our document number, else the reference (through the outbox when
 *  the shop holds several orders of that reference). */
async function findOrder(ctx: FileContext, orderText: string): Promise<ShopOrder> {
  const id = idFromDocumentNumber(orderText, ctx.config.orders.documentPrefix);
  if (id !== undefined) {
    const order = await orderById(ordersClient(ctx), id);
    if (!order) throw new RecordRejected(`commande ${id} introuvable dans la boutique (${orderText})`);
    return order;
  }
  const reference = orderReferenceOf(orderText);
  const found = await ordersByReference(ordersClient(ctx), reference);
  if (found.length === 1) return found[0]!;
  if (found.length === 0) throw new RecordRejected(`commande inconnue dans la boutique : référence ${reference}`);
  const exported = outboxOrdersByReference(ctx.state, reference).filter((o) => found.some((f) => f.id === o.id_order));
  if (exported.length === 1) return found.find((f) => f.id === exported[0]!.id_order)!;
  throw new RecordRejected(`la référence ${reference} désigne plusieurs commandes (${found.map((o) => `id ${o.id}`).join(', ')}) : nommez la facture avec le numéro de pièce (${found.map((o) => `${ctx.config.orders.documentPrefix}${String(o.id).padStart(6, '0')}`).join(', ')})`);
}

const shopNames = new WeakMap<ShopClient, Promise<string>>();

function shopNameOf(shop: ShopClient): Promise<string> {
  let p = shopNames.get(shop);
  if (!p) {
    p = shop.list('configurations', { display: ['name', 'value'], filter: { name: filterEq('PS_SHOP_NAME') } })
      .then((rows) => String(rows[0]?.value ?? '') || 'Boutique');
    p.catch(() => shopNames.delete(shop));
    shopNames.set(shop, p);
  }
  return p;
}
