// Request bodies: the XML entity of a POST/PUT/PATCH (the shop reads it with SimpleXML: namespace and
// CDATA optional, all values strings) and the multipart body of an image upload.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { AssocRows, LangValue } from './store.ts';
import { WsError, phpWarning } from './ws-error.ts';

export interface ParsedEntity {
  /** Element name of the entity (not checked by the shop). */
  node: string;
  fields: Map<string, string | LangValue>;
  associations: Map<string, AssocRows>;
}

type XNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', cdataPropName: '__cdata',
  parseTagValue: false, parseAttributeValue: false, trimValues: false, processEntities: true,
});

function tagOf(n: XNode): string | undefined {
  return Object.keys(n).find((k) => k !== ':@' && k !== '#text' && k !== '__cdata');
}

function childrenOf(n: XNode, tag: string): XNode[] {
  const c = n[tag];
  return Array.isArray(c) ? (c as XNode[]) : [];
}

function textOf(nodes: XNode[]): string {
  let out = '';
  for (const n of nodes) {
    if (typeof n['#text'] === 'string' || typeof n['#text'] === 'number') out += String(n['#text']);
    else if (Array.isArray(n.__cdata)) out += textOf(n.__cdata as XNode[]);
  }
  return out;
}

function elements(nodes: XNode[]): Array<{ tag: string; node: XNode; kids: XNode[] }> {
  const out: Array<{ tag: string; node: XNode; kids: XNode[] }> = [];
  for (const n of nodes) {
    const tag = tagOf(n);
    if (tag && tag !== '?xml') out.push({ tag, node: n, kids: childrenOf(n, tag) });
  }
  return out;
}

/** The shop's answer to a body SimpleXML cannot read: three PHP warnings then code 127. */
function xmlError(body: string): WsError {
  const w = (m: string): ReturnType<typeof phpWarning> => phpWarning(`SimpleXMLElement::__construct(): ${m}`, 'classes/webservice/WebserviceRequest.php', 1544);
  return new WsError(500, [
    w('Entity: line 1: parser error : Start tag expected, \'<\' not found'),
    w(body.split('\n')[0] ?? ''),
    w('^'),
    { code: 127, message: `XML error : String could not be parsed as XML\nXML length : ${Buffer.byteLength(body)}\nOriginal XML : ${body}` },
  ]);
}

export function parseEntity(body: string): ParsedEntity {
  if (body.trim() === '' || XMLValidator.validate(body) !== true) throw xmlError(body);
  const doc = parser.parse(body) as XNode[];
  const root = elements(doc)[0];
  const entity = root ? elements(root.kids)[0] : undefined;
  if (!entity) throw xmlError(body);
  const fields = new Map<string, string | LangValue>();
  const associations = new Map<string, AssocRows>();
  for (const el of elements(entity.kids)) {
    if (el.tag === 'associations') {
      for (const assoc of elements(el.kids)) {
        associations.set(assoc.tag, elements(assoc.kids).map((item) => {
          const rec: Record<string, string> = {};
          for (const f of elements(item.kids)) rec[f.tag] = textOf(f.kids);
          return rec;
        }));
      }
      continue;
    }
    const langs = elements(el.kids).filter((k) => k.tag === 'language');
    if (langs.length) {
      const lv: LangValue = {};
      for (const l of langs) {
        const attrs = (l.node[':@'] ?? {}) as Record<string, string>;
        if (attrs.id !== undefined) lv[attrs.id] = textOf(l.kids);
      }
      fields.set(el.tag, lv);
    } else fields.set(el.tag, textOf(el.kids).trim());
  }
  return { node: entity.tag, fields, associations };
}

export interface UploadPart { name: string; filename?: string; contentType?: string; data: Buffer }

/** Minimal multipart/form-data reader, enough for the image upload. */
export function parseMultipart(body: Buffer, contentType: string): UploadPart[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) return [];
  const delim = Buffer.from(`--${boundary}`);
  const parts: UploadPart[] = [];
  let pos = body.indexOf(delim);
  while (pos !== -1) {
    const start = pos + delim.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delim, start);
    if (next === -1) break;
    const chunk = body.subarray(start + 2, next - 2); // skip CRLF after the delimiter and before the next
    const headerEnd = chunk.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = chunk.subarray(0, headerEnd).toString('utf8');
      const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
      const part: UploadPart = { name, data: chunk.subarray(headerEnd + 4) };
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      if (filename !== undefined) part.filename = filename;
      const ct = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1];
      if (ct !== undefined) part.contentType = ct.trim();
      parts.push(part);
    }
    pos = next;
  }
  return parts;
}
