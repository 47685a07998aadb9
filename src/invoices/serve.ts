// invoices.publish: serve — prestasync serves the published invoices itself, read only. A request handler
// for node:http that the dashboard mounts under the path of invoices.baseUrl: GET or HEAD
// /<token>/<file>.pdf answers the PDF of invoices.folder; anything else is a 404 (no listing, no path
// outside the folder, no other file type), so that an address can neither be guessed nor walked.
import { createReadStream, promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { TOKEN } from './publish.ts';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.pdf$/;

/** Handles requests whose path (below the mount point) is `/<token>/<name>.pdf`. */
export function invoiceRequestHandler(folder: string, mountPath = '/'): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const root = path.resolve(folder);
  const mount = mountPath.endsWith('/') ? mountPath : `${mountPath}/`;
  return async (req, res) => {
    const notFound = (status = 404) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(status === 405 ? 'Méthode non autorisée\n' : 'Facture introuvable\n');
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return notFound(405);
    const url = new URL(req.url ?? '/', 'http://invoices.local');
    if (!url.pathname.startsWith(mount)) return notFound();
    const parts = url.pathname.slice(mount.length).split('/');
    if (parts.length !== 2) return notFound();
    const [token, encoded] = parts as [string, string];
    let name: string;
    try {
      name = decodeURIComponent(encoded);
    } catch {
      return notFound();
    }
    if (!TOKEN.test(token) || !NAME.test(name)) return notFound();
    const file = path.join(root, token, name);
    const st = await fs.stat(file).catch(() => undefined);
    if (!st?.isFile()) return notFound();
    res.writeHead(200, {
      'Content-Type': 'application/pdf',
      'Content-Length': String(st.size),
      'Content-Disposition': `inline; filename="${name}"`,
      // A corrected invoice replaces the file at the same address; the token must not leak to other sites.
      'Cache-Control': 'private, no-cache',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'X-Robots-Tag': 'noindex',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await new Promise<void>((resolve) => {
      const stream = createReadStream(file);
      stream.on('error', () => { res.destroy(); resolve(); });
      stream.on('end', () => resolve());
      stream.pipe(res);
    });
  };
}
