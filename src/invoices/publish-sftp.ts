// Invoices published to a folder on the shop's host by SFTP. Same rules as the ERP side (src/intake/sftp.ts,
// whose host-key pinning and error mapping this reuses): the host key must match the pinned fingerprint,
// a file is written under a dot name and renamed once complete. Unlike the ERP side, a corrected invoice
// must REPLACE the published file at its address: the rename overwrites (OpenSSH's posix-rename, or
// remove-then-rename on a server without it). One connection per upload, as for the ERP's files.
import path from 'node:path';
import type SftpClient from 'ssh2-sftp-client';
import { promises as fsp } from 'node:fs';
import { ConfigError, errorMessage } from '../errors.ts';
import {
  connectError, hostKeyFingerprint, isNoSuchFile, isPermissionDenied, normalizeFingerprint, operationError,
  SftpHostKeyMismatch, type ConnectState,
} from '../intake/sftp-errors.ts';
import type { Logger } from '../log.ts';

export interface SftpTarget {
  host: string;
  port: number;
  username: string;
  privateKey: string;
  hostKeySha256: string;
  folder: string;
}

const SAFE_NAME = /^[A-Za-z0-9._-]+$/;

export class SftpInvoicePublisher {
  private readonly active = new Set<SftpClient>();

  constructor(private readonly cfg: SftpTarget, private readonly log: Pick<Logger, 'info' | 'warn'>, private readonly timeoutMs = 20_000) {}

  async put(token: string, fileName: string, bytes: Uint8Array): Promise<void> {
    if (!SAFE_NAME.test(token) || !SAFE_NAME.test(fileName) || fileName.startsWith('.')) throw new RangeError(`invalid remote name ${token}/${fileName}`);
    const dir = path.posix.join(this.cfg.folder, token);
    const target = path.posix.join(dir, fileName);
    const part = path.posix.join(dir, `.${fileName}.part`);
    await this.session(async (client, state) => {
      const op = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
        try {
          return await work();
        } catch (err) {
          if (isPermissionDenied(err)) throw new ConfigError([`Dossier SFTP des factures inaccessible : ${this.cfg.folder} (${what}).`]);
          throw operationError(err, state, what);
        }
      };
      const base = await op('lecture du dossier des factures', () => client.exists(this.cfg.folder));
      if (base !== 'd') throw new ConfigError([`Dossier SFTP des factures introuvable : ${this.cfg.folder} (invoices.sftp.folder).`]);
      if ((await op(`lecture de ${dir}`, () => client.exists(dir))) === false) await op(`création de ${dir}`, () => client.mkdir(dir));
      await op(`envoi de ${fileName}`, () => client.put(Buffer.from(bytes), part));
      const sent = await op(`vérification de ${fileName}`, () => client.stat(part));
      if (sent.size !== bytes.byteLength) throw operationError(new Error(`${sent.size} octets sur ${bytes.byteLength}`), state, `envoi de ${fileName}`);
      try {
        await client.posixRename(part, target);
      } catch (err) {
        // Without the extension, plain SFTP rename refuses an existing target: remove the old version first.
        this.log.warn('sftp: posix-rename refused, replacing by remove + rename', { file: target, error: errorMessage(err) });
        await client.delete(target).catch((e: unknown) => { if (!isNoSuchFile(e)) throw operationError(e, state, `remplacement de ${fileName}`); });
        await op(`renommage de ${fileName}`, () => client.rename(part, target));
      }
      this.log.info('sftp: invoice published', { file: target, size: bytes.byteLength });
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.active].map((c) => c.end().catch(() => false)));
    this.active.clear();
  }

  private async session(work: (client: SftpClient, state: ConnectState) => Promise<void>): Promise<void> {
    const { host, port, username } = this.cfg;
    const where = `${host}:${port}`;
    let privateKey: Buffer;
    try {
      privateKey = await fsp.readFile(this.cfg.privateKey);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ConfigError([`invoices.sftp.privateKey : clé privée ${code === 'ENOENT' ? 'introuvable' : `illisible (${code ?? 'erreur inconnue'})`} : ${this.cfg.privateKey}`]);
    }
    const state: ConnectState = { closed: false };
    const expected = normalizeFingerprint(this.cfg.hostKeySha256);
    // ssh2 is loaded by the runs that connect, not by every start of the CLI (issue #6)
    const { default: Client } = await import('ssh2-sftp-client');
    const client = new Client('prestasync-invoices', {
      error: (err) => this.log.warn('sftp: connection error', { host: where, error: errorMessage(err) }),
      end: () => undefined,
      close: () => undefined,
    });
    client.on('error', (err: Error) => { state.rawError ??= err; });
    client.on('close', () => { state.closed = true; });
    this.active.add(client);
    try {
      try {
        await client.connect({
          host, port, username, privateKey, readyTimeout: this.timeoutMs,
          keepaliveInterval: Math.max(1000, Math.floor(this.timeoutMs / 4)), keepaliveCountMax: 3,
          hostVerifier: (key: Buffer): boolean => {
            const received = hostKeyFingerprint(key);
            if (received === expected) return true;
            state.hostKeyMismatch = new SftpHostKeyMismatch(received, expected);
            return false;
          },
        });
      } catch (err) {
        throw connectError(err, state, where, username);
      }
      await work(client, state);
    } finally {
      this.active.delete(client);
      await client.end().catch(() => false);
    }
  }
}
