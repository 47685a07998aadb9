// The PrestaShop webservice client every pipeline uses (WEBSERVICE.md; transcripts INDEX.md "Behaviours observed").
// Reads retry on passing failures; writes re-read the target after an unknown outcome before retrying,
// because PrestaShop sometimes answers 500 after having done the write (WEBSERVICE.md §4, LESSONS.md E4).
import { ConfigError, Interrupted } from '../errors.ts';
import { classifyShopError, shopError, type ShopErrorKind } from './errors.ts';
import { Limiter, backoffDelay, sleep } from './limiter.ts';
import { completeLanguages, hasPartialLanguages, isApplied, mergeForPut } from './merge.ts';
import { queryParams, toQueryString, type ListQuery } from './query.ts';
import { resourceInfo } from './schema.ts';
import { parsePermissions, type Permissions } from './permissions.ts';
import { WriteLog } from './write-log.ts';
import { buildBody, checkDocument, parseErrors, parseList, parseRecord, XmlFormatError, type PsErrorEntry, type PsRecord } from './xml.ts';

export type { LangText, PsRecord } from './xml.ts';
export type { ListQuery } from './query.ts';
export { filterEq, filterIn } from './query.ts';
export { WriteLog, type WriteEntry } from './write-log.ts';

export interface ShopLogger {
  debug(m: string, meta?: object): void;
  warn(m: string, meta?: object): void;
}

export interface ShopClientOptions {
  /** Shop base URL; the webservice is at `${url}/api`. */
  url: string;
  /** Webservice key: sent as Basic auth only, never logged, never in an error. */
  key: string;
  /** Default language iso code ('fr'): the text used for languages a caller did not give. */
  language: string;
  concurrency?: number;
  timeoutMs?: number;
  /** Retries on timeouts, network errors and 502/503/504 only. */
  retries?: number;
  retryBaseMs?: number;
  /** Record the writes instead of sending them; reads still go out. */
  dryRun?: boolean;
  /** Multistore context (id_shop). */
  shopId?: number;
  logger?: ShopLogger;
}

export interface ShopLanguage {
  id: string;
  iso: string;
  active: boolean;
}

export interface ShopConnection {
  version: string;
  patch: boolean;
  languages: ShopLanguage[];
}

export interface WriteOptions {
  /** `sendemail=1`: mail the customer (POST order_histories, PUT/PATCH order_carriers; WEBSERVICE.md §2). */
  sendEmail?: boolean;
}

export interface CreateOptions extends WriteOptions {
  /** How to find the object again if the POST ends in an unknown outcome (timeout, 5xx). */
  lookup?: ListQuery;
}

interface Exchange {
  status: number;
  headers: Headers;
  text: string;
}

type Attempt =
  | { ok: true; res: Exchange }
  | { ok: false; status: number | undefined; errors: PsErrorEntry[]; detail?: string; cause?: unknown };

export interface ImageRequestOptions<T> {
  onSuccess(text: string): T;
  onFailure?(status: number | undefined, attempt: number): { value: T } | undefined;
  verify?(): Promise<{ value: T } | undefined>;
  /** A multipart POST with ps_method=PUT: PHP fills $_FILES only for a real POST. */
  replace?: boolean;
}

interface PerformOptions<T> {
  onSuccess(res: Exchange): T;
  /** A non-2xx answer that is an expected outcome (404 on GET → undefined). */
  onFailure?(status: number | undefined, attempt: number): { value: T } | undefined;
  /** After an unknown outcome on a write: the object if the write turns out to be done. */
  verify?(): Promise<{ value: T } | undefined>;
}

const noopLogger: ShopLogger = { debug: () => undefined, warn: () => undefined };
const PATH_PART = /^[A-Za-z0-9_]+(?:\/[A-Za-z0-9_]+)*$/;

export class ShopClient {
  readonly writes = new WriteLog();
  private readonly apiBase: string;
  private readonly auth: string;
  private readonly limiter: Limiter;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryBaseMs: number;
  private readonly log: ShopLogger;
  private connection: ShopConnection | undefined;
  private connecting: Promise<ShopConnection> | undefined;
  private dryRunIds = 0;
  /** Set on a view made by withShop(); else requests carry shop.shopId, or no shop at all. */
  private readonly shopContext: number | 'all' | undefined = undefined;
  private readonly views = new Map<number | 'all', ShopClient>();

