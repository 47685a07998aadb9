// XML in and out of the PrestaShop webservice (WEBSERVICE.md §3, transcripts INDEX.md "Transport, auth, envelope").
// The webservice speaks XML only on input; we also read XML only, so one representation is enough:
// every scalar is a string, multi-language fields are LangText, associations are arrays of records.
import { XMLParser } from 'fast-xml-parser';

/** A multi-language value keyed by language id: { '1': 'Vis', '2': 'Screw' }. */
export type LangText = Record<string, string>;
/** A PrestaShop object as the engine sees it. */
export type PsRecord = Record<string, unknown>;

export interface PsErrorEntry {
  code: number;
  message: string;
}

/** Thrown when a body cannot be read as a PrestaShop XML document. */
export class XmlFormatError extends Error {
  override readonly name = 'XmlFormatError';
}

// preserveOrder keeps mixed text/CDATA/elements in order, which we need to tell leaves from containers.
type XmlNode = { [tag: string]: XmlNode[] } & { ':@'?: Record<string, string> };

const TEXT = '#text';
const CDATA = '#cdata';
const ATTRS = ':@';

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Entity expansion off: no DOCTYPE/entity tricks (billion laughs, external entities). We decode the
  // five predefined entities and character references ourselves in decodeEntities().
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  cdataPropName: CDATA,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const UNSAFE_MARKUP = /<!DOCTYPE|<!ENTITY/i;

// Optional XML declaration, the <prestashop> root, and its end: an HTML page or a cut body does not match.
const WHOLE_DOCUMENT = /^\s*(?:<\?xml[^>]*\?>\s*)?<prestashop[\s>/][\s\S]*<\/prestashop>\s*$/;

/** What parseRecord refuses as not a webservice document (a WAF's page, a body cut short), without parsing
 *  the object: for a write whose answer is not used. */
export function checkDocument(body: string): undefined {
  if (UNSAFE_MARKUP.test(body)) throw new XmlFormatError('XML body refused: it declares a DOCTYPE or an ENTITY');
  if (!WHOLE_DOCUMENT.test(body)) throw new XmlFormatError('XML body is not a whole <prestashop> document');
  return undefined;
}

