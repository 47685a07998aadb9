// A throw-away installation for engine tests: temp folders, a sandbox shop seeded with products, a
// validated configuration, and an engine built from it the way the CLI builds one.
import { mkdtempSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import iconv from 'iconv-lite';
import type { FileReport } from '../../src/report.ts';
import { validateConfig, type LoadedConfig } from '../../src/config/load.ts';
import { Engine } from '../../src/engine.ts';
import { silentLogger } from '../../src/log.ts';
import type { Pipeline } from '../../src/pipeline.ts';
import { startSandbox, type SandboxSeed, type SandboxShop } from '../../src/sandbox/index.ts';
import { DOCUMENT_FORMATS, PIPELINES } from '../../pipelines/registry.ts';
import type { DocumentFormat } from '../../src/document.ts';

export interface Workspace {
  root: string;
  drop: string;
  archive: string;
  shop: SandboxShop;
  loaded: LoadedConfig;
  configFile: string;
  engine(opts?: { dryRun?: boolean; pipelines?: readonly Pipeline[]; documents?: readonly DocumentFormat[] }): Promise<Engine>;
  /** Writes a Sage stock export (AR_Ref;DE_No;AS_QteSto;AS_QteRes, cp1252, CRLF) into drop/<sub>. */
  dropStock(name: string, rows: Array<[string, string, string, string]>, sub?: string): Promise<string>;
  quantityOf(reference: string): number | undefined;
  close(): Promise<void>;
}

export interface WorkspaceOptions {
  products?: Array<{ reference: string; name?: string; quantity?: number }>;
  config?: Record<string, unknown>;
  latencyMs?: number | [number, number];
  /** PSWS-Version the sandbox announces, e.g. '1.7.8.10' for a shop without PATCH. */
  version?: string;
  /** Multistore: the sandbox's shops besides shop 1 and its shop groups besides group 1. */
  shops?: SandboxSeed['shops'];
  shopGroups?: SandboxSeed['shopGroups'];
  /** Merged into the config's shop section (url and key stay the sandbox's), e.g. { shops: [1, 2] }. */
  shopConfig?: Record<string, unknown>;
}

export async function makeWorkspace(o: WorkspaceOptions = {}): Promise<Workspace> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'prestasync-test-'));
  const shop = await startSandbox({
    ...(o.latencyMs ? { latencyMs: o.latencyMs } : {}),
    ...(o.version ? { version: o.version } : {}),
    seed: {
      products: (o.products ?? []).map((p) => ({ reference: p.reference, name: p.name ?? `Article ${p.reference}`, price: '10.000000', quantity: p.quantity ?? 0 })),
      ...(o.shops ? { shops: o.shops } : {}), ...(o.shopGroups ? { shopGroups: o.shopGroups } : {}),
    },
  });
  const raw = {
    erp: { profile: 'sage100' },
    shop: { url: shop.url, key: shop.key, language: 'fr', retries: 8, ...o.shopConfig },
    paths: { drop: path.join(root, 'drop'), archive: path.join(root, 'archive'), outbox: path.join(root, 'outbox'), state: path.join(root, 'var', 'state.sqlite'), logs: path.join(root, 'logs') },
    intake: { stableMs: 0, minAgeMs: 0 },
    ...o.config,
  };
  const loaded = validateConfig(raw) as LoadedConfig;
  loaded.file = path.join(root, 'prestasync.yaml');
  await fs.mkdir(loaded.config.paths.drop, { recursive: true });
  await fs.writeFile(loaded.file, JSON.stringify(raw, null, 2)); // JSON is valid YAML: the CLI reads it as is
  const engines: Engine[] = [];

  return {
    root, shop, loaded, configFile: loaded.file,
    drop: loaded.config.paths.drop,
    archive: loaded.config.paths.archive,
    async engine(opts = {}) {
      const e = await Engine.open(loaded, { log: silentLogger(), pipelines: opts.pipelines ?? PIPELINES, documents: opts.documents ?? DOCUMENT_FORMATS, dryRun: opts.dryRun ?? false, retryBaseMs: 5 });
      engines.push(e);
      return e;
    },
    async dropStock(name, rows, sub) {
      const dir = sub ? path.join(loaded.config.paths.drop, sub) : loaded.config.paths.drop;
      await fs.mkdir(dir, { recursive: true });
      const text = ['AR_Ref;DE_No;AS_QteSto;AS_QteRes', ...rows.map((r) => r.join(';'))].join('\r\n') + '\r\n';
      const file = path.join(dir, name);
      await fs.writeFile(file, iconv.encode(text, 'windows-1252'));
      return file;
    },
    quantityOf(reference) {
      const product = shop.store.list('products').find((p) => p.reference === reference);
      if (!product) return undefined;
      const row = shop.store.list('stock_availables').find((s) => String(s.id_product) === String(product.id) && String(s.id_product_attribute) === '0');
      return row ? Number(row.quantity) : undefined;
    },
    async close() {
      for (const e of engines) {
        try { e.close(); } catch { /* already closed */ }
      }
      await shop.close();
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}

/** Every file below a folder, relative paths, sorted (to assert what the archive holds). */
export async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string): Promise<void> {
    for (const e of await fs.readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(path.relative(dir, p));
    }
  }
  await walk(dir);
  return out.sort();
}

/** The one report of the file `name` in the workspace's archive. */
export async function reportOf(ws: Pick<Workspace, 'archive'>, name: string): Promise<FileReport> {
  const found = (await listTree(ws.archive)).filter((f) => f.endsWith(`${name}.report.json`));
  expect(found, `one report of ${name}`).to.have.length(1);
  return JSON.parse(await fs.readFile(path.join(ws.archive, found[0]!), 'utf8')) as FileReport;
}
