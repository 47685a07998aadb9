// Dispatches one authenticated webservice request to the resource handlers and renders the answer.
import { apiRoot, resourceDef, supportedResources, type ResourceDef } from './catalog.ts';
import { runListQuery } from './list-query.ts';
import { parseEntity } from './parse-request.ts';
import { errorsJson, listJson, singleJson } from './render-json.ts';
import { XML_HEAD, XML_TAIL, errorsXml, listXml, singleXml, type RenderCtx } from './render-xml.ts';
import { hooksFor } from './resources/registry.ts';
import { handleImages } from './resources/images.ts';
import { decorateProductOption } from './resources/combinations.ts';
import { unitPriceRatio } from './resources/products.ts';
import type { ShopState } from './state.ts';
import { CATEGORY_LINKS, type Row } from './store.ts';
import { applyWrite, type WriteMethod } from './write.ts';
import { requestContext, shopScope } from './multistore.ts';
import { WsError } from './ws-error.ts';

export interface WsRequest {
  method: string;
  segments: string[];
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** http://host:port/api */
  api: string;
  json: boolean;
}

export interface WsAnswer {
  status: number;
  body: string | Buffer;
  contentType: string;
  /** PSWS-Version header value, or undefined to leave it out. */
  version?: string;
}

export function xmlOrJson(req: WsRequest, status: number, xml: string, json: string): WsAnswer {
  return req.json ? { status, body: json, contentType: 'application/json' } : { status, body: xml, contentType: 'text/xml;charset=utf-8' };
}

export function errorAnswer(req: WsRequest, err: WsError): WsAnswer {
  return xmlOrJson(req, err.status, errorsXml(err.errors), errorsJson(err.errors));
}

const EMPTY: Omit<WsAnswer, 'status'> = { body: '', contentType: '' };

function rootAnswer(req: WsRequest): WsAnswer {
  const perms = 'get="true" put="true" post="true" patch="true" delete="true" head="true"';
  let xml = `${XML_HEAD}<api shopName="PrestaSync Sandbox">\n`;
  for (const e of apiRoot) {
    const href = `${req.api}/${e.name}`;
    xml += `<${e.name} xlink:href="${href}" ${perms}>\n<description xlink:href="${href}" ${perms}>\n${e.description}</description>\n`;
    if (e.schema) xml += `<schema xlink:href="${href}?schema=blank" type="blank"/>\n<schema xlink:href="${href}?schema=synopsis" type="synopsis"/>\n`;
    xml += `</${e.name}>\n`;
  }
  xml += `</api>\n${XML_TAIL}`;
  return xmlOrJson(req, 200, xml, JSON.stringify({ api: apiRoot.map((e) => e.name) }));
}

function unknownResource(name: string): WsError {
  const all = supportedResources();
  return new WsError(400, [{ code: 27, message: `Resource of type "${name}" does not exists. Did you mean: "${all[0] ?? ''}"? The full list is: "${all.join('", "')}"` }]);
}

/** ps_method=PUT|PATCH|DELETE on a POST overrides the method (dispatcher.php); that is how an image is
 *  replaced, PHP reading multipart bodies only on a real POST (WEBSERVICE.md §2, §6.3). */
function effectiveMethod(req: WsRequest): string {
  if (req.method === 'HEAD') return 'GET';
  const override = req.query.ps_method?.toUpperCase();
  return req.method === 'POST' && override && ['PUT', 'PATCH', 'DELETE'].includes(override) ? override : req.method;
}

export function handleRequest(state: ShopState, req: WsRequest): WsAnswer {
  try {
    requestContext(state.store, req.query); // webserviceChecks: the shop context is checked before anything
    const [resource, idPart, ...rest] = req.segments;
    if (resource === undefined || resource === '') return rootAnswer(req);
    const method = effectiveMethod(req);
    if (resource === 'images') return handleImages(state, req, method, [idPart, ...rest]);
    const def = resourceDef(resource);
    if (!def) throw unknownResource(resource);
    if (def.forbidden.includes(method)) {
      throw new WsError(405, [{ code: 101, message: `Method ${method} is not allowed for the resource ${def.name}` }]);
    }
    const id = idPart !== undefined && idPart !== '' ? Number(idPart) : undefined;
    switch (method) {
      case 'GET': return id === undefined ? list(state, def, req) : getOne(state, def, req, id);
      case 'POST': return write(state, def, req, 'POST');
      case 'PUT': case 'PATCH': return write(state, def, req, method);
      case 'DELETE': return remove(state, def, req, id);
      default: throw new WsError(405, [{ code: 23, message: `Method ${method} is not valid` }]);
    }
  } catch (err) {
    if (err instanceof WsError) return errorAnswer(req, err);
    throw err;
  }
}

