// Talks to a sandbox shop the way a client does (HTTP Basic with the key) and reads values out of its XML.
import type { SandboxShop } from '../../../src/sandbox/index.ts';

export interface WsReply { status: number; text: string; type: string }

export async function call(shop: Pick<SandboxShop, 'url' | 'key'>, method: string, path: string, body?: string | Buffer, contentType?: string): Promise<WsReply> {
  const headers: Record<string, string> = { Authorization: `Basic ${Buffer.from(`${shop.key}:`).toString('base64')}` };
  if (contentType) headers['Content-Type'] = contentType;
  const res = await fetch(`${shop.url}/api/${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
}

/** Every CDATA value of <field> elements, in document order. */
export function values(text: string, field: string): string[] {
  return [...text.matchAll(new RegExp(`<${field}(?: [^>]*)?><!\\[CDATA\\[(.*?)\\]\\]></${field}>`, 'gs'))].map((m) => m[1] ?? '');
}

/** The first value of <field>. */
export const value = (text: string, field: string): string | undefined => values(text, field)[0];

/** A multi-language field of the first object: language id -> text. */
export function langs(text: string, field: string): Record<string, string> {
  const inner = new RegExp(`\\t<${field}>(.*?)</${field}>`, 's').exec(text)?.[1] ?? '';
  return Object.fromEntries([...inner.matchAll(/<language id="(\d+)"[^>]*><!\[CDATA\[(.*?)\]\]><\/language>/gs)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

/** Error codes of an <errors> body. */
export const codes = (text: string): number[] => values(text, 'code').map(Number);

/** The ids listed in an association block (<categories nodeType=...>...). */
export function associationIds(text: string, name: string): string[] {
  const block = new RegExp(`<${name} nodeType="[^"]*"[^>]*>\\n([\\s\\S]*?)</${name}>`).exec(text)?.[1] ?? '';
  return values(block, 'id');
}

/** The id of a 201 echo. */
export const createdId = (reply: WsReply): number => Number(value(reply.text, 'id'));

export const xmlOf = (node: string, inner: string): string => `<prestashop><${node}>${inner}</${node}></prestashop>`;

export const lang = (fr: string, en: string): string => `<language id="1"><![CDATA[${fr}]]></language><language id="2"><![CDATA[${en}]]></language>`;

export function multipart(parts: Array<{ name: string; filename: string; type: string; data: Buffer }>): { body: Buffer; contentType: string } {
  const boundary = 'sandboxtestboundary';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.type}\r\n\r\n`), p.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Smallest byte sequences the sandbox (like GD's magic check) takes for each format. */
export const IMAGES = {
  jpeg: Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex'),
  png: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
  text: Buffer.from('this is not an image, just text.'),
};
