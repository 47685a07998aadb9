// Order states from the ERP — hourly. The ERP's document export (one line per document: BC, PL, BL, FA)
// → the shop order's state, its parcel numbers, and the ERP's acknowledgement of exported orders.
//   source:    drop/order-status/ or a file named per the ERP profile (Sage: DO_Piece;DO_Type;DO_Date;DO_NoWeb;DO_Ref;NumSuivi)
//   parse:     delimited text, in the profile's encoding
//   transform: row → stage of one web order                                  transforms/order-status/line.ts
//   combine:   lines → one record per web order (furthest stage, every parcel once), linked by our
//              document number (WEB000042) or the outbox's reference; the outbox acknowledged for each
//   load:      tracking on order_carriers, then POST order_histories[?sendemail=1] — only forward,
//              only when the state differs                                     src/follow-up/
//   resources: orders, order_states, order_histories (read, POST), order_carriers (read, write)
import { applyOnce } from '../src/runner/apply-once.ts';
import { crashPoint } from '../src/testing/crash-points.ts';
import { ConfigError, RecordRejected } from '../src/errors.ts';
import type { FileContext, FilePipeline, Keyed, LoadOutcome, Transformed } from '../src/pipeline.ts';
import type { OrderStatusFlowProfile } from '../src/erp/profile.ts';
import { readFlowBatches } from '../src/erp/read-flow.ts';
import type { Row } from '../src/parse/row.ts';
import { Outbox } from '../src/state/outbox.ts';
import { exportedButUnseen, outboxOrdersByReference, recordSeen } from '../src/follow-up/erp-seen.ts';
import { assertStateExists, orderById, ordersByReference, ordersClient, withOrderLock, type ShopOrder } from '../src/follow-up/shop-orders.ts';
import { moveOrderState } from '../src/follow-up/order-state.ts';
import { addTracking } from '../src/follow-up/tracking.ts';
import { toStatusLine, type StatusLine } from '../transforms/order-status/line.ts';
import { followUpOf, type OrderFollowUp } from '../transforms/order-status/group.ts';
import { decideState } from '../transforms/order-status/decide.ts';
import { STAGE_LABEL, type ErpStage } from '../transforms/order-status/stages.ts';

const ENTITY = 'order-status';
const MAX_LISTED = 30;

type Line = StatusLine | { ignored: true };

export const orderStatus: FilePipeline<Row, Line, OrderFollowUp> = {
  kind: 'file',
  name: 'order-status',
  title: 'États des commandes depuis l’ERP',
  schedule: 'hourly',
  // order_histories is POSTed (never PATCHed): listed with the reads, see the report to the lead.
  resources: ['orders', 'order_states', 'order_histories', 'order_carriers'],
  writes: ['order_carriers'],
  dependsOn: ['orders'],

  parse: (file, ctx) => readFlowBatches(file, statusFlow(ctx), ctx),

  transform(row, ctx): Transformed<Line> {
    const t = toStatusLine(row, statusFlow(ctx), ctx.config.orders.documentPrefix);
    if (t.kind === 'reject') return { line: row.line, ...(t.key !== undefined ? { key: t.key } : {}), reject: t.reject };
    if (t.kind === 'ignored') return { line: row.line, key: '', record: { ignored: true } };
    return { line: row.line, key: t.value.reference ?? t.value.document, record: t.value };
  },

  async *combine(lines, ctx) {
    const linked = new Linker(ctx);
    let ignored = 0;
    for await (const batch of lines) for (const l of batch) {
      if ('ignored' in l.record) ignored++;
      else {
        const reject = linked.add(l.record);
        if (reject) yield reject;
      }
    }
    if (ignored > 0) ctx.warn(`${ignored} ligne(s) sans commande web (ni numéro ${ctx.config.orders.documentPrefix}…, ni référence de commande) ignorée(s)`);
    const map = ctx.config.orderStatus.map;
    const acknowledged: string[] = [];
    const outbox = new Outbox(ctx.state);
    for (const group of linked.groups()) {
      const rec = followUpOf(group, map);
      if (rec.idOrder !== undefined) {
        const row = outbox.get(rec.idOrder);
        if (row && row.acked_at === null && ['pending', 'written', 'delivered'].includes(row.status)) {
          acknowledged.push(`${row.reference} (id ${row.id_order})`);
        }
        if (!ctx.dryRun) {
          // The ERP has the order in its figures: the stock flow stops holding its units back (issue #3).
          outbox.acknowledge(rec.idOrder, 'erp');
          recordSeen(ctx.state, { idOrder: rec.idOrder, ...(rec.reference ? { reference: rec.reference } : {}), stage: rec.furthest, documents: rec.documents });
        }
      }
      yield { line: rec.line, key: keyOf(rec, ctx), record: rec };
    }
    if (acknowledged.length > 0) {
      ctx.warn(`${acknowledged.length} commande(s) ${ctx.dryRun ? 'seraient prises' : 'prise(s)'} en compte par l’ERP, réservation de stock levée : ${listed(acknowledged)}`);
    }
    warnUnseen(ctx);
  },

  load: (rec, ctx) => applyFollowUp(rec, ctx),
};

