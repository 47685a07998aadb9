// A tiny HTTP double for the client tests: answers with canned bodies taken from the recorded transcripts
// (test/fixtures/prestashop/transcripts) and records every request it receives.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export const KEY = 'ZX9QK2TESTKEYSECRETVALUE00000042';

export interface Seen {
  method: string;
  /** Path below /api/, e.g. `products/30` ('' for the root). */
  path: string;
  /** The raw request URL as sent (still percent-encoded). */
  rawUrl: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Reply = { status: number; body?: string; headers?: Record<string, string> } | 'hang';
export type Handler = (req: Seen, seen: Seen[]) => Reply | Promise<Reply>;

export interface FakeShop {
  url: string;
  requests: Seen[];
  maxInFlight: number;
  close(): Promise<void>;
}

interface Transcript {
  request: { method: string; path: string; query: Record<string, string>; body: string | null };
  response: { status: number; headers: Record<string, string>; body: string };
}

const DIR = new URL('../../fixtures/prestashop/transcripts/', import.meta.url);

export function transcript(prefix: string): Transcript {
  const names = readdirNames().filter((n) => n.startsWith(prefix));
  if (names.length !== 1 || !names[0]) throw new Error(`transcript ${prefix}: ${names.length} matches`);
  return JSON.parse(readFileSync(new URL(names[0], DIR), 'utf8')) as Transcript;
}

function readdirNames(): string[] {
  return readdirSync(DIR).filter((n) => n.endsWith('.json'));
}

/** The recorded answer of a transcript, replayable by the fake shop. */
export function replay(prefix: string, version?: string): Reply {
  const t = transcript(prefix);
  const headers: Record<string, string> = {};
  const ct = t.response.headers['content-type'];
  if (ct) headers['Content-Type'] = ct;
  const v = version ?? t.response.headers['psws-version'];
  if (v) headers['PSWS-Version'] = v;
  return { status: t.response.status, body: t.response.body, headers };
}

/** GET /api/ and GET /api/languages as a shop of the given version answers them; undefined for anything else. */
export function connectReply(req: Seen, version = '8.2.0'): Reply | undefined {
  if (req.method === 'GET' && req.path === '') return replay('001', version);
  if (req.method === 'GET' && req.path === 'languages') return replay('007', version);
  return undefined;
}

export async function startShop(handler: Handler): Promise<FakeShop> {
  const requests: Seen[] = [];
  let inFlight = 0;
  const state = { maxInFlight: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawUrl = req.url ?? '/';
      const u = new URL(rawUrl, 'http://127.0.0.1');
      const seen: Seen = {
        method: req.method ?? 'GET',
        path: u.pathname.replace(/^\/api\/?/, ''),
        rawUrl,
        query: u.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(seen);
      inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, inFlight);
      void Promise.resolve(handler(seen, requests)).then((reply) => {
        if (reply === 'hang') return; // never answered: the client's timeout must fire
        inFlight--;
        res.writeHead(reply.status, reply.headers ?? { 'Content-Type': 'text/xml;charset=utf-8', 'PSWS-Version': '8.2.0' });
        res.end(reply.body ?? '');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get maxInFlight() {
      return state.maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An XML answer of the shop (200 unless said otherwise). */
export function xml(body: string, status = 200, version = '8.2.0'): Reply {
  return { status, body, headers: { 'Content-Type': 'text/xml;charset=utf-8', 'PSWS-Version': version } };
}

export function envelope(inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<prestashop xmlns:xlink="http://www.w3.org/1999/xlink">\n${inner}\n</prestashop>\n`;
}
