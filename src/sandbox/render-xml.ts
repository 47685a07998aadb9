// XML output, byte for byte the layout of PrestaShop 8.2's webservice (see transcripts INDEX.md):
// TAB-indented fields, every value in CDATA, xlink:href built from the request host.
import type { ResourceDef, FieldDef } from './catalog.ts';
import type { LangValue, Row } from './store.ts';
import type { WsErrorItem } from './ws-error.ts';

export const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<prestashop xmlns:xlink="http://www.w3.org/1999/xlink">\n';
export const XML_TAIL = '</prestashop>\n';

const cdata = (v: string): string => `<![CDATA[${v.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

export interface RenderCtx {
  /** e.g. http://127.0.0.1:43121/api */
  api: string;
  /** Languages to output (language=N restricts them). */
  languages: string[];
  /** POST echo: fields that were not sent show empty, and unsent lang values lack xlink:href. */
  echoBlank?: Set<string>;
}

function langXml(f: FieldDef, v: LangValue | undefined, ctx: RenderCtx, blank: boolean): string {
  const parts = ctx.languages.map((l) => {
    const text = blank ? '' : (v?.[l] ?? '');
    const href = blank ? '' : ` xlink:href="${ctx.api}/languages/${l}"`;
    return `<language id="${l}"${href}>${cdata(text)}</language>`;
  });
  return `\t<${f.name}>${parts.join('')}</${f.name}>\n`;
}

function fieldXml(f: FieldDef, row: Row, ctx: RenderCtx): string {
  const blank = ctx.echoBlank?.has(f.name) ?? false;
  if (f.lang) return langXml(f, row[f.name] as LangValue | undefined, ctx, blank);
  const raw = row[f.name];
  const v = blank || typeof raw !== 'string' ? '' : raw;
  let attrs = '';
  // The shop drops the link for a zero foreign key but keeps it (dangling) for an empty one.
  if (f.name === 'id_default_image') {
    if (v !== '') attrs += ` xlink:href="${ctx.api}/images/products/${row.id}/${v}"`;
  } else if (f.xlink && v !== '0') attrs += ` xlink:href="${ctx.api}/${f.xlink}/${v}"`;
  if (f.notFilterable) attrs += ' notFilterable="true"';
  return `\t<${f.name}${attrs}>${cdata(v)}</${f.name}>\n`;
}

function associationsXml(def: ResourceDef, row: Row, ctx: RenderCtx): string {
  if (def.associations.length === 0) return '';
  let out = '<associations>\n';
  for (const a of def.associations) {
    const items = row.associations?.[a.name] ?? [];
    const head = `<${a.name} nodeType="${a.nodeType}"${a.api ? ` api="${a.api}"` : ''}${a.virtualEntity ? ' virtualEntity="true"' : ''}`;
    if (items.length === 0) { out += `${head}/>\n`; continue; }
    out += `${head}>\n`;
    // An image's address is /images/products/{id_product}/{id_image} (as id_default_image's; not recorded for
    // the association itself).
    const idProduct = def.name === 'products' ? row.id : String(row.id_product ?? '');
    const itemHref = (item: Record<string, string>): string | undefined => (a.name === 'images' && (def.name === 'products' || def.name === 'combinations')
      ? `${ctx.api}/images/products/${idProduct}/${item.id ?? ''}` : a.itemXlink ? `${ctx.api}/${a.itemXlink}/${item.id ?? ''}` : undefined);
    for (const item of items) {
      const href = itemHref(item);
      out += href ? `\t<${a.nodeType} xlink:href="${href}">\n` : `\t<${a.nodeType}>\n`;
      for (const f of a.fields) {
        const v = item[f.name] ?? '';
        out += `\t<${f.name}${f.xlink ? ` xlink:href="${ctx.api}/${f.xlink}/${v}"` : ''}>${cdata(v)}</${f.name}>\n`;
      }
      out += `\t</${a.nodeType}>\n`;
    }
    out += `</${a.name}>\n`;
  }
  return out + '</associations>\n';
}

/** One object; `fields` limits the output (display=[a,b]) and drops associations. */
export function objectXml(def: ResourceDef, row: Row, ctx: RenderCtx, fields?: FieldDef[]): string {
  let out = `<${def.node}>\n`;
  for (const f of fields ?? def.fields) out += fieldXml(f, row, ctx);
  if (!fields) out += associationsXml(def, row, ctx);
  return out + `</${def.node}>\n`;
}

export function singleXml(def: ResourceDef, row: Row, ctx: RenderCtx): string {
  return XML_HEAD + objectXml(def, row, ctx) + XML_TAIL;
}

/** display: undefined = ids only, 'full' = everything, FieldDef[] = those fields. */
export function listXml(def: ResourceDef, rows: Row[], ctx: RenderCtx, display: 'full' | FieldDef[] | undefined): string {
  let out = `${XML_HEAD}<${def.name}>\n`;
  for (const row of rows) {
    if (display === undefined) out += `<${def.node} id="${row.id}" xlink:href="${ctx.api}/${def.name}/${row.id}"/>\n`;
    else out += objectXml(def, row, ctx, display === 'full' ? undefined : display);
  }
  return out + `</${def.name}>\n` + XML_TAIL;
}

export function errorsXml(errors: WsErrorItem[]): string {
  const items = errors.map((e) => `<error>\n<code>${cdata(String(e.code))}</code>\n<message>${cdata(e.message)}</message>\n</error>\n`);
  return `${XML_HEAD}<errors>\n${items.join('')}</errors>\n${XML_TAIL}`;
}
