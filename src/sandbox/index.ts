// The sandbox PrestaShop: a test double and demo shop speaking the PrestaShop 8.2 webservice
// as recorded in test/fixtures/prestashop/transcripts (see INDEX.md there).
import { startServer, DEFAULT_KEY, type RequestListener } from './server.ts';
import type { SandboxSeed } from './seed.ts';
import type { SandboxMail } from './state.ts';
import { placeOrder, type PlaceOrderInput } from './resources/place-order.ts';
import { changeOrderState } from './resources/order-flow.ts';

export type { SandboxSeed } from './seed.ts';
export type { SandboxMail } from './state.ts';
export type { ArrivingRequest, RequestListener } from './server.ts';
export type { PlaceOrderInput, PlaceOrderAddress, PlaceOrderLine } from './resources/place-order.ts';
export { DEFAULT_KEY };

export interface SandboxOptions {
  port?: number;
  key?: string;
  version?: string;
  latencyMs?: number | [number, number];
  workers?: number;
  seed?: SandboxSeed;
}

export interface SandboxShop {
  url: string;
  key: string;
  close(): Promise<void>;
  requests: Array<{ method: string; path: string; query: Record<string, string>; status: number }>;
  writeCount(): number;
  injectFaults(f: { status: number; count: number; methods?: string[]; body?: string }): void;
  /** Drops every fault still pending: the shop answers normally again. */
  clearFaults(): void;
  /** Called synchronously as each request arrives, before it is answered; returns the unsubscribe. Tests kill
   *  a child process at the k-th request this way, so the crash lands where they say, whatever the machine. */
  onRequest(l: RequestListener): () => void;
  /** Holds every answer (requests stay in flight) until the returned release is called. */
  hold(): () => void;
  /** Every mail the shop sent or tried to send (order_histories?sendemail=1, order_carriers?sendemail=1, a
   *  PUT/PATCH of orders.current_state), oldest first. A live list: read it after the requests. */
  mails: SandboxMail[];
  /** 'failing' makes Mail::Send fail: the write is applied, then answered 500 code 46 (WEBSERVICE.md §4). */
  setMailer(mode: 'ok' | 'failing'): void;
  store: {
    list(resource: string): Array<Record<string, unknown>>;
    get(resource: string, id: number): Record<string, unknown> | undefined;
    placeOrder(o: PlaceOrderInput): number;
    setOrderState(idOrder: number, idState: number): void;
  };
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<SandboxShop> {
  const s = await startServer(opts);
  return {
    url: s.url, key: s.key, close: s.close, requests: s.requests, writeCount: s.writeCount, injectFaults: s.injectFaults, clearFaults: s.clearFaults, onRequest: s.onRequest, hold: s.hold,
    mails: s.state.mailer.sent,
    setMailer: (mode) => { s.state.mailer.mode = mode; },
    store: {
      list: (resource) => s.state.store.all(resource).sort((a, b) => Number(a.id) - Number(b.id)).map((r) => structuredClone(r)),
      get: (resource, id) => { const r = s.state.store.get(resource, id); return r ? structuredClone(r) : undefined; },
      placeOrder: (o) => placeOrder(s.state, o),
      setOrderState: (idOrder, idState) => {
        if (!changeOrderState(s.state, idOrder, idState)) throw new Error(`sandbox: unknown order ${idOrder} or order state ${idState}`);
      },
    },
  };
}
