// The configuration keys as documentation: every leaf of the zod schema with its description and default.
// `npm run config:keys` prints them as Markdown; a test checks that the README names every one.
import { z } from 'zod';
import { ConfigSchema } from './schema.ts';

export interface ConfigKey { path: string; description: string; default?: string }

function unwrap(schema: z.ZodType): { inner: z.ZodType; description?: string; default?: unknown } {
  let s: z.ZodType = schema;
  let description = s.description;
  let dflt: unknown;
  for (let i = 0; i < 10; i++) {
    const def = (s as unknown as { def: { type: string; innerType?: z.ZodType; in?: z.ZodType; defaultValue?: unknown } }).def;
    if ((def.type === 'default' || def.type === 'prefault') && def.innerType) {
      if (def.type === 'default') dflt = typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : def.defaultValue;
      s = def.innerType;
    } else if ((def.type === 'optional' || def.type === 'nullable') && def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else break;
    description ??= s.description;
  }
  return { inner: s, ...(description ? { description } : {}), ...(dflt !== undefined ? { default: dflt } : {}) };
}

export function configKeys(schema: z.ZodType = ConfigSchema, prefix = ''): ConfigKey[] {
  const { inner, description, default: dflt } = unwrap(schema);
  const def = (inner as unknown as { def: { type: string; shape?: Record<string, z.ZodType> } }).def;
  if (def.type === 'object' && def.shape) {
    return Object.entries(def.shape).flatMap(([k, v]) => configKeys(v, prefix ? `${prefix}.${k}` : k));
  }
  const shown = dflt === undefined ? undefined : JSON.stringify(dflt);
  return [{ path: prefix, description: description ?? '', ...(shown !== undefined && shown.length <= 60 ? { default: shown } : {}) }];
}

export function configKeysMarkdown(): string {
  const rows = configKeys().map((k) => `| \`${k.path}\` | ${k.default ? `\`${k.default}\`` : ''} | ${k.description.replace(/\|/g, '\\|')} |`);
  return ['| key | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

if (process.argv[1]?.endsWith('keys.ts')) process.stdout.write(`${configKeysMarkdown()}\n`);
