// `prestasync check`: what an integrator runs at a customer's before the first sync (LESSONS B7 — a
// host's firewall blocking PUT looked like a connector bug): folders writable, shop reached with its
// version and languages, the key's permissions for every flow, the SFTP host key and folders.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { LoadedConfig } from '../config/load.ts';
import { errorMessage } from '../errors.ts';
import { SftpDrop } from '../intake/sftp.ts';
import type { Logger } from '../log.ts';
import type { Pipeline } from '../pipeline.ts';
import { ShopClient } from '../prestashop/client.ts';
import { missingPermissions, type Method } from '../prestashop/permissions.ts';
import { shopsCheck } from './check-shops.ts';

export interface CheckLine { ok: boolean; what: string; detail: string }

export async function runChecks(loaded: LoadedConfig, pipelines: readonly Pipeline[], log: Logger): Promise<CheckLine[]> {
  const { config } = loaded;
  const lines: CheckLine[] = [];
  const add = (ok: boolean, what: string, detail: string) => lines.push({ ok, what, detail });

  for (const [name, dir] of Object.entries({ drop: config.paths.drop, archive: config.paths.archive, outbox: config.paths.outbox, state: path.dirname(config.paths.state), logs: config.paths.logs })) {
    try {
      await fs.mkdir(dir, { recursive: true });
      const probe = path.join(dir, `.prestasync-check-${process.pid}`);
      await fs.writeFile(probe, 'ok');
      await fs.unlink(probe); // our own probe, not a user's file
      add(true, `dossier ${name}`, dir);
    } catch (err) {
      add(false, `dossier ${name}`, `${dir} : ${errorMessage(err)}`);
    }
  }

  const shop = new ShopClient({ url: config.shop.url, key: config.shop.key, language: config.shop.language, retries: 1, timeoutMs: config.shop.timeoutMs, logger: log });
  try {
    const info = await shop.connect();
    add(true, 'boutique', `PrestaShop ${info.version} (${info.patch ? 'mises à jour par PATCH' : 'mises à jour par GET + PUT'}), langues ${info.languages.filter((l) => l.active).map((l) => l.iso).join(', ')}`);
    const perms = await shop.permissions();
    const write: Method = info.patch ? 'patch' : 'put';
    for (const p of pipelines) {
      const needs = [
        ...p.resources.map((resource) => ({ resource, methods: ['get'] as Method[] })),
        ...p.writes.map((resource) => ({ resource, methods: info.patch ? [write] : ['get', write] as Method[] })),
      ];
      const missing = missingPermissions(perms, needs);
      add(missing.length === 0, `droits de la clé pour le flux ${p.name}`, missing.length ? missing.join(' ; ') : [...p.resources, ...p.writes.map((w) => `${w} (${write.toUpperCase()})`)].join(', '));
    }
    const shops = await shopsCheck(config, shop, perms);
    if (shops) add(shops.ok, 'boutiques', shops.detail);
  } catch (err) {
    add(false, 'boutique', errorMessage(err));
  }

  if (config.sftp) {
    const sftp = new SftpDrop(config.sftp, log);
    try {
      const r = await sftp.check();
      add(r.inbound === 'ok', 'SFTP dossier des exports (inbound)', r.inbound === 'ok' ? config.sftp.inbound : r.inbound);
      add(r.outbound === 'ok', 'SFTP dossier des imports (outbound)', r.outbound === 'ok' ? config.sftp.outbound : r.outbound);
    } catch (err) {
      add(false, 'SFTP', errorMessage(err));
    } finally {
      await sftp.close().catch(() => undefined);
    }
  }
  return lines;
}

export function formatChecks(lines: CheckLine[]): string {
  const out = lines.map((l) => `${l.ok ? '✓' : '✗'} ${l.what} : ${l.detail}`);
  const bad = lines.filter((l) => !l.ok).length;
  out.push(bad === 0 ? 'Tout est prêt.' : `${bad} point(s) à corriger.`);
  return `${out.join('\n')}\n`;
}
