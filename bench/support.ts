// Shared pieces of `npm run bench`: scratch folders, configurations for the sandbox, timing, the stock
// file layout, and the table of figures printed beside their goals.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { validateConfig, type LoadedConfig } from '../src/config/load.ts';
import type { SandboxShop } from '../src/sandbox/index.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WORK = path.join(ROOT, '.bench', new Date().toISOString().replace(/[:.]/g, '-'));
export const ref = (i: number) => `REF-${String(i).padStart(7, '0')}`;
export const out = (s: string) => process.stdout.write(`${s}\n`);

export interface Figure { what: string; value: string; goal?: string; ok?: boolean }
export const figures: Figure[] = [];

/** Prints a figure at once and keeps it for the summary table. */
export function figure(f: Figure): void {
  figures.push(f);
  out(`  ${f.what}: ${f.value}${f.goal ? `  (goal ${f.goal}: ${f.ok ? 'met' : 'NOT met'})` : ''}`);
}

export function stockFile(lines: Array<[string, string, number, number]>): Buffer {
  const text = ['AR_Ref;DE_No;AS_QteSto;AS_QteRes', ...lines.map(([r, d, q, res]) => `${r};${d};${q},000;${res},000`)].join('\r\n');
  return iconv.encode(`${text}\r\n`, 'windows-1252');
}

/** A configuration for the sandbox in WORK/<name>/, written as JSON (valid YAML) for child processes. */
export async function configFor(shop: SandboxShop, name: string, extra: Record<string, unknown> = {}): Promise<LoadedConfig> {
  const dir = path.join(WORK, name);
  const raw = {
    erp: { profile: 'sage100' },
    shop: { url: shop.url, key: shop.key },
    paths: { drop: path.join(dir, 'drop'), archive: path.join(dir, 'archive'), outbox: path.join(dir, 'outbox'), state: path.join(dir, 'state.sqlite'), logs: path.join(dir, 'logs') },
    intake: { stableMs: 0 },
    orders: { since: '2000-01-01' },
    ...extra,
  };
  const loaded = { ...validateConfig(raw, {}), file: path.join(dir, 'config.json') };
  await fs.mkdir(loaded.config.paths.drop, { recursive: true });
  await fs.writeFile(loaded.file, JSON.stringify(raw, null, 2));
  return loaded;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

/** A bare papaparse parse of the same bytes: what reading the file costs at the least. Best of three. */
export function bareParseMs(bytes: Buffer): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    Papa.parse<Record<string, string>>(iconv.decode(bytes, 'windows-1252'), { header: true, delimiter: ';', skipEmptyLines: true, step: () => undefined });
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
