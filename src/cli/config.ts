// Which configuration a command needs. `status` only reads the local state: it must work without the
// shop's key (issue #6) — an integrator checks the last runs from a shell where PRESTASHOP_KEY is not set.
// Commands that talk to the shop (run, start, orders, check) keep the full validation.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { loadConfigFile, resolveConfigPath, validateConfig, type LoadedConfig } from '../config/load.ts';
import { ConfigError } from '../errors.ts';

export interface GlobalOpts { config?: string }

/** Stands for the key of a command that never sends it: 32 characters, so that the schema accepts it. */
const UNUSED_KEY = '0'.repeat(32);

export function loadConfig(g: GlobalOpts, o: { shop: boolean }): LoadedConfig {
  const file = resolveConfigPath(g.config);
  try {
    return loadConfigFile(file);
  } catch (err) {
    const keyProblem = (p: string) => p.startsWith('shop.key:');
    if (o.shop || !(err instanceof ConfigError) || !err.problems.some(keyProblem)) throw err;
    // Parsed already (a YAML error is not about shop.key): validate again with the key set aside, so that
    // every other problem is still reported.
    const raw = (parseYaml(readFileSync(file, 'utf8')) ?? {}) as { shop?: unknown };
    const shop = raw.shop && typeof raw.shop === 'object' ? { ...raw.shop, key: UNUSED_KEY } : raw.shop;
    const loaded = validateConfig({ ...raw, shop });
    return { ...loaded, file, secrets: loaded.secrets.filter((s) => s !== UNUSED_KEY) };
  }
}