function renderCtx(state: ShopState, req: WsRequest, languages = state.languages): RenderCtx {
  return { api: req.api, languages };
}

/** Values the shop computes at read time (category -> products links and counts, option -> values). */
function decorate(state: ShopState, def: ResourceDef, row: Row): Row {
  if (def.name === 'product_options') return decorateProductOption(state.store, row);
  if (def.name === 'products') { const ratio = unitPriceRatio(row); return ratio === undefined ? row : { ...row, unit_price_ratio: ratio }; }
  if (def.name !== 'categories') return row;
  const products = state.store.lookup('products', CATEGORY_LINKS, [row.id]) ?? [];
  const children = state.store.all('categories').filter((c) => c.id_parent === row.id);
  return {
    ...row, nb_products_recursive: String(products.length || -1),
    associations: { ...row.associations, categories: children.map((c) => ({ id: c.id })), products: products.map((p) => ({ id: p.id })) },
  };
}

function getOne(state: ShopState, def: ResourceDef, req: WsRequest, id: number): WsAnswer {
  const row = Number.isInteger(id) ? state.store.get(def.name, id) : undefined;
  if (!row) return { status: 404, ...EMPTY };
  const ctx = renderCtx(state, req);
  const shown = decorate(state, def, row);
  return xmlOrJson(req, 200, singleXml(def, shown, ctx), singleJson(def, shown, ctx));
}

function list(state: ShopState, def: ResourceDef, req: WsRequest): WsAnswer {
  const { rows: found, q } = runListQuery(def, state.store, req.query, state.languages, shopScope(state.store, def.name, req.query));
  const rows = found.map((r) => decorate(state, def, r));
  const ctx = renderCtx(state, req, q.languages);
  return xmlOrJson(req, 200, listXml(def, rows, ctx, q.display), listJson(def, rows, ctx, q.display));
}

function write(state: ShopState, def: ResourceDef, req: WsRequest, method: WriteMethod): WsAnswer {
  const entity = parseEntity(req.body.toString('utf8'));
  const hooks = hooksFor(def.name, state);
  const { ctx, sent } = applyWrite(def, state.store, method, entity, hooks, state.clock.now(), state.languages, req.query);
  const stored = state.store.get(def.name, Number(ctx.row.id)) ?? ctx.row;
  const rctx = renderCtx(state, req);
  if (method !== 'POST') return xmlOrJson(req, 200, singleXml(def, stored, rctx), singleJson(def, stored, rctx));
  // POST echoes the in-memory object: values as sent, unsent fields empty (INDEX.md "echo").
  const echo: Row = { ...stored, ...sent, id: stored.id };
  for (const name of ctx.computed) if (stored[name] !== undefined) echo[name] = stored[name];
  const echoBlank = new Set(def.fields.map((f) => f.name).filter((n) => !(n in sent) && !ctx.computed.has(n)));
  const ectx = { ...rctx, echoBlank };
  return xmlOrJson(req, 201, singleXml(def, echo, ectx), singleJson(def, echo, ectx, true));
}

/** DELETE /api/r/N, or several at once with /api/r/?id=[1,2] (WEBSERVICE.md §4 [LIVE]). Missing ids: 404/87;
 *  an object the class refuses to delete (root category, customer group): 500/88 "Id(s) wasn't deleted". */
function remove(state: ShopState, def: ResourceDef, req: WsRequest, id: number | undefined): WsAnswer {
  const ids = id !== undefined ? [id] : (/^\[(.*)\]$/.exec(req.query.id ?? '')?.[1] ?? req.query.id ?? '').split(/[,|]/).filter((s) => s !== '').map(Number);
  const missing = ids.filter((i) => !Number.isInteger(i) || !state.store.get(def.name, i));
  if (ids.length === 0 || missing.length) throw new WsError(404, [{ code: 87, message: `Id(s) not exists: ${(ids.length ? missing : ['']).join(', ')}` }]);
  const hooks = hooksFor(def.name, state);
  const refused = ids.filter((i) => !(hooks.delete ? hooks.delete(i) : state.store.delete(def.name, i)));
  if (refused.length) throw new WsError(500, [{ code: 88, message: `Id(s) wasn't deleted: ${refused.join(', ')}` }]);
  return { status: 200, ...EMPTY };
}
