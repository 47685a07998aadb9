// `dashboard:` in the configuration (issue 12). A dashboard reachable from the network without a login
// would let anyone replay files or start a synchronisation: refused as a configuration error.
import { z } from 'zod';
import { isLoopback, PASSWORD_HASH } from './auth.ts';

export function dashboardConfigSchema(secret: (path: string, schema: z.ZodType<string>) => z.ZodType<string>) {
  return z.object({
    enabled: z.boolean().default(true).describe('`prestasync start` serves the dashboard'),
    host: z.string().min(1).default('127.0.0.1').describe('listening address; anything but loopback requires user and passwordHash'),
    port: z.number().int().min(0).max(65535).default(8686).describe('listening port (0: any free port, printed at start)'),
    language: z.enum(['fr', 'en']).default('fr').describe('default language of the pages (each user can switch)'),
    user: z.string().min(1).optional().describe('login user'),
    passwordHash: secret('dashboard.passwordHash', z.string().regex(PASSWORD_HASH, 'empreinte attendue au format de « prestasync hash-password » (scrypt$…)')).optional()
      .describe('printed by `prestasync hash-password`'),
  }).superRefine((d, ctx) => {
    if (Boolean(d.user) !== Boolean(d.passwordHash)) {
      ctx.addIssue({ code: 'custom', path: [d.user ? 'passwordHash' : 'user'], message: 'user et passwordHash vont ensemble (passwordHash : « prestasync hash-password »)' });
    }
    if (d.enabled && !isLoopback(d.host) && !(d.user && d.passwordHash)) {
      ctx.addIssue({ code: 'custom', path: ['host'], message: `le tableau de bord écoute sur ${d.host}, accessible depuis le réseau : user et passwordHash sont obligatoires (passwordHash : « prestasync hash-password »), ou host: 127.0.0.1` });
    }
  });
}
