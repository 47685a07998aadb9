// The dashboard (issue 12): server-rendered HTML, no script, every asset served from here (the customer's
// server may have no internet). Served by `prestasync start`; every action goes through the service's
// queue, hence through the same run lock as the schedules.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Eta } from 'eta';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../engine.ts';
import { cookies, isLoopback, Sessions, verifyPassword } from './auth.ts';
import { formatDate, statusWord, words, type Lang } from './i18n.ts';
import { registerPages } from './routes.ts';
import { invoiceRequestHandler } from '../invoices/serve.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SESSION = 'prestasync_session';
const LANG = 'prestasync_lang';

export interface Task { key: string; run: () => Promise<unknown> }

export interface DashboardDeps {
  engine: Engine;
  /** The service's queue (src/service.ts): one run at a time, in the order asked. */
  enqueue: (task: Task) => void;
  /** Keys of the tasks running or waiting. */
  pending: () => string[];
}

export interface Page { lang: Lang; user?: string; authOn: boolean; path: string }

export type Render = (req: FastifyRequest, reply: FastifyReply, view: string, data: Record<string, unknown>, o?: { refresh?: boolean }) => Promise<FastifyReply>;

export class Dashboard {
  private constructor(private readonly app: FastifyInstance, readonly url: string) {}

  static async start(deps: DashboardDeps, o: { host?: string; port?: number } = {}): Promise<Dashboard> {
    const cfg = deps.engine.config.dashboard;
    const host = o.host ?? cfg.host;
    const port = o.port ?? cfg.port;
    const authOn = Boolean(cfg.user && cfg.passwordHash);
    if (!isLoopback(host) && !authOn) {
      // The configuration already refuses this; a caller passing another host must not get round it.
      throw new Error(`tableau de bord sur ${host} sans dashboard.user ni dashboard.passwordHash : refusé`);
    }
    const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
    const sessions = new Sessions();
    const eta = new Eta({ views: path.join(HERE, 'views'), autoEscape: true, cache: true });
    const timezone = deps.engine.config.shop.timezone;
    const invoices = invoicesMount(deps.engine);

    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });

    const langOf = (req: FastifyRequest): Lang => {
      const c = cookies(req.headers.cookie)[LANG];
      return c === 'en' || c === 'fr' ? c : cfg.language;
    };
    const userOf = (req: FastifyRequest) => (authOn ? sessions.userOf(cookies(req.headers.cookie)[SESSION]) : undefined);

    app.addHook('onRequest', async (req, reply) => {
      reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'");
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'same-origin');
      reply.header('cache-control', 'no-store');
      const url = req.url.split('?')[0]!;
      // A page of another site must not make the browser of someone logged in press our buttons.
      if (req.method === 'POST' && req.headers.origin && hostOf(req.headers.origin) !== req.headers.host) {
        return reply.code(403).type('text/plain; charset=utf-8').send('Requête refusée : elle ne vient pas du tableau de bord.');
      }
      // The shop's customers open their invoices from the link in their order: no login, the token is the key.
      if (!authOn || url === '/connexion' || url.startsWith('/assets/') || (invoices && url.startsWith(invoices.mount))) return undefined;
      if (userOf(req)) return undefined;
      if (req.method === 'GET') return reply.code(303).header('location', `/connexion?retour=${encodeURIComponent(req.url)}`).send();
      return reply.code(401).type('text/plain; charset=utf-8').send('Connexion requise.');
    });

    const render: Render = async (req, reply, view, data, ro = {}) => {
      const lang = langOf(req);
      const w = words(lang);
      const page: Page = { lang, authOn, path: req.url, ...(userOf(req) ? { user: userOf(req)! } : {}) };
      const html = await eta.renderAsync(view, {
        ...data, w, page, refresh: ro.refresh ?? false,
        fmt: (iso: string | null | undefined) => formatDate(lang, timezone, iso),
        st: (s: string) => statusWord(w, s),
      });
      return reply.type('text/html; charset=utf-8').send(html);
    };

    app.get('/assets/style.css', async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'max-age=3600')
      .send(await fs.readFile(path.join(HERE, 'assets', 'style.css'))));

    app.get('/connexion', async (req, reply) => {
      if (!authOn) return reply.code(303).header('location', '/').send();
      return render(req, reply, 'login', { failed: false, retour: safeReturn((req.query as { retour?: string }).retour) });
    });
    app.post('/connexion', async (req, reply) => {
      const b = (req.body ?? {}) as { user?: string; password?: string; retour?: string };
      const ok = authOn && b.user === cfg.user && typeof b.password === 'string' && await verifyPassword(b.password, cfg.passwordHash!);
      if (!ok) return render(req, reply.code(401), 'login', { failed: true, retour: safeReturn(b.retour) });
      const token = sessions.open(b.user!);
      const secure = req.headers['x-forwarded-proto'] === 'https' ? '; Secure' : '';
      return reply.code(303).header('set-cookie', `${SESSION}=${token}; Path=/; HttpOnly; SameSite=Strict${secure}`).header('location', safeReturn(b.retour)).send();
    });
    app.post('/deconnexion', async (req, reply) => {
      sessions.close(cookies(req.headers.cookie)[SESSION]);
      return reply.code(303).header('set-cookie', `${SESSION}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`).header('location', '/connexion').send();
    });
    app.get('/langue/:lang', async (req, reply) => {
      const lang = (req.params as { lang: string }).lang === 'en' ? 'en' : 'fr';
      return reply.code(303).header('set-cookie', `${LANG}=${lang}; Path=/; SameSite=Lax; Max-Age=31536000`)
        .header('location', safeReturn((req.query as { retour?: string }).retour)).send();
    });

    registerPages(app, deps, render);
    if (invoices) {
      const handler = invoiceRequestHandler(invoices.folder, invoices.mount);
      app.route({
        method: ['GET', 'HEAD'], url: `${invoices.mount}*`, exposeHeadRoute: false,
        handler: async (req, reply) => {
          reply.hijack();
          await handler(req.raw, reply.raw);
        },
      });
    }

    const address = await app.listen({ host, port });
    return new Dashboard(app, address.replace('[::1]', 'localhost'));
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}

/** invoices.publish: serve — the invoices are served here, at the path of invoices.baseUrl (README). */
function invoicesMount(engine: Engine): { mount: string; folder: string } | undefined {
  const inv = engine.config.invoices;
  if (inv.publish !== 'serve' || !inv.baseUrl) return undefined;
  const mount = new URL(inv.baseUrl).pathname.replace(/\/?$/, '/');
  if (mount === '/') {
    engine.log.warn('invoices.baseUrl sans chemin (ex. https://boutique.example.com/factures/) : les factures ne sont pas servies par le tableau de bord');
    return undefined;
  }
  return { mount, folder: path.resolve(inv.folder) };
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined; // « null » (a sandboxed frame, a file): not this site
  }
}

/** Only a path of this site: a link from elsewhere must not send a user on to another site after login. */
function safeReturn(r: string | undefined): string {
  return r && r.startsWith('/') && !r.startsWith('//') && !r.startsWith('/\\') ? r : '/';
}
