// node:http transport: authentication, fault injection, latency, output format, request log.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ShopClock } from './clock.ts';
import { errorAnswer, handleRequest, type WsAnswer, type WsRequest } from './router.ts';
import { seedShop, type SandboxSeed } from './seed.ts';
import type { ShopState } from './state.ts';
import { Store } from './store.ts';
import { RawAnswer, WsError } from './ws-error.ts';

export const DEFAULT_KEY = 'PRESTASYNCSANDBOXKEY000000000000';

export interface ServerOptions {
  port?: number;
  key?: string;
  version?: string;
  /** Time each request takes: a fixed number, or [min, max] drawn from a seeded sequence (same on every run). */
  latencyMs?: number | [number, number];
  /** PHP workers: requests beyond this many wait for a free one, as on a real host (default unlimited). */
  workers?: number;
  seed?: SandboxSeed;
  /** Start the shop clock at this date (transcript replay). */
  clockStart?: Date;
  /** Runs after the default seed, before the server listens (recording fixture). */
  prepare?: (state: ShopState) => void;
}

export interface RequestLogEntry { method: string; path: string; query: Record<string, string>; status: number }
/** A request as it arrives, before it is answered: `seq` counts from 1. Tests choose crash points by it. */
export interface ArrivingRequest { seq: number; method: string; path: string; query: Record<string, string> }
export type RequestListener = (r: ArrivingRequest) => void;
interface Fault { status: number; remaining: number; methods?: string[]; body: string }

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Basic auth user (the key) or ?ws_key=. */
function credentials(req: IncomingMessage, query: Record<string, string>): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    return decoded.split(':')[0];
  }
  return query.ws_key;
}

