// The dashboard's login (issue 12): a user and a scrypt hash of the password in the configuration, a
// session cookie once logged in. Required whenever the dashboard listens on anything but loopback
// (src/config/schema.ts refuses such a configuration without them). node:crypto only: no native module.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEYLEN = 32;
/** N = 2^15: about 30 ms per login on a small server, far too slow for guessing in bulk. */
const COST = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

function scrypt(password: string, salt: Buffer, o: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password, salt, KEYLEN, o, (err, key) => (err ? reject(err) : resolve(key))));
}

/** `scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>`: what `prestasync hash-password` prints. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export const PASSWORD_HASH = /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/;

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (!PASSWORD_HASH.test(stored)) return false;
  const [, n, r, p, salt, hash] = stored.split('$');
  const expected = Buffer.from(hash!, 'base64');
  const key = await scrypt(password, Buffer.from(salt!, 'base64'), { N: Number(n), r: Number(r), p: Number(p), maxmem: 256 * 1024 * 1024 });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** 127.0.0.0/8, ::1 and localhost: only this machine's users reach it. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** Sessions in memory: a restart of the service logs everyone out, which is acceptable for a back office. */
export class Sessions {
  private readonly byToken = new Map<string, { user: string; expires: number }>();

  constructor(private readonly ttlMs = 8 * 3600_000, private readonly now = () => Date.now()) {}

  open(user: string): string {
    const token = randomBytes(32).toString('base64url');
    this.byToken.set(token, { user, expires: this.now() + this.ttlMs });
    return token;
  }

  userOf(token: string | undefined): string | undefined {
    if (!token) return undefined;
    const s = this.byToken.get(token);
    if (!s) return undefined;
    if (s.expires < this.now()) {
      this.byToken.delete(token);
      return undefined;
    }
    return s.user;
  }

  close(token: string | undefined): void {
    if (token) this.byToken.delete(token);
  }
}

export function cookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    try {
      out[k] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      // A cookie another site set on this host, badly encoded: not ours.
    }
  }
  return out;
}
