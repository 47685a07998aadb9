// Files prestasync writes for the ERP: into the local outbox through a temporary name (fsync, rename),
// then onto the ERP's SFTP through a temporary name renamed on the server. Both steps may be repeated
// after a crash: the same name and the same bytes, never a second file.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import { SftpDrop } from '../intake/sftp.ts';
import type { Logger } from '../log.ts';

/** The temporary name is fixed (not per process), so a write interrupted by kill -9 is simply redone. */
export async function writeOutboxFile(outboxDir: string, fileName: string, bytes: Buffer): Promise<string> {
  await fs.mkdir(outboxDir, { recursive: true });
  const target = path.join(outboxDir, fileName);
  const tmp = path.join(outboxDir, `.${fileName}.tmp`);
  const fh = await fs.open(tmp, 'w');
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.rename(tmp, target);
  return target;
}

export interface Deliverer {
  /** Where files go beyond the local outbox, for the report ("SFTP /imports" or "dossier outbox"). */
  readonly target: string;
  deliver(localPath: string, fileName: string): Promise<void>;
  close(): Promise<void>;
}

/** With an SFTP section, files are pushed to its outbound folder; without, the outbox folder is the
 *  delivery (the ERP reads it, or an integrator's own transfer does). */
export function makeDeliverer(config: Config, log: Logger): Deliverer {
  const sftp = config.sftp;
  if (!sftp) {
    return { target: `dossier ${config.paths.outbox}`, deliver: async () => undefined, close: async () => undefined };
  }
  const drop = new SftpDrop(sftp, log);
  return {
    target: `SFTP ${sftp.host}:${sftp.outbound}`,
    deliver: (localPath, fileName) => drop.push(localPath, fileName),
    close: () => drop.close(),
  };
}
