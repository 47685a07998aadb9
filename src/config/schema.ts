// The configuration contract (README documents these keys). One zod schema: validation, defaults and
// documentation in one place; `secret()` marks values that must never be printed.
import { z } from 'zod';
import { Cron } from 'croner';
import { ordersConfigSchema } from '../erp/orders-config.ts';
import { invoicesConfigSchema, orderStatusConfigSchema } from './follow-up.ts';
import { catalogConfigSchema } from './catalog.ts';
import { pricesConfigSchema } from './prices.ts';
import { customersConfigSchema } from './customers.ts';
import { multistoreProblems, shopsSchema } from './multistore.ts';
import { dashboardConfigSchema } from '../dashboard/config.ts';

const secretKeys = new Set<string>();
/** Marks a string as a secret: redacted from logs, reports and error messages. */
function secret(path: string, schema: z.ZodType<string>) {
  secretKeys.add(path);
  return schema;
}
export function isSecretPath(path: string): boolean {
  return secretKeys.has(path);
}

const cron = z.string().refine((v) => {
  try {
    new Cron(v, { paused: true });
    return true;
  } catch {
    return false;
  }
}, 'expression cron invalide (ex. "0 * * * *")');

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('fr-FR', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const httpUrl = z.url({ protocol: /^https?$/, error: 'URL http(s) attendue, ex. https://boutique.example.com' });

export const ConfigSchema = z.object({
  erp: z.object({
    profile: z.enum(['sage100', 'ebp', 'divalto', 'generic']).describe('ERP whose files are read and written'),
    flows: z.record(z.string(), z.unknown()).optional()
      .describe('per-flow overrides of the ERP profile (file patterns, encoding, columns), merged over config/profiles/<profile>.yaml'),
  }),
  shop: z.object({
    url: httpUrl.describe("the shop's base URL; the webservice is at /api"),
    key: secret('shop.key', z.string().length(32, 'la clé du webservice PrestaShop fait exactement 32 caractères'))
      .describe('webservice key (use ${PRESTASHOP_KEY})'),
    language: z.string().min(2).default('fr').describe('default language (iso code); every shop language gets filled'),
    concurrency: z.number().int().min(1).max(16).default(4).describe('parallel webservice calls'),
    timeoutMs: z.number().int().positive().default(30000).describe('per request'),
    retries: z.number().int().min(0).max(20).default(5).describe('on timeouts and 502/503/504'),
    shopId: z.number().int().positive().optional().describe('multistore: the shop context (id_shop)'),
    shops: shopsSchema.optional().describe('multistore: shops whose orders are exported and whose stock is written — a list of ids ([1, 2]) or "all"; absent = the default shop only (or shop.shopId)'),
    timezone: z.string().default('Europe/Paris').refine(validTimeZone, 'fuseau horaire inconnu (ex. Europe/Paris)')
      .describe("the shop's time zone (PS_TIMEZONE): the webservice's dates carry no offset"),
  }),
  paths: z.object({
    drop: z.string().default('./drop').describe('local drop folder (drop/<pipeline>/<file> or drop/<file>)'),
    archive: z.string().default('./archive').describe('processed files and their reports'),
    outbox: z.string().default('./outbox').describe('ERP import files written here'),
    state: z.string().default('./var/state.sqlite').describe('SQLite state store'),
    logs: z.string().default('./logs').describe('JSON-lines logs, rotated daily'),
  }).prefault({}),
  sftp: z.object({
    host: z.string().min(1).describe("the ERP's SFTP server"),
    port: z.number().int().min(1).max(65535).default(22).describe('SSH port'),
    username: z.string().min(1).describe('SFTP account'),
    privateKey: secret('sftp.privateKey', z.string().min(1)).optional().describe('path to the private key file (${SFTP_KEY_FILE})'),
    passphrase: secret('sftp.passphrase', z.string()).optional().describe('of the private key, if it has one'),
    password: secret('sftp.password', z.string()).optional().describe('password authentication, when there is no key'),
    hostKeySha256: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'empreinte attendue au format "SHA256:…" (ssh-keygen -lf)')
      .describe('pinned host key; a mismatch refuses to connect'),
    inbound: z.string().min(1).describe('pulled into the local drop folder'),
    outbound: z.string().min(1).describe('ERP import files are pushed here'),
    minAgeMs: z.number().int().min(0).default(5000).describe('a remote file younger than this waits for the next poll'),
    pollSeconds: z.number().int().min(5).default(60).describe('how often `start` polls the inbound folder'),
  }).refine((s) => Boolean(s.privateKey || s.password), { message: 'privateKey ou password requis', path: ['privateKey'] })
    .optional(),
  schedules: z.object({
    masterData: cron.default('0 2 * * *').describe('categories, products, customers — nightly'),
    hourly: cron.default('0 * * * *').describe('prices, stock, order states, invoices, orders'),
  }).prefault({}),
  intake: z.object({
    minAgeMs: z.number().int().min(0).default(3000).describe('`start`: a dropped file is taken once this old and stable'),
    stableMs: z.number().int().min(0).default(1000).describe('`run`: size must stay the same this long'),
  }).prefault({}),
  stock: z.object({
    quantity: z.enum(['available', 'real']).default('available').describe('available (= real − reserved) | real'),
    warehouses: z.array(z.string()).default([]).describe('empty = sum of all warehouses in the file'),
  }).prefault({}),
  catalog: catalogConfigSchema.prefault({}),
  prices: pricesConfigSchema.prefault({}),
  customers: customersConfigSchema.prefault({}),
  orders: ordersConfigSchema.prefault({}),
  orderStatus: orderStatusConfigSchema.prefault({}),
  invoices: invoicesConfigSchema.prefault({}),
  dashboard: dashboardConfigSchema(secret).prefault({}),
}).superRefine(multistoreProblems);

export type Config = z.infer<typeof ConfigSchema>;
export type SftpSettings = NonNullable<Config['sftp']>;