  constructor(private readonly opts: ShopClientOptions) {
    const problems: string[] = [];
    let base = '';
    try {
      const u = new URL(opts.url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') problems.push(`L'URL de la boutique doit commencer par http:// ou https:// (${u.protocol})`);
      if (u.username || u.password || u.search) problems.push("L'URL de la boutique ne doit contenir ni identifiants ni paramètres (la clé se configure à part)");
      base = `${u.origin}${u.pathname.replace(/\/+$/, '')}/api`;
    } catch {
      problems.push("L'URL de la boutique n'est pas une URL valide");
    }
    if (!opts.key) problems.push('La clé du webservice PrestaShop est vide');
    if (problems.length > 0) throw new ConfigError(problems);
    this.apiBase = base;
    this.auth = `Basic ${Buffer.from(`${opts.key}:`).toString('base64')}`;
    this.limiter = new Limiter(opts.concurrency ?? 4);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.retries = opts.retries ?? 5;
    this.retryBaseMs = opts.retryBaseMs ?? 500;
    this.log = opts.logger ?? noopLogger;
  }

  /** SIGTERM: requests not yet sent are abandoned (their loads fail with Interrupted and are resumed with
   *  the file), requests already sent are awaited — an exit takes at most one request timeout. */
  interrupt(): void {
    this.limiter.abortQueued(() => new Interrupted());
  }

  /** Version (PSWS-Version header of GET /api/) and languages; ConfigError on a refused key. */
  async connect(): Promise<ShopConnection> {
    const root = await this.perform('GET', '', [], undefined, { onSuccess: (r) => r });
    const version = root.headers.get('psws-version') ?? '';
    const major = Number.parseInt(version, 10);
    if (!version || !Number.isFinite(major) || major <= 0) {
      throw new ConfigError([`${this.apiBase}/ ne répond pas comme le webservice PrestaShop (pas d'en-tête PSWS-Version) : vérifiez l'URL de la boutique`]);
    }
    const rows = await this.list('languages', { display: ['id', 'iso_code', 'active'] });
    const languages = rows.map((r) => ({ id: String(r['id']), iso: String(r['iso_code'] ?? '').toLowerCase(), active: r['active'] === '1' }));
    const wanted = this.opts.language.toLowerCase();
    if (!languages.some((l) => l.active && l.iso === wanted)) {
      const actives = languages.filter((l) => l.active).map((l) => l.iso).join(', ');
      throw new ConfigError([`La langue « ${this.opts.language} » n'est pas une langue active de la boutique (langues actives : ${actives || 'aucune'})`]);
    }
    // PATCH exists from PrestaShop 8.0 (WEBSERVICE.md §4); 1.7 answers 405/23.
    this.connection = { version, patch: major >= 8, languages };
    return this.connection;
  }

  /** What this key may do per resource (GET /api/): `prestasync check` reads it. */
  async permissions(): Promise<Permissions> {
    return this.perform('GET', '', [], undefined, { onSuccess: (r) => parsePermissions(r.text) });
  }

  /** Every active language filled: one text everywhere, or iso → text with the default language as fallback. */
  lang(text: string | Record<string, string>): Record<string, string> {
    const conn = this.requireConnection();
    const active = conn.languages.filter((l) => l.active);
    if (typeof text === 'string') return Object.fromEntries(active.map((l) => [l.id, text]));
    const byIso = new Map(Object.entries(text).map(([k, v]) => [k.toLowerCase(), v]));
    const fallback = byIso.get(this.opts.language.toLowerCase()) ?? [...byIso.values()][0] ?? '';
    return Object.fromEntries(active.map((l) => [l.id, byIso.get(l.iso) ?? text[l.id] ?? fallback]));
  }

  /** One object; undefined when it does not exist (404). */
  async get(resource: string, id: number | string): Promise<PsRecord | undefined> {
    return this.perform<PsRecord | undefined>('GET', this.path(resource, id), [], undefined, {
      onSuccess: (r) => parseRecord(r.text),
      onFailure: (status) => (status === 404 ? { value: undefined } : undefined),
    });
  }

  /** One page of a list (ids only unless `display` says otherwise). */
  async list(resource: string, q: ListQuery = {}): Promise<PsRecord[]> {
    return this.perform('GET', this.path(resource), queryParams(q), undefined, { onSuccess: (r) => parseList(r.text) });
  }

  /** Every item, page by page: there is no total count, so read until a short page (WEBSERVICE.md §2). */
  async *listAll(resource: string, q: ListQuery & { pageSize?: number } = {}): AsyncIterable<PsRecord> {
    const { pageSize = 100, ...query } = q;
    if (query.limit !== undefined) throw new RangeError('listAll paginates by itself: do not pass limit');
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`Invalid pageSize: ${pageSize}`);
    // Without a sort the order is not stable between pages (INDEX.md: "order is not guaranteed by id").
    const sort = query.sort && query.sort.length > 0 ? query.sort : ['id_ASC'];
    for (let offset = 0; ; offset += pageSize) {
      const page = await this.list(resource, { ...query, sort, limit: [offset, pageSize] });
      yield* page;
      if (page.length < pageSize) return;
    }
  }

