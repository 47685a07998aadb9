// Webservice writes around orders: carts, POST orders (validateOrder emulation, transcripts 091-098),
// order_histories (state changes, 105-109) and order_carriers (tracking number, 111-114).
import type { ShopState } from '../state.ts';
import type { Row, Store } from '../store.ts';
import type { ResourceHooks } from '../write.ts';
import { RawAnswer, phpFatal } from '../ws-error.ts';
import { sendInTransitMail, sendOrderStateMail, unableToSave, wantsMail } from './mail.ts';
import { applyOrderState, changeOrderState, computeTotals, insertOrder, round2, type PricedLine } from './order-flow.ts';

const PS_OS_ERROR = 8;
const PS_OS_WS_PAYMENT = 11;
/** The sandbox's flat price for a carrier that is not free (the demo "My carrier": 7.00 excl. tax). */
export const CARRIER_PRICE_TAX_EXCL = 7;

export function taxOfGroup(store: Store, idTaxRulesGroup: string): { rate: number; taxId: string } {
  const rule = store.all('tax_rules').find((r) => r.id_tax_rules_group === idTaxRulesGroup && r.id_country === '8');
  const tax = rule ? store.get('taxes', Number(rule.id_tax)) : undefined;
  return { rate: Number(tax?.rate ?? 0), taxId: tax?.id ?? '0' };
}

/** Prices one cart line like Product::getPriceStatic: specific price, then the customer's group reduction. */
function priceCartLine(store: Store, customer: Row | undefined, idProduct: string, quantity: number): PricedLine | undefined {
  const product = store.get('products', Number(idProduct));
  if (!product) return undefined;
  const base = Number(product.price ?? 0);
  const idGroup = String(customer?.id_default_group ?? '3');
  const group = store.get('groups', Number(idGroup));
  const groupReduction = Number(group?.reduction ?? 0);
  const { rate, taxId } = taxOfGroup(store, String(product.id_tax_rules_group ?? '0'));
  const candidates = (store.lookup('specific_prices', 'id_product', [idProduct]) ?? []).filter((sp) =>
    ['0', idGroup].includes(String(sp.id_group)) && ['0', customer?.id ?? ''].includes(String(sp.id_customer)) && Number(sp.from_quantity ?? 1) <= quantity);
  const sp = candidates.sort((a, b) => Number(b.from_quantity) - Number(a.from_quantity))[0];
  let unit = sp && Number(sp.price) >= 0 ? Number(sp.price) : base;
  let reductionPercent = 0;
  let reductionAmount = 0;
  if (sp?.reduction_type === 'percentage') { reductionPercent = Number(sp.reduction) * 100; unit *= 1 - Number(sp.reduction); }
  else if (sp) { reductionAmount = Number(sp.reduction) / (sp.reduction_tax === '1' ? 1 + rate / 100 : 1); unit -= reductionAmount; }
  const name = product.name as Record<string, string> | undefined;
  return {
    productId: idProduct, reference: String(product.reference ?? ''), name: name?.['1'] ?? '', ean13: String(product.ean13 ?? ''),
    quantity, originalUnitTaxExcl: base * (1 - groupReduction / 100), unitTaxExcl: unit * (1 - groupReduction / 100),
    taxRate: rate, taxId, idTaxRulesGroup: String(product.id_tax_rules_group ?? '0'), reductionPercent,
    reductionAmountTaxExcl: reductionAmount, groupReduction, weight: Number(product.weight ?? 0), wholesalePrice: Number(product.wholesale_price ?? 0),
  };
}

export const cartHooks: ResourceHooks = {
  computed: ['id_shop_group', 'id_shop'],
  prepare(ctx) {
    ctx.row.id_shop_group = '1';
    ctx.row.id_shop = '1';
    const rows = ctx.row.associations?.cart_rows;
    if (rows) for (const r of rows) r.id_customization ??= '0';
  },
};

