// Where a published invoice lives and the address the customer gets: <baseUrl><token>/<invoice>.pdf,
// the token 128 random bits (crypto.randomBytes(16)) so that no address can be guessed from another.
//   folder: a local folder a web server serves (written through a temporary name, fsynced, renamed);
//   sftp:   a folder on the shop's host (src/invoices/publish-sftp.ts);
//   serve:  the local folder, served by prestasync itself (src/invoices/serve.ts).
// A corrected invoice keeps its address: the file is replaced there.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { InvoicesConfig } from '../config/follow-up.ts';
import { ConfigError } from '../errors.ts';
import { writeFileAtomic } from '../intake/archive.ts';
import type { Logger } from '../log.ts';
import { SftpInvoicePublisher } from './publish-sftp.ts';

export interface InvoicePublisher {
  /** Where files go, for the report. */
  readonly target: string;
  publish(token: string, fileName: string, bytes: Uint8Array): Promise<{ url: string }>;
  close(): Promise<void>;
}

export function newToken(): string {
  return randomBytes(16).toString('hex');
}

export const TOKEN = /^[0-9a-f]{32}$/;

export function invoiceUrl(baseUrl: string, token: string, fileName: string): string {
  return `${baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`}${token}/${encodeURIComponent(fileName)}`;
}

export function invoicePublisher(cfg: InvoicesConfig, log: Logger): InvoicePublisher {
  const baseUrl = cfg.baseUrl;
  if (baseUrl === undefined) {
    throw new ConfigError(['invoices.baseUrl : requis pour publier les factures (adresse publique du dossier des factures, ex. https://boutique.example.com/factures/)']);
  }
  if (cfg.publish === 'sftp') {
    if (!cfg.sftp) throw new ConfigError(['invoices.sftp : requis avec invoices.publish: sftp (serveur, compte, clé, empreinte, dossier)']);
    const sftp = new SftpInvoicePublisher(cfg.sftp, log);
    return {
      target: `SFTP ${cfg.sftp.host}:${cfg.sftp.folder}`,
      publish: async (token, fileName, bytes) => {
        await sftp.put(token, fileName, bytes);
        return { url: invoiceUrl(baseUrl, token, fileName) };
      },
      close: () => sftp.close(),
    };
  }
  const folder = path.resolve(cfg.folder);
  return {
    target: `dossier ${folder}`,
    publish: async (token, fileName, bytes) => {
      if (!TOKEN.test(token)) throw new RangeError(`invalid invoice token ${token}`);
      await writeFileAtomic(path.join(folder, token, fileName), Buffer.from(bytes));
      return { url: invoiceUrl(baseUrl, token, fileName) };
    },
    close: async () => undefined,
  };
}