  /** POST → 201 and the created object. With `lookup`, an unknown outcome is resolved by searching first. */
  async create(resource: string, obj: PsRecord, opts: CreateOptions = {}): Promise<PsRecord> {
    const fields = Object.keys(obj).filter((k) => obj[k] !== undefined);
    if (this.opts.dryRun) {
      this.writes.add({ method: 'POST', resource, fields, dryRun: true });
      return { ...obj, id: `dry-run-${++this.dryRunIds}` };
    }
    const info = resourceInfo(resource);
    const body = buildBody(info.nodeName, obj, { associationItem: info.associationItem });
    const { lookup } = opts;
    if (!lookup) this.log.debug('create without lookup: an unknown outcome will be retried blindly', { resource });
    const created = await this.perform('POST', this.path(resource), this.emailParams(opts), body, {
      onSuccess: (r) => parseRecord(r.text),
      verify: lookup
        ? async () => {
            const found = await this.list(resource, { display: 'full', ...lookup, limit: 1 });
            return found[0] ? { value: found[0] } : undefined;
          }
        : undefined,
    });
    this.writes.add({ method: 'POST', resource, id: idOf(created), fields, dryRun: false });
    return created;
  }

  /** PATCH the changes (>= 8, every language of a multi-language change) or GET-merge-PUT (1.7). */
  async update(resource: string, id: number | string, changes: PsRecord, opts: WriteOptions = {}): Promise<PsRecord> {
    return (await this.write(resource, id, changes, opts, true))!;
  }

  /** `update` for a caller that does not use the object the shop sends back (the stock flow's thousands of
   *  PATCHes): the answer is checked to be a whole webservice document, not parsed (issue #6). */
  async apply(resource: string, id: number | string, changes: PsRecord, opts: WriteOptions = {}): Promise<void> {
    await this.write(resource, id, changes, opts, false);
  }

  private async write(resource: string, id: number | string, changes: PsRecord, opts: WriteOptions, answer: boolean): Promise<PsRecord | undefined> {
    const target: PsRecord = Object.fromEntries(Object.entries(changes).filter(([k, v]) => k !== 'id' && v !== undefined));
    const fields = Object.keys(target);
    if (this.opts.dryRun) {
      this.writes.add({ method: this.connection?.patch === false ? 'PUT' : 'PATCH', resource, id: String(id), fields, dryRun: true });
      return { id: String(id), ...target };
    }
    const conn = await this.ensureConnected();
    const info = resourceInfo(resource);
    const path = this.path(resource, id);
    const allLanguageIds = conn.languages.map((l) => l.id);
    let method: 'PATCH' | 'PUT';
    let payload: PsRecord;
    if (conn.patch) {
      method = 'PATCH';
      const current = hasPartialLanguages(target, allLanguageIds) ? await this.mustGet(resource, id, method) : undefined;
      payload = { id: String(id), ...completeLanguages(target, current, allLanguageIds) };
    } else {
      method = 'PUT';
      const current = await this.mustGet(resource, id, method);
      const { id: _ignored, ...merged } = mergeForPut(current, target, info.readOnly);
      payload = { id: String(id), ...merged };
    }
    const body = buildBody(info.nodeName, payload, { associationItem: info.associationItem });
    const updated = await this.perform<PsRecord | undefined>(method, path, this.emailParams(opts), body, {
      onSuccess: (r) => (answer ? parseRecord(r.text) : checkDocument(r.text)),
      verify: async () => {
        const now = await this.get(resource, id);
        return now && isApplied(now, target) ? { value: now } : undefined;
      },
    });
    this.writes.add({ method, resource, id: String(id), fields, dryRun: false });
    return updated;
  }