export function orderHooks(state: ShopState): ResourceHooks {
  let wantedState: string | undefined;
  return {
    // validateOrder decides the state itself (INDEX.md "Orders and order flow").
    ignoreOnPost: ['current_state'],
    prepare(ctx) {
      wantedState = undefined;
      if (ctx.method === 'POST' || !ctx.old) return;
      // PUT/PATCH current_state goes through Order::setWsCurrentState -> setCurrentState: a new state adds a
      // history row and ALWAYS mails the customer; the same state again is ignored [SRC classes/order/Order.php
      // setCurrentState; WEBSERVICE.md §7.2]. An unknown state throws "Can't load Order status": bare 500.
      const sent = ctx.entity.fields.get('current_state');
      ctx.row.current_state = ctx.old.current_state;
      if (typeof sent !== 'string' || sent === '' || sent === '0' || Number(sent) === Number(ctx.old.current_state)) return;
      if (!ctx.store.get('order_states', Number(sent))) throw phpFatal();
      wantedState = sent;
    },
    afterSave(ctx) {
      if (wantedState === undefined) return;
      const history = changeOrderState(state, Number(ctx.row.id), Number(wantedState), ctx.now);
      const order = ctx.store.get('orders', Number(ctx.row.id));
      const os = ctx.store.get('order_states', Number(wantedState));
      if (history && order && os && !sendOrderStateMail(state, order, os, 'orders.current_state')) throw unableToSave();
    },
    beforeSave(ctx) {
      // Updating an existing order (PUT/PATCH) is a plain update in PrestaShop; only a POST runs validateOrder.
      if (ctx.method !== 'POST') return;
      const cart = ctx.store.get('carts', Number(ctx.row.id_cart ?? 0));
      const used = cart ? (ctx.store.all('orders').some((o) => o.id_cart === cart.id)) : true;
      if (!cart || used) throw new RawAnswer(500, 'Cart cannot be loaded or an order has already been placed using this cart');
    },
    save(ctx) {
      const { store } = ctx;
      if (ctx.method !== 'POST') {
        store.save('orders', ctx.row);
        return ctx.row;
      }
      const cart = store.get('carts', Number(ctx.row.id_cart)) as Row;
      const customer = store.get('customers', Number(cart.id_customer ?? 0));
      const lines = (cart.associations?.cart_rows ?? [])
        .map((r) => priceCartLine(store, customer, r.id_product ?? '0', Number(r.quantity ?? 0)))
        .filter((l): l is PricedLine => l !== undefined);
      // The carrier comes from the cart's delivery_option ({"<id_address>":"<id_carrier>,"}), else the default one.
      let idCarrier = '1';
      try {
        const opt = JSON.parse(String(cart.delivery_option || '{}')) as Record<string, string>;
        const first = Object.values(opt)[0];
        if (first) idCarrier = first.split(',')[0] ?? '1';
      } catch { /* an unreadable option falls back to the default carrier */ }
      const carrier = store.get('carriers', Number(idCarrier));
      const shipping = carrier && carrier.is_free !== '1' ? CARRIER_PRICE_TAX_EXCL : 0;
      const spec = {
        idCustomer: String(cart.id_customer ?? '0'), idAddressDelivery: String(cart.id_address_delivery ?? '0'),
        idAddressInvoice: String(cart.id_address_invoice ?? '0'), idCart: cart.id, idCarrier, idLang: String(cart.id_lang ?? '1'),
        module: String(ctx.row.module ?? ''), payment: String(ctx.row.payment ?? ''), lines, cartRules: [],
        shippingTaxExcl: shipping, shippingTaxRate: 20, totalPaidReal: Number(ctx.row.total_paid_real ?? 0), dateAdd: ctx.now,
      };
      const totals = computeTotals(spec);
      const order = insertOrder(state, spec);
      const paidOk = round2(Number(ctx.row.total_paid ?? 0)) === totals.paidIncl;
      changeOrderState(state, Number(order.id), paidOk ? PS_OS_WS_PAYMENT : PS_OS_ERROR, ctx.now);
      return order;
    },
  };
}

export function orderHistoryHooks(state: ShopState): ResourceHooks {
  return {
    beforeSave(ctx) {
      const os = ctx.store.get('order_states', Number(ctx.row.id_order_state ?? 0));
      const order = ctx.store.get('orders', Number(ctx.row.id_order ?? 0));
      // An unknown state makes changeIdOrderState throw: the shop dies with an empty 500 page and nothing
      // changes (109).
      if (!os || !order) throw phpFatal();
    },
    afterSave(ctx) {
      // addWs: changeIdOrderState (side effects), then add() — the same state again adds a second row and
      // bumps date_upd (107/108) — then, with ?sendemail=1, the state's mail. A failing mailer answers 500/46
      // although the state changed (WEBSERVICE.md §4).
      const os = ctx.store.get('order_states', Number(ctx.row.id_order_state));
      const order = ctx.store.get('orders', Number(ctx.row.id_order));
      if (!os || !order) return;
      applyOrderState(state, order, os, ctx.now);
      if (wantsMail(ctx.query) && !sendOrderStateMail(state, order, os, 'order_histories')) throw unableToSave();
    },
  };
}

export function orderCarrierHooks(state: ShopState): ResourceHooks {
  return {
    afterSave(ctx) {
      // orders.shipping_number mirrors the tracking number, without touching orders.date_upd (112).
      const order = ctx.store.get('orders', Number(ctx.row.id_order ?? 0));
      if (!order) return;
      order.shipping_number = String(ctx.row.tracking_number ?? '');
      ctx.store.save('orders', order);
      // updateWs (PUT and PATCH): update() first, then with ?sendemail=1 the "in transit" mail, EVERY time
      // (it does not look at whether the number changed). A failing mail answers 500/46 for a saved row
      // [SRC classes/order/OrderCarrier.php updateWs at 8.1.2; LESSONS C5].
      if (ctx.method !== 'POST' && wantsMail(ctx.query) && !sendInTransitMail(state, order, String(ctx.row.tracking_number ?? ''))) throw unableToSave();
    },
  };
}