function statusFlow(ctx: FileContext): OrderStatusFlowProfile {
  const flow = ctx.profile.flows['order-status'];
  if (flow === undefined) {
    throw new ConfigError([`erp.flows.order-status : le profil ${ctx.profile.name} ne décrit pas l'export des pièces de l'ERP (patterns, colonnes, types)`]);
  }
  return flow;
}

function keyOf(rec: OrderFollowUp, ctx: FileContext): string {
  return rec.reference ?? `${ctx.config.orders.documentPrefix}${String(rec.idOrder ?? 0).padStart(6, '0')}`;
}

function listed(items: string[]): string {
  return items.length <= MAX_LISTED ? items.join(', ') : `${items.slice(0, MAX_LISTED).join(', ')} et ${items.length - MAX_LISTED} autre(s)`;
}

function warnUnseen(ctx: FileContext): void {
  const { ackDelayHours } = ctx.config.orders;
  for (const o of exportedButUnseen(ctx.state, ackDelayHours, ctx.config.orderStatus.unseenWarningDays)) {
    ctx.warn(`commande exportée mais pas encore vue dans l’ERP : ${o.reference} (id ${o.id_order}, exportée le ${new Date(o.written_at).toLocaleString('fr-FR', { timeZone: ctx.config.shop.timezone })}, il y a plus de ${ackDelayHours} h) : vérifiez son import dans l’ERP`);
  }
}

/** Links each line to a web order: our document number first, else the reference through the outbox
 *  (or another line of the file that carries both); what stays unlinked is looked up in the shop at load. */
class Linker {
  private readonly byKey = new Map<string, StatusLine[]>();
  private readonly idOfReference = new Map<string, number>();
  private readonly outbox: Outbox;

  constructor(private readonly ctx: FileContext) {
    this.outbox = new Outbox(ctx.state);
  }

  add(l: StatusLine): Transformed<OrderFollowUp> | undefined {
    const key = l.reference ?? l.document;
    if (l.idOrder !== undefined) {
      const row = this.outbox.get(l.idOrder);
      if (row && l.reference && row.reference.toUpperCase() !== l.reference) {
        return { line: l.line, key, reject: `le numéro ${this.number(l.idOrder)} désigne la commande ${l.idOrder} de référence ${row.reference}, pas ${l.reference} : ligne écartée` };
      }
      if (l.reference) this.idOfReference.set(l.reference, l.idOrder);
      this.push(`id:${l.idOrder}`, l);
      return undefined;
    }
    const reference = l.reference!;
    const candidates = outboxOrdersByReference(this.ctx.state, reference);
    if (candidates.length > 1) {
      return { line: l.line, key, reject: `la référence ${reference} désigne plusieurs commandes exportées (${candidates.map((c) => `id ${c.id_order}`).join(', ')}) : l’export de l’ERP doit porter le numéro de pièce (${candidates.map((c) => this.number(c.id_order)).join(', ')})` };
    }
    if (candidates.length === 1) this.push(`id:${candidates[0]!.id_order}`, { ...l, idOrder: candidates[0]!.id_order });
    else this.push(`ref:${reference}`, l);
    return undefined;
  }

  *groups(): Generator<StatusLine[]> {
    // A reference-only group whose reference another line tied to an id joins that id's group.
    for (const [key, lines] of this.byKey) {
      if (!key.startsWith('ref:')) continue;
      const id = this.idOfReference.get(key.slice(4));
      if (id === undefined) continue;
      this.push(`id:${id}`, ...lines.map((l) => ({ ...l, idOrder: id })));
      this.byKey.delete(key);
    }
    yield* this.byKey.values();
  }