  async delete(resource: string, id: number | string): Promise<void> {
    if (this.opts.dryRun) {
      this.writes.add({ method: 'DELETE', resource, id: String(id), fields: [], dryRun: true });
      return;
    }
    await this.perform('DELETE', this.path(resource, id), [], undefined, {
      onSuccess: () => undefined,
      // A 404 after an earlier attempt timed out means that attempt did delete it.
      onFailure: (status, attempt) => (status === 404 && attempt > 0 ? { value: undefined } : undefined),
    });
    this.writes.add({ method: 'DELETE', resource, id: String(id), fields: [], dryRun: false });
  }

  /** Product images (src/prestashop/images.ts): a request outside the XML resources, multipart when uploading. */
  async imageRequest<T>(method: 'GET' | 'POST', idProduct: string, idImage: string | undefined, form: FormData | undefined, o: ImageRequestOptions<T>): Promise<T> {
    const ids = [idProduct, ...(idImage !== undefined ? [idImage] : [])];
    if (!ids.every((id) => /^\d+$/.test(id))) throw new RangeError(`Invalid image path: ${JSON.stringify(ids)}`);
    const params: Array<[string, string]> = o.replace === true ? [['ps_method', 'PUT']] : [];
    return this.perform(method, `images/products/${ids.join('/')}`, params, form, {
      onSuccess: (r) => o.onSuccess(r.text),
      ...(o.onFailure !== undefined ? { onFailure: o.onFailure } : {}),
      ...(o.verify !== undefined ? { verify: o.verify } : {}),
    });
  }

  get isDryRun(): boolean {
    return this.opts.dryRun === true;
  }

  /** The same client in one shop's context (`id_shop=N`, or `all`) for every request it sends (LESSONS F1, F2):
   *  multistore reads and writes per shop. It shares this client's connection, concurrency limit and write
   *  log — a view, not a second client. */
  withShop(shop: number | 'all'): ShopClient {
    // One view per shop, kept: what callers cache per client (order look-ups, batchers) is then per shop.
    let view = this.views.get(shop);
    if (!view) {
      view = Object.create(this) as ShopClient;
      Object.defineProperty(view, 'shopContext', { value: shop, enumerable: false });
      this.views.set(shop, view);
    }
    return view;
  }

  /** The shop context this client's requests carry, if any. */
  get shop(): number | 'all' | undefined {
    return this.shopContext ?? this.opts.shopId;
  }

  // -------------------------------------------------------------------------------------------------------

  private requireConnection(): ShopConnection {
    if (!this.connection) throw new Error('ShopClient.connect() must be called before lang()');
    return this.connection;
  }