/** Parse a webservice body into the children of <prestashop>. */
function parseEnvelope(body: string): XmlNode[] {
  if (UNSAFE_MARKUP.test(body)) {
    throw new XmlFormatError('XML body refused: it declares a DOCTYPE or an ENTITY');
  }
  let doc: XmlNode[];
  try {
    doc = parser.parse(body) as XmlNode[];
  } catch (err) {
    throw new XmlFormatError(`XML body cannot be parsed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const root = doc.find((n) => tagOf(n) === 'prestashop');
  if (!root) throw new XmlFormatError('XML body has no <prestashop> root element');
  return root['prestashop'] ?? [];
}

function tagOf(node: XmlNode): string | undefined {
  for (const key of Object.keys(node)) {
    if (key !== ATTRS) return key;
  }
  return undefined;
}

function elementsOf(children: XmlNode[]): Array<{ tag: string; node: XmlNode }> {
  const out: Array<{ tag: string; node: XmlNode }> = [];
  for (const node of children) {
    const tag = tagOf(node);
    if (tag !== undefined && tag !== TEXT && tag !== CDATA) out.push({ tag, node });
  }
  return out;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decode only the predefined entities and numeric references: never anything a document could declare. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (whole, ent: string) => {
    if (ent.startsWith('#x')) return safeCodePoint(parseInt(ent.slice(2), 16)) ?? whole;
    if (ent.startsWith('#')) return safeCodePoint(parseInt(ent.slice(1), 10)) ?? whole;
    return NAMED_ENTITIES[ent] ?? whole;
  });
}

function safeCodePoint(cp: number): string | undefined {
  return Number.isInteger(cp) && cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : undefined;
}

/** Text of a leaf: CDATA kept verbatim, plain text entity-decoded. */
function leafText(children: XmlNode[]): string {
  let out = '';
  for (const child of children) {
    const text = child[TEXT];
    if (typeof text === 'string') out += decodeEntities(text);
    else if (typeof text === 'number') out += String(text);
    const cdata = child[CDATA];
    if (cdata) {
      for (const part of cdata) {
        const t = part[TEXT];
        if (t !== undefined) out += String(t);
      }
    }
  }
  return out;
}

function attrsOf(node: XmlNode): Record<string, string> {
  return (node[ATTRS] as Record<string, string> | undefined) ?? {};
}

/** One element's value: leaf → string, all <language id> children → LangText, else a nested record. */
function valueOf(tag: string, node: XmlNode): unknown {
  const children = node[tag] ?? [];
  const elements = elementsOf(children);
  if (tag === 'associations') return associationsOf(elements);
  if (elements.length === 0) return leafText(children);
  if (elements.every((e) => e.tag === 'language')) {
    const text: LangText = {};
    for (const e of elements) {
      const id = attrsOf(e.node)['id'];
      if (id !== undefined) text[id] = leafText(e.node['language'] ?? []);
    }
    return text;
  }
  return recordOf(elements);
}

function recordOf(elements: Array<{ tag: string; node: XmlNode }>): PsRecord {
  const rec: PsRecord = {};
  for (const e of elements) rec[e.tag] = valueOf(e.tag, e.node);
  return rec;
}

// Associations are always arrays, also with one child, and [] when self-closed (INDEX.md envelope notes).
function associationsOf(elements: Array<{ tag: string; node: XmlNode }>): Record<string, PsRecord[]> {
  const out: Record<string, PsRecord[]> = {};
  for (const assoc of elements) {
    const items = elementsOf(assoc.node[assoc.tag] ?? []);
    out[assoc.tag] = items.map((item) => itemRecord(item.tag, item.node));
  }
  return out;
}

/** A list item or association item: its child elements, or just its `id` attribute (ids-only lists). */
function itemRecord(tag: string, node: XmlNode): PsRecord {
  const elements = elementsOf(node[tag] ?? []);
  if (elements.length > 0) return recordOf(elements);
  const id = attrsOf(node)['id'];
  return id === undefined ? {} : { id };
}

/** Error entries of a body, or [] when it holds none (or is not XML at all: empty 500s, plain-text 401). */
export function parseErrors(body: string): PsErrorEntry[] {
  if (!body.trim().startsWith('<')) return [];
  let top: XmlNode[];
  try {
    top = parseEnvelope(body);
  } catch {
    return [];
  }
  const errors = elementsOf(top).find((e) => e.tag === 'errors');
  if (!errors) return [];
  return elementsOf(errors.node['errors'] ?? [])
    .filter((e) => e.tag === 'error')
    .map((e) => {
      const rec = recordOf(elementsOf(e.node['error'] ?? []));
      // PrestaShop writes `>` as `&gt;` even inside CDATA in messages (INDEX.md), so decode once more.
      return { code: Number(rec['code'] ?? NaN), message: decodeEntities(String(rec['message'] ?? '')) };
    });
}

/** The single object of a GET/POST/PUT/PATCH answer (`<prestashop><product>…</product>`). */
export function parseRecord(body: string): PsRecord {
  const first = elementsOf(parseEnvelope(body))[0];
  if (!first) throw new XmlFormatError('XML body holds no object');
  const value = valueOf(first.tag, first.node);
  if (typeof value === 'string') {
    // An object reduced to attributes, e.g. <product id="3"/>.
    return itemRecord(first.tag, first.node);
  }
  return value as PsRecord;
}

/** The items of a list answer (`<products><product>…</product>…</products>`); [] for an empty list. */
export function parseList(body: string): PsRecord[] {
  const first = elementsOf(parseEnvelope(body))[0];
  if (!first) return [];
  return elementsOf(first.node[first.tag] ?? []).map((item) => itemRecord(item.tag, item.node));
}

// ---------------------------------------------------------------------------------------------------------
// Writing

const ELEMENT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Characters XML 1.0 cannot carry at all, even in CDATA: PrestaShop would answer 500/127.
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g; // eslint-disable-line no-control-regex

/** Wrap text in CDATA; a `]]>` inside is split across two sections so it survives. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replace(XML_INVALID, '').split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

function checkName(name: string): string {
  if (!ELEMENT_NAME.test(name)) throw new TypeError(`Invalid XML element name: ${JSON.stringify(name)}`);
  return name;
}

function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return String(value);
  throw new TypeError(`Unsupported value type for XML: ${typeof value}`);
}

/** True for a LangText: a non-empty map from numeric language ids to strings. */
export function isLangText(value: unknown): value is LangText {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return entries.length > 0 && entries.every(([k, v]) => /^\d+$/.test(k) && typeof v === 'string');
}

export interface BuildOptions {
  /** Element name of one item of an association, e.g. categories → category (resources.json). */
  associationItem?: (association: string) => string;
}

/** Fallback singular for association items when the resource is not described in resources.json. */
export function singular(name: string): string {
  if (name.endsWith('ies')) return `${name.slice(0, -3)}y`;
  if (name.endsWith('s')) return name.slice(0, -1);
  return name;
}

function fieldXml(name: string, value: unknown, opts: BuildOptions, indent: string): string {
  const tag = checkName(name);
  if (value === null || value === undefined) return `${indent}<${tag}></${tag}>\n`;
  if (Array.isArray(value)) throw new TypeError(`Field ${name} is an array outside <associations>`);
  if (typeof value === 'object') {
    if (isLangText(value)) {
      const langs = Object.entries(value)
        .map(([id, text]) => `<language id="${id}">${cdata(text)}</language>`)
        .join('');
      return `${indent}<${tag}>${langs}</${tag}>\n`;
    }
    if (tag === 'associations') return associationsXml(value as Record<string, unknown>, opts, indent);
    const inner = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => fieldXml(k, v, opts, `${indent}\t`))
      .join('');
    return `${indent}<${tag}>\n${inner}${indent}</${tag}>\n`;
  }
  return `${indent}<${tag}>${cdata(scalarText(value))}</${tag}>\n`;
}

function associationsXml(assocs: Record<string, unknown>, opts: BuildOptions, indent: string): string {
  let out = `${indent}<associations>\n`;
  for (const [name, items] of Object.entries(assocs)) {
    if (items === undefined) continue;
    if (!Array.isArray(items)) throw new TypeError(`Association ${name} must be an array`);
    const itemTag = checkName(opts.associationItem?.(name) ?? singular(name));
    out += `${indent}\t<${checkName(name)}>\n`;
    for (const item of items as unknown[]) {
      const fields = item !== null && typeof item === 'object' ? Object.entries(item as Record<string, unknown>) : [];
      out += `${indent}\t\t<${itemTag}>`;
      out += fields
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `<${checkName(k)}>${cdata(scalarText(v))}</${k}>`)
        .join('');
      out += `</${itemTag}>\n`;
    }
    out += `${indent}\t</${name}>\n`;
  }
  return `${out}${indent}</associations>\n`;
}

/** A request body: `<prestashop><product><id>…</id>…</product></prestashop>`, every value in CDATA. */
export function buildBody(nodeName: string, obj: PsRecord, opts: BuildOptions = {}): string {
  const tag = checkName(nodeName);
  let out = `<?xml version="1.0" encoding="UTF-8"?>\n<prestashop xmlns:xlink="http://www.w3.org/1999/xlink">\n<${tag}>\n`;
  for (const [key, value] of Object.entries(obj)) {
    if (value === undefined) continue;
    out += fieldXml(key, value, opts, '\t');
  }
  return `${out}</${tag}>\n</prestashop>\n`;
}