  private push(key: string, ...lines: StatusLine[]): void {
    const g = this.byKey.get(key);
    if (g) g.push(...lines);
    else this.byKey.set(key, [...lines]);
  }

  private number(id: number): string {
    return `${this.ctx.config.orders.documentPrefix}${String(id).padStart(6, '0')}`;
  }
}

async function applyFollowUp({ key, record }: Keyed<OrderFollowUp>, ctx: FileContext): Promise<LoadOutcome> {
  const target = record.target;
  const map = ctx.config.orderStatus.map;
  const { finalStates, trackingEmail } = ctx.config.orderStatus;
  // An invoice-only order without parcel numbers asks nothing of the shop (its acknowledgement is done).
  if (target === undefined && record.tracking.length === 0) return 'unchanged';
  return applyOnce(ctx, {
    entity: ENTITY,
    // Keyed before any look-up, so that the same data in the next export costs no request at all.
    key: record.idOrder !== undefined ? String(record.idOrder) : `ref:${record.reference ?? key}`,
    desired: { state: target ? map[target].state : 0, tracking: [...record.tracking].sort() },
    async write() {
      const found = await findOrder(record, ctx);
      if (target) await assertStateExists(ctx.shop, map[target].state, `orderStatus.map.${target}.state`);
      // Every step reads the shop first and writes only a difference: a replay after a crash is safe as is.
      return withOrderLock(ctx.state, found.id, async () => {
        let outcome: LoadOutcome = 'unchanged';
        const order = (await orderById(ordersClient(ctx), found.id)) ?? found;
        // Parcel numbers first: the « expédiée » e-mail that follows then carries the tracking link.
        const tracking = await addTracking(ctx.shop, order.id, record.tracking, trackingEmail);
        if (tracking.written) outcome = 'updated';
        const decision = decideState(order.currentState, target, map, finalStates);
        const what = `commande ${order.reference} (id ${order.id}) : l’ERP en est au stade ${stageText(record)}`;
        if (decision.kind === 'move') {
          await moveOrderState(ctx.shop, order.id, decision.state, decision.email);
          crashPoint('order-status.state-posted');
          outcome = 'updated';
        } else if (decision.kind === 'backwards') {
          ctx.warn(`${what} (état ${decision.wanted}) mais la commande est déjà à l’état ${decision.current}, plus avancé : ignoré, jamais de retour en arrière`);
        } else if (decision.kind === 'final') {
          ctx.warn(`${what} (état ${decision.wanted}) mais la commande est à l’état ${decision.current} (orderStatus.finalStates) : non modifiée`);
        }
        ctx.log.debug('order follow-up applied', { key, idOrder: order.id, decision: decision.kind, tracking: tracking.written });
        return outcome;
      });
    },
  });
}

function stageText(r: OrderFollowUp): string {
  const stage = (s: ErpStage) => `${s} (${STAGE_LABEL[s]})`;
  return r.target && r.target !== r.furthest ? `${stage(r.furthest)}, état du stade ${stage(r.target)}` : stage(r.target ?? r.furthest);
}

/** The shop order: by id (our document number or the outbox), else by reference, unique. */
async function findOrder(r: OrderFollowUp, ctx: FileContext): Promise<ShopOrder> {
  if (r.idOrder !== undefined) {
    const order = await orderById(ordersClient(ctx), r.idOrder);
    if (!order) throw new RecordRejected(`commande ${r.idOrder} introuvable dans la boutique (numéro de pièce ${keyOfId(r.idOrder, ctx)})`);
    if (r.reference && order.reference !== r.reference) {
      throw new RecordRejected(`la commande ${order.id} a la référence ${order.reference} dans la boutique, pas ${r.reference} : ligne écartée`);
    }
    return order;
  }
  const found = await ordersByReference(ordersClient(ctx), r.reference!);
  if (found.length === 0) throw new RecordRejected(`commande inconnue dans la boutique : référence ${r.reference}`);
  if (found.length > 1) {
    throw new RecordRejected(`la référence ${r.reference} désigne plusieurs commandes de la boutique (${found.map((o) => `id ${o.id}`).join(', ')}) : l’export de l’ERP doit porter le numéro de pièce (${found.map((o) => keyOfId(o.id, ctx)).join(', ')})`);
  }
  return found[0]!;
}

function keyOfId(id: number, ctx: FileContext): string {
  return `${ctx.config.orders.documentPrefix}${String(id).padStart(6, '0')}`;
}

