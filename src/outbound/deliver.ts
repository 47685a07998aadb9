// Files prestasync writes for the ERP: into the local outbox through a temporary name (fsync, rename),
// then onto the ERP's SFTP through a temporary name renamed on the server. Both steps may be repeated
// after a crash: the same name and the same bytes, never a second file.
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import { writeFileAtomic } from '../intake/archive.ts';
import { SftpDrop } from '../intake/sftp.ts';
import type { Logger } from '../log.ts';

export async function writeOutboxFile(outboxDir: string, fileName: string, bytes: Buffer): Promise<string> {
  const target = path.join(outboxDir, fileName);
  await writeFileAtomic(target, bytes, { fixedTemp: true });
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
