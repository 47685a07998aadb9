// The dashboard off loopback (issue 12): a configuration without a login is refused, and with one
// nothing is shown, downloaded or run before logging in.
import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateConfig } from '../../src/config/load.ts';
import { hashPassword, isLoopback, verifyPassword } from '../../src/dashboard/auth.ts';
import { csvCell, excelCsv } from '../../src/dashboard/csv.ts';
import { Dashboard } from '../../src/dashboard/server.ts';
import type { Engine } from '../../src/engine.ts';
import { makeWorkspace, type Workspace } from '../support/workspace.ts';

const TOKEN = '0123456789abcdef0123456789abcdef';
const BASE = { erp: { profile: 'sage100' }, shop: { url: 'https://boutique.example.com', key: 'K'.repeat(32) } };

function configError(raw: unknown): string {
  try {
    validateConfig(raw);
  } catch (err) {
    return String(err);
  }
  return '';
}

/** This machine's first non-loopback IPv4 address, else 0.0.0.0 (every address, reached through loopback). */
function networkAddress(): { bind: string; reach: string } {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return { bind: a.address, reach: a.address };
  }
  return { bind: '0.0.0.0', reach: '127.0.0.1' };
}

describe('dashboard login', () => {
  it('hashes passwords with scrypt and verifies them', async () => {
    const h = await hashPassword('Mot de passe très long');
    expect(h).to.match(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('Mot de passe très long', h)).to.equal(true);
    expect(await verifyPassword('mot de passe très long', h)).to.equal(false);
    expect(await verifyPassword('x', 'pas une empreinte')).to.equal(false);
  });

  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3']) expect(isLoopback(h), h).to.equal(true);
    for (const h of ['0.0.0.0', '192.168.1.10', '::', 'prestasync.local']) expect(isLoopback(h), h).to.equal(false);
  });

  it('refuses a configuration listening off loopback without user and password hash', async () => {
    expect(configError({ ...BASE, dashboard: { host: '0.0.0.0' } })).to.match(/dashboard\.host.*user et passwordHash sont obligatoires/s);
    expect(configError({ ...BASE, dashboard: { host: '0.0.0.0', user: 'adv' } })).to.match(/passwordHash/);
    expect(configError({ ...BASE, dashboard: { host: '0.0.0.0', user: 'adv', passwordHash: 'secret' } })).to.match(/hash-password/);
    expect(configError({ ...BASE, dashboard: { host: '0.0.0.0', user: 'adv', passwordHash: await hashPassword('x') } })).to.equal('');
    expect(configError({ ...BASE, dashboard: { host: '0.0.0.0', enabled: false } }), 'not served: nothing to protect').to.equal('');
    expect(configError(BASE), 'loopback by default').to.equal('');
  });

  it('formula-safe CSV for Excel: `;`, BOM, CRLF, = + - @ prefixed', () => {
    expect(csvCell('=HYPERLINK("http://x")')).to.equal('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+33 1 23')).to.equal("'+33 1 23");
    expect(csvCell('-5')).to.equal("'-5");
    expect(csvCell('@SUM(A1)')).to.equal("'@SUM(A1)");
    expect(csvCell('a;b')).to.equal('"a;b"');
    expect(csvCell('Écrou M6')).to.equal('Écrou M6');
    expect(excelCsv(['a', 'b'], [[1, null]]).toString('utf8')).to.equal('\uFEFFa;b\r\n1;\r\n');
  });

  describe('listening on a non-loopback address', function () {
    this.timeout(60_000);
    let ws: Workspace;
    let engine: Engine;
    let dashboard: Dashboard;
    let asked: string[];
    const { bind, reach } = networkAddress();

    before(async () => {
      ws = await makeWorkspace({
        products: [{ reference: 'VIS-4X40', quantity: 1 }],
        config: {
          dashboard: { host: bind, port: 8686, user: 'adv', passwordHash: await hashPassword('Printemps-2026') },
          invoices: { publish: 'serve', baseUrl: 'https://boutique.example.com/factures/' },
        },
      });
      ws.loaded.config.invoices.folder = path.join(ws.root, 'public');
      await fs.mkdir(path.join(ws.root, 'public', TOKEN), { recursive: true });
      await fs.writeFile(path.join(ws.root, 'public', TOKEN, 'FA00123.pdf'), '%PDF-1.4 facture');
      await ws.dropStock('stock_a.csv', [['VIS-4X40', '1', '4', '0']]);
      engine = await ws.engine();
      await engine.runOnce();
      asked = [];
      dashboard = await Dashboard.start({ engine, enqueue: (t) => asked.push(t.key), pending: () => [] }, { port: 0 });
    });
    after(async () => {
      await dashboard?.close();
      await ws?.close();
    });

    const url = (p: string) => `${dashboard.url.replace(/\/\/[^/:]+|\/\/\[[^\]]+\]/, `//${reach}`)}${p}`;

    it('without a login: every page sends to the login form, nothing is shown, downloaded or run', async () => {
      expect(isLoopback(bind), `listening on ${bind}`).to.equal(false);
      for (const p of ['/', '/executions', '/fichiers', '/fichiers/1', '/fichiers/1/telecharger', '/fichiers/1/rejets.csv', '/quarantaine', '/commandes', '/reconciliation']) {
        const r = await fetch(url(p), { redirect: 'manual' });
        expect(r.status, p).to.equal(303);
        expect(r.headers.get('location'), p).to.match(/^\/connexion\?retour=/);
        expect(await r.text(), p).to.not.contain('stock_a');
      }
      for (const p of ['/flux/stock/synchroniser', '/fichiers/1/rejouer', '/commandes/relancer', '/reconciliation/corriger']) {
        const r = await fetch(url(p), { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
        expect(r.status, p).to.equal(401);
      }
      const forged = await fetch(url('/flux/stock/synchroniser'), { method: 'POST', redirect: 'manual', headers: { cookie: 'prestasync_session=devine' } });
      expect(forged.status).to.equal(401);
      expect(asked, 'nothing was run').to.deep.equal([]);
    });

    it('a wrong password is refused; the right one opens a session', async () => {
      const login = (password: string) => fetch(url('/connexion'), {
        method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ user: 'adv', password, retour: '/executions' }).toString(),
      });
      const bad = await login('printemps-2026');
      expect(bad.status).to.equal(401);
      expect(await bad.text()).to.contain('Utilisateur ou mot de passe incorrect.');
      const ok = await login('Printemps-2026');
      expect(ok.status).to.equal(303);
      expect(ok.headers.get('location')).to.equal('/executions');
      const cookie = ok.headers.get('set-cookie')!;
      expect(cookie).to.match(/HttpOnly; SameSite=Strict/);
      const page = await fetch(url('/executions'), { headers: { cookie: cookie.split(';')[0]! } });
      expect(page.status).to.equal(200);
      expect(await page.text()).to.contain('stock_a.csv');
      const sync = await fetch(url('/flux/stock/synchroniser'), { method: 'POST', redirect: 'manual', headers: { cookie: cookie.split(';')[0]! } });
      expect(sync.status).to.equal(303);
      expect(asked).to.deep.equal(['pipeline:stock']);
    });

    it('invoices.publish serve: the shop\'s customers get their invoice without a login, nothing else', async () => {
      const pdf = await fetch(url(`/factures/${TOKEN}/FA00123.pdf`));
      expect(pdf.status).to.equal(200);
      expect(pdf.headers.get('content-type')).to.equal('application/pdf');
      expect(await pdf.text()).to.equal('%PDF-1.4 facture');
      for (const p of ['/factures/', `/factures/${TOKEN}/`, `/factures/${TOKEN}/FA00124.pdf`, `/factures/${TOKEN}/..%2F..%2Fvar%2Fstate.sqlite`]) {
        expect((await fetch(url(p), { redirect: 'manual' })).status, p).to.equal(404);
      }
    });

    it('a button pressed from another site is refused (Origin checked), « Origin: null » too', async () => {
      const r = await fetch(url('/flux/stock/synchroniser'), { method: 'POST', redirect: 'manual', headers: { origin: 'https://attaquant.example' } });
      expect(r.status).to.equal(403);
      const sandboxed = await fetch(url('/flux/stock/synchroniser'), { method: 'POST', redirect: 'manual', headers: { origin: 'null' } });
      expect(sandboxed.status).to.equal(403);
    });
  });
});