export async function startServer(opts: ServerOptions = {}) {
  const key = opts.key ?? DEFAULT_KEY;
  const version = opts.version ?? '8.2.0';
  const state: ShopState = { store: new Store(), clock: new ShopClock(opts.clockStart), languages: ['1', '2'], imageFiles: new Map(), mailer: { mode: 'ok', sent: [] } };
  seedShop(state, opts.seed);
  opts.prepare?.(state);
  const requests: RequestLogEntry[] = [];
  const faults: Fault[] = [];
  const listeners: RequestListener[] = [];
  let arrived = 0;
  const latency = latencyFn(opts.latencyMs);
  const workers = new WorkerPool(opts.workers);
  /** While set, requests wait before being answered (a test holds the shop while its child reacts). */
  let held: Promise<void> | undefined;

  const send = (res: ServerResponse, a: WsAnswer, head: boolean): void => {
    const headers: Record<string, string> = { 'Content-Type': a.contentType };
    if (a.version !== undefined) headers['PSWS-Version'] = a.version;
    res.writeHead(a.status, headers);
    res.end(head ? undefined : a.body);
  };

  const answer = async (req: IncomingMessage, url: URL, query: Record<string, string>): Promise<WsAnswer & { wwwAuth?: boolean }> => {
    const method = req.method ?? 'GET';
    const fault = faults.find((f) => f.remaining > 0 && (!f.methods || f.methods.includes(method)));
    if (fault) {
      fault.remaining--;
      if (fault.remaining === 0) faults.splice(faults.indexOf(fault), 1);
      return { status: fault.status, body: fault.body, contentType: 'text/html; charset=utf-8' };
    }
    const segments = url.pathname.split('/').filter((s, i) => i > 0 || s !== '');
    if (segments[0] !== 'api') return { status: 404, body: 'Not Found', contentType: 'text/html; charset=utf-8' };
    const wsReqBase = { json: query.output_format === 'JSON' || query.io_format === 'JSON' || req.headers['output-format'] === 'JSON' || req.headers['io-format'] === 'JSON' };
    const given = credentials(req, query);
    if (!given) return { status: 401, body: '401 Unauthorized', contentType: 'text/html; charset=utf-8', wwwAuth: true };
    const fakeReq = { ...wsReqBase } as WsRequest;
    if (given.length !== 32) return { ...errorAnswer(fakeReq, new WsError(401, [{ code: 18, message: 'Invalid authentication key format' }])), version };
    if (given !== key) {
      return { ...errorAnswer(fakeReq, new WsError(401, [{ code: 20, message: 'Authentification key is not active' }, { code: 21, message: 'No permission for this authentication key' }])), version: '0', wwwAuth: true };
    }
    if (method === 'PATCH' && version.startsWith('1.')) {
      return { ...errorAnswer(fakeReq, new WsError(405, [{ code: 23, message: 'Method PATCH is not valid' }])), version };
    }
    const body = await readBody(req);
    const wsReq: WsRequest = {
      method, segments: segments.slice(1), query, body, json: wsReqBase.json,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v])),
      api: `http://${req.headers.host ?? '127.0.0.1'}/api`,
    };
    try {
      return { ...handleRequest(state, wsReq), version };
    } catch (err) {
      if (err instanceof RawAnswer) return { status: err.status, body: err.body, contentType: err.contentType, ...(err.withVersion ? { version } : {}) };
      throw err;
    }
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams.entries());
    const seq = ++arrived;
    for (const l of listeners) l({ seq, method: req.method ?? 'GET', path: url.pathname, query });
    const run = async (): Promise<void> => {
      let a: WsAnswer & { wwwAuth?: boolean };
      while (held) await held;
      await workers.acquire();
      try {
        const ms = latency();
        if (ms > 0) await new Promise((r) => setTimeout(r, ms));
        a = await answer(req, url, query);
      } catch (err) {
        // A sandbox bug: answer like a PHP fatal error so the client sees a 500, and say why on stderr.
        console.error('[sandbox] unexpected error', err);
        a = { status: 500, body: '', contentType: 'text/html; charset=utf-8' };
      } finally {
        workers.release();
      }
      requests.push({ method: req.method ?? 'GET', path: url.pathname, query, status: a.status });
      if (a.wwwAuth) res.setHeader('WWW-Authenticate', 'Basic realm="Welcome to PrestaShop Webservice, please enter the authentication key as the login. No password required."');
      send(res, a, req.method === 'HEAD');
    };
    void run();
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    key,
    state,
    requests,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    }),
    writeCount: () => requests.filter((r) => WRITE_METHODS.has(r.method) && r.status >= 200 && r.status < 300).length,
    injectFaults: (f: { status: number; count: number; methods?: string[]; body?: string }) => {
      const fault: Fault = { status: f.status, remaining: f.count, body: f.body ?? '' };
      if (f.methods) fault.methods = f.methods.map((m) => m.toUpperCase());
      if (f.count > 0) faults.push(fault);
    },
    clearFaults: () => {
      faults.length = 0;
    },
    /** Called synchronously as each request arrives, before it is answered (crash points by progress). */
    /** Holds every answer until the returned function is called: requests already sent stay in flight. */
    hold: (): (() => void) => {
      let release!: () => void;
      held = new Promise<void>((r) => { release = r; });
      return () => { held = undefined; release(); };
    },
    onRequest: (l: RequestListener): (() => void) => {
      listeners.push(l);
      return () => { listeners.splice(listeners.indexOf(l), 1); };
    },
  };
}

/** A fixed latency, or one drawn in [min, max] from a seeded linear congruential sequence. */
function latencyFn(l: number | [number, number] | undefined): () => number {
  if (l === undefined) return () => 0;
  if (typeof l === 'number') return () => l;
  const [min, max] = l;
  let seed = 12345;
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return min + Math.round((seed / 2 ** 31) * (max - min));
  };
}

/** At most `size` requests answered at once (PHP-FPM workers); the others wait in arrival order. */
class WorkerPool {
  private busy = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly size = Infinity) {}
  acquire(): Promise<void> {
    if (this.busy < this.size) {
      this.busy++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy--;
  }
}