  private async ensureConnected(): Promise<ShopConnection> {
    if (this.connection) return this.connection;
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async mustGet(resource: string, id: number | string, method: string): Promise<PsRecord> {
    const current = await this.get(resource, id);
    if (current) return current;
    throw shopError({ status: 404, errors: [], method, target: this.path(resource, id), kind: 'invalid', scrub: this.scrub });
  }

  private emailParams(opts: WriteOptions): Array<[string, string]> {
    return opts.sendEmail ? [['sendemail', '1']] : [];
  }

  private path(resource: string, id?: number | string): string {
    if (!PATH_PART.test(resource)) throw new RangeError(`Invalid resource name: ${JSON.stringify(resource)}`);
    if (id === undefined) return resource;
    const text = String(id);
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new RangeError(`Invalid id: ${JSON.stringify(text)}`);
    return `${resource}/${text}`;
  }

  private readonly scrub = (text: string): string => {
    let out = text;
    for (const secret of [this.opts.key, this.auth, this.auth.slice('Basic '.length)]) {
      if (secret) out = out.split(secret).join('***');
    }
    return out.replace(/ws_key=[^&\s]*/gi, 'ws_key=***');
  };

  private async perform<T>(method: string, path: string, params: Array<[string, string]>, body: string | FormData | undefined, o: PerformOptions<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const a = await this.attempt(method, path, params, body);
      if (a.ok) return this.succeed(method, path, a.res, o);
      const expected = o.onFailure?.(a.status, attempt);
      if (expected) return expected.value;
      const kind: ShopErrorKind = classifyShopError(a.status, a.errors.map((e) => e.code));
      if ((kind === 'retriable' || kind === 'server') && o.verify) {
        const done = await o.verify();
        if (done) {
          this.log.warn('écriture répondue en erreur mais bien faite dans la boutique', { method, path, status: a.status });
          return done.value;
        }
      }
      if (kind !== 'retriable' || attempt >= this.retries) {
        const detail = kind === 'retriable' ? [a.detail, `${attempt + 1} tentative(s)`].filter(Boolean).join(', ') : a.detail;
        throw shopError({ status: a.status, errors: a.errors, method, target: path || '/', detail, cause: a.cause, scrub: this.scrub });
      }
      const delay = backoffDelay(attempt, this.retryBaseMs);
      this.log.warn('nouvel essai de la requête PrestaShop', { method, path, status: a.status, detail: a.detail, attempt: attempt + 1, delayMs: delay });
      await sleep(delay);
    }
  }

  private succeed<T>(method: string, path: string, res: Exchange, o: PerformOptions<T>): T {
    try {
      return o.onSuccess(res);
    } catch (err) {
      // A 2xx that is not a webservice document (an HTML page from a proxy or a WAF, a cut body).
      if (!(err instanceof XmlFormatError)) throw err;
      throw shopError({ status: res.status, errors: [], method, target: path || '/', kind: 'server', detail: err.message, scrub: this.scrub });
    }
  }

  // We only ask for XML. (With output_format=JSON, PrestaShop answers 500 with code-3 warnings AND the data
  // when a stored object lacks a language, WEBSERVICE.md addendum; the same request in XML answers 200.)
  private async attempt(method: string, path: string, params: Array<[string, string]>, body: string | FormData | undefined): Promise<Attempt> {
    const started = Date.now();
    try {
      const res = await this.limiter.run(() => this.exchange(method, path, params, body));
      this.log.debug('PrestaShop request', { method, path, status: res.status, ms: Date.now() - started });
      if (res.status >= 200 && res.status < 300) return { ok: true, res };
      const errors = parseErrors(res.text);
      const detail = errors.length === 0 && res.text.trim() ? this.scrub(res.text.trim().slice(0, 200)) : undefined;
      return { ok: false, status: res.status, errors, detail };
    } catch (err) {
      if (err instanceof Interrupted) throw err;
      const detail = describeTransportError(err, this.timeoutMs);
      this.log.debug('PrestaShop request failed', { method, path, detail, ms: Date.now() - started });
      return { ok: false, status: undefined, errors: [], detail: this.scrub(detail), cause: err };
    }
  }

  private async exchange(method: string, path: string, params: Array<[string, string]>, body: string | FormData | undefined): Promise<Exchange> {
    const shop = this.shop;
    const all = shop === undefined ? params : [...params, ['id_shop', String(shop)] as [string, string]];
    const url = `${this.apiBase}/${path}${toQueryString(all)}`;
    const headers: Record<string, string> = { Authorization: this.auth };
    // a FormData body sets its own multipart Content-Type with the boundary
    if (typeof body === 'string') headers['Content-Type'] = 'text/xml; charset=utf-8';
    // A timer cleared with the answer: AbortSignal.timeout() would leave one pending timer per request
    // (thousands of them on a first run), each firing its abort event 30 s later.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new DOMException('délai dépassé', 'TimeoutError')), this.timeoutMs);
    try {
      const res = await fetch(url, { method, headers, body, signal: abort.signal });
      const text = await res.text();
      return { status: res.status, headers: res.headers, text };
    } finally {
      clearTimeout(timer);
    }
  }
}

function idOf(rec: PsRecord): string | undefined {
  const id = rec['id'];
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function describeTransportError(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return `délai de ${timeoutMs / 1000} s dépassé`;
  }
  const cause = err instanceof Error ? (err.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const why = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : err instanceof Error ? err.message : String(err);
  return `erreur réseau : ${why}`;
}
