// Loads the recorded transcripts and replays one against a sandbox, reducing both answers to what
// the replay compares: status, content type, error codes in order, and the body's shape.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';

export interface Transcript {
  file: string;
  num: string;
  request: {
    method: string; path: string; query: Record<string, string>; contentType: string | null; body: string | null;
    headers?: Record<string, string>; parts?: Array<{ name: string; filename: string; contentType: string; size: number }>;
  };
  response: { status: number; contentType: string; body: string | null };
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const transcriptsDir = path.join(here, '../../fixtures/prestashop/transcripts');

export function loadTranscripts(): Transcript[] {
  return readdirSync(transcriptsDir).filter((f) => /^\d{3}-.*\.json$/.test(f)).sort().map((file) => ({
    file, num: file.slice(0, 3), ...(JSON.parse(readFileSync(path.join(transcriptsDir, file), 'utf8')) as Omit<Transcript, 'file' | 'num'>),
  }));
}

/** A tiny valid JPEG (SOI, APP0, EOI markers) — the sandbox only checks the magic bytes. */
const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');

function multipart(parts: NonNullable<Transcript['request']['parts']>): { body: Buffer; contentType: string } {
  const boundary = 'sandboxreplayboundary';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const data = p.contentType.startsWith('image/') && p.size > 100 ? JPEG : Buffer.from('this is not an image, just text.');
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.contentType}\r\n\r\n`), data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface Observed { status: number; contentType: string; codes: number[]; shape: string[] }

/** Sends the transcript's request; auth follows what the recording did (002-005). */
export async function replay(t: Transcript, url: string, key: string): Promise<Observed> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(t.request.query)) q.set(k, v === '<KEY>' ? key : v);
  const headers: Record<string, string> = { ...(t.request.headers ?? {}) };
  const basic = (k: string): string => `Basic ${Buffer.from(`${k}:`).toString('base64')}`;
  if (t.num === '003') headers.Authorization = basic('ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ');
  else if (t.num === '004') headers.Authorization = basic('SHORTKEY');
  else if (t.num !== '002' && !('ws_key' in t.request.query)) headers.Authorization = basic(key);
  let body: Buffer | undefined;
  if (t.request.parts) {
    const m = multipart(t.request.parts);
    body = m.body;
    headers['Content-Type'] = m.contentType;
  } else if (t.request.body !== null) {
    body = Buffer.from(t.request.body);
    if (t.request.contentType) headers['Content-Type'] = t.request.contentType;
  }
  const qs = q.toString();
  const res = await fetch(`${url}${t.request.path}${qs ? `?${qs}` : ''}`, { method: t.request.method, headers, ...(body ? { body } : {}) });
  const buf = Buffer.from(await res.arrayBuffer());
  const contentType = res.headers.get('content-type') ?? '';
  return { status: res.status, contentType, ...describe(contentType, contentType.startsWith('image/') ? '<binary>' : buf.toString('utf8')) };
}

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: true });

function xmlPaths(nodes: unknown[], prefix: string, out: string[]): void {
  for (const n of nodes as Array<Record<string, unknown>>) {
    for (const [k, v] of Object.entries(n)) {
      if (k === ':@' || k === '#text' || k === '?xml') continue;
      const p = `${prefix}/${k}`;
      if (!out.includes(p)) out.push(p);
      if (Array.isArray(v)) xmlPaths(v, p, out);
    }
  }
}

function jsonPaths(v: unknown, prefix: string, out: string[]): void {
  if (Array.isArray(v)) { for (const x of v) jsonPaths(x, `${prefix}[]`, out); return; }
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const p = `${prefix}.${k}`;
      if (!out.includes(p)) out.push(p);
      jsonPaths(x, p, out);
    }
  }
}

/** Error codes and shape (element/key paths, first-appearance order, repeated siblings collapsed). */
export function describe(contentType: string, body: string): { codes: number[]; shape: string[] } {
  const shape: string[] = [];
  let codes: number[] = [];
  if (body.startsWith('<?xml')) {
    codes = [...body.matchAll(/<code><!\[CDATA\[(\d+)\]\]><\/code>/g)].map((m) => Number(m[1]));
    xmlPaths(parser.parse(body) as unknown[], '', shape);
  } else if (contentType.includes('json')) {
    const parsed = JSON.parse(body) as unknown;
    if (parsed && typeof parsed === 'object' && 'errors' in parsed) codes = ((parsed as { errors: Array<{ code: number }> }).errors).map((e) => e.code);
    jsonPaths(parsed, '$', shape);
  } else shape.push(body === '' ? '(empty)' : body.startsWith('<binary') ? '(binary)' : '(text)');
  return { codes, shape };
}
