// Loads the YAML configuration once, before anything runs: ${VAR} substitution, then zod validation,
// every problem reported at once with its path (`shop.url: required`).
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigSchema, type Config } from './schema.ts';
import { ConfigError } from '../errors.ts';

export const DEFAULT_CONFIG_PATH = 'config/prestasync.yaml';

export function resolveConfigPath(cliPath?: string, env: NodeJS.ProcessEnv = process.env): string {
  return cliPath ?? env.PRESTASYNC_CONFIG ?? DEFAULT_CONFIG_PATH;
}

export interface LoadedConfig {
  config: Config;
  file: string;
  /** Every secret value found, so that loggers and reports can redact them wherever they appear. */
  secrets: string[];
}

export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  if (!existsSync(file)) {
    throw new ConfigError([`fichier de configuration introuvable : ${file} (--config FICHIER ou PRESTASYNC_CONFIG)`]);
  }
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError([`${file} : YAML invalide — ${(err as Error).message.split('\n')[0]}`]);
  }
  return { ...validateConfig(raw, env), file };
}

export function validateConfig(raw: unknown, env: NodeJS.ProcessEnv = process.env): Omit<LoadedConfig, 'file'> {
  const problems: string[] = [];
  const substituted = substituteEnv(raw ?? {}, env, [], problems);
  const parsed = ConfigSchema.safeParse(substituted);
  if (!parsed.success) problems.push(...formatIssues(parsed.error.issues));
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const config = parsed.data;
  return { config: resolvePaths(config), secrets: collectSecrets(config) };
}

function formatIssues(issues: z.core.$ZodIssue[]): string[] {
  return issues.map((i) => {
    const where = i.path.length ? i.path.join('.') : '(racine)';
    const message = i.code === 'invalid_type' && i.input === undefined ? 'requis' : i.message;
    return `${where}: ${message}`;
  });
}

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, at: string[], problems: string[]): unknown {
  if (typeof value === 'string') {
    return value.replace(VAR, (_m, name: string) => {
      const v = env[name];
      if (v === undefined || v === '') {
        problems.push(`${at.join('.')}: variable d'environnement ${name} absente ou vide`);
        return '';
      }
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, [...at, String(i)], problems));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substituteEnv(v, env, [...at, k], problems)]),
    );
  }
  return value;
}

function resolvePaths(config: Config): Config {
  // Relative paths are taken from the working directory, as an integrator types them in a shell.
  const p = config.paths;
  const abs = (x: string) => path.resolve(x);
  return { ...config, paths: { drop: abs(p.drop), archive: abs(p.archive), outbox: abs(p.outbox), state: abs(p.state), logs: abs(p.logs) } };
}

function collectSecrets(config: Config): string[] {
  const values = [config.shop.key, config.sftp?.password, config.sftp?.passphrase];
  const keyFile = config.sftp?.privateKey;
  if (keyFile && existsSync(keyFile)) {
    try {
      values.push(readFileSync(keyFile, 'utf8').trim());
    } catch {
      // unreadable key file: the SFTP connection will report it; nothing to redact then
    }
  }
  return values.filter((v): v is string => typeof v === 'string' && v.length >= 4);
}
