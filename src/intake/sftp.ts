// SFTP drop: pull the ERP's exports from `inbound`, push our ERP import files to `outbound`.
// Acknowledgement-driven like Benthos' SFTP input (STYLE.md): a remote file is moved to processed/ only
// once its local copy is fsynced; a file is taken only when old and stable enough (LESSONS.md G5).
// One connection per pull/push: a poll every few minutes does not justify keeping a session open
// that the ERP host's firewall will silently drop anyway.
import { createWriteStream, promises as fsp } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type SftpClient from 'ssh2-sftp-client';
import { ConfigError, FileFatalError, RetriableError, errorMessage } from '../errors.ts';
import {
  SftpPullInterrupted,
  connectError,
  hostKeyFingerprint,
  isNoSuchFile,
  isPermissionDenied,
  normalizeFingerprint,
  operationError,
  SftpHostKeyMismatch,
  type ConnectState,
} from './sftp-errors.ts';
import { isCandidateName, publishWithoutOverwrite, suffixedNames, syncDir } from './sftp-files.ts';

export { SftpHostKeyMismatch, SftpPullInterrupted } from './sftp-errors.ts';

export interface SftpConfig {
  host: string;
  port: number;
  username: string;
  /** PATH to the private key file. */
  privateKey?: string;
  passphrase?: string;
  password?: string;
  /** "SHA256:<base64 without padding>" as `ssh-keygen -lf` prints it; a mismatch is refused. */
  hostKeySha256: string;
  inbound: string;
  outbound: string;
  /** Default 5000: a file younger than this is left for the next poll. */
  minAgeMs?: number;
  /** Default 20000. */
  timeoutMs?: number;
}

export interface PulledFile {
  remoteName: string;
  localPath: string;
  size: number;
}

export interface SftpLog {
  info(m: string, meta?: object): void;
  warn(m: string, meta?: object): void;
}

/** Seams for tests: what happens between the two listings, and the clock used for the minimum age. */
export interface SftpDropDeps {
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

interface RemoteEntry {
  name: string;
  size: number;
  modifyTime: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class SftpDrop {
  private readonly active = new Set<SftpClient>();
  private seenHostKey: string | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(
    private readonly cfg: SftpConfig,
    private readonly log: SftpLog,
    deps: SftpDropDeps = {},
  ) {
    this.sleep = deps.sleep ?? sleep;
    this.now = deps.now ?? Date.now;
  }

  /** Fingerprint of the server's host key as last seen, for `prestasync` to print on a mismatch. */
  get serverHostKeySha256(): string | undefined {
    return this.seenHostKey;
  }

  async pull(localDir: string, opts: { stableMs?: number; ignoreMinAge?: boolean } = {}): Promise<PulledFile[]> {
    const stableMs = opts.stableMs ?? 1000;
    const minAgeMs = this.cfg.minAgeMs ?? 5000;
    await fsp.mkdir(localDir, { recursive: true });
    return this.session(async (client, state) => {
      const first = await this.listCandidates(client, state);
      const now = this.now();
      // Server mtimes against our clock: a skewed server clock only delays or hastens by the skew,
      // and the stable-size check below still guards against half-written files.
      const oldEnough = opts.ignoreMinAge ? first : first.filter((f) => now - f.modifyTime >= minAgeMs);
      if (oldEnough.length < first.length) {
        this.log.info('sftp: files too young, left for the next poll', {
          files: first.filter((f) => !oldEnough.includes(f)).map((f) => f.name),
        });
      }
      if (oldEnough.length === 0) return [];
      await this.sleep(stableMs);
      const second = new Map((await this.listCandidates(client, state)).map((f) => [f.name, f]));
      const stable = oldEnough.filter((f) => {
        const again = second.get(f.name);
        return again !== undefined && again.size === f.size && again.modifyTime === f.modifyTime;
      });
      if (stable.length < oldEnough.length) {
        this.log.info('sftp: files still changing, left for the next poll', {
          files: oldEnough.filter((f) => !stable.includes(f)).map((f) => f.name),
        });
      }
      // Oldest first: an ERP writes master data before the movements that refer to it.
      stable.sort((a, b) => a.modifyTime - b.modifyTime || a.name.localeCompare(b.name));
      const pulled: PulledFile[] = [];
      for (const entry of stable) {
        try {
          const file = await this.download(client, entry, localDir);
          if (file === undefined) continue;
          pulled.push(file);
          await this.archiveRemote(client, state, entry.name);
        } catch (err) {
          if (state.closed || state.rawError) {
            throw new SftpPullInterrupted(
              `Connexion SFTP perdue après ${pulled.length} fichier(s) rapatrié(s) ; les autres le seront au prochain passage.`,
              pulled,
              state.rawError ?? err,
            );
          }
          // One unreadable file must not block the others; it stays on the server for the next poll.
          this.log.warn('sftp: file not pulled', { file: entry.name, error: errorMessage(err) });
        }
      }
      return pulled;
    });
  }

  async push(localPath: string, remoteName: string): Promise<void> {
    if (remoteName === '' || remoteName === '.' || remoteName === '..' || /[/\\]/.test(remoteName)) {
      throw new FileFatalError(`Nom de fichier distant invalide : « ${remoteName} ».`);
    }
    let size: number;
    try {
      size = (await fsp.stat(localPath)).size;
    } catch (err) {
      throw new FileFatalError(`Fichier à déposer introuvable : ${localPath}`, { cause: err });
    }
    const target = path.posix.join(this.cfg.outbound, remoteName);
    const part = path.posix.join(this.cfg.outbound, `.${remoteName}.part`);
    await this.session(async (client, state) => {
      const op = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
        try {
          return await work();
        } catch (err) {
          if (isNoSuchFile(err) || isPermissionDenied(err)) {
            throw new ConfigError([`Dossier SFTP de dépôt inaccessible : ${this.cfg.outbound} (${what}).`]);
          }
          throw operationError(err, state, what);
        }
      };
      const existing = await op('lecture du dossier de dépôt', () => remoteSize(client, target));
      if (existing !== undefined) return this.alreadyThere(client, remoteName, part, existing, size);
      // Written under a dot name the ERP ignores, renamed once complete (NiFi "Dot Rename", LESSONS.md G5).
      await op(`envoi de ${remoteName}`, () => client.put(localPath, part));
      const sent = await op(`vérification de ${remoteName}`, () => remoteSize(client, part));
      if (sent !== size) {
        throw new RetriableError(`Envoi SFTP incomplet de ${remoteName} : ${sent ?? 0} octets sur ${size}.`);
      }
      try {
        await client.rename(part, target);
      } catch (err) {
        // Plain SFTP rename refuses an existing target: someone wrote the same name meanwhile.
        const now = await op('lecture du dossier de dépôt', () => remoteSize(client, target));
        if (now !== undefined) return this.alreadyThere(client, remoteName, part, now, size);
        throw operationError(err, state, `renommage de ${remoteName}`);
      }
      this.log.info('sftp: file pushed', { file: remoteName, size });
    });
  }

  /** `prestasync check`: connects (host key, credentials) and tells whether both folders are there. */
  async check(): Promise<{ inbound: 'ok' | string; outbound: 'ok' | string }> {
    return this.session(async (client) => {
      const look = async (dir: string): Promise<'ok' | string> => {
        try {
          return (await client.stat(dir)).isDirectory ? 'ok' : `${dir} n'est pas un dossier`;
        } catch (err) {
          return isNoSuchFile(err) ? `${dir} introuvable` : isPermissionDenied(err) ? `${dir} : accès refusé` : `${dir} : ${errorMessage(err)}`;
        }
      };
      return { inbound: await look(this.cfg.inbound), outbound: await look(this.cfg.outbound) };
    });
  }

  /** Ends connections still open (a pull or push in flight fails with a RetriableError). */
  async close(): Promise<void> {
    await Promise.all([...this.active].map((c) => c.end().catch(() => false)));
    this.active.clear();
  }

  private async alreadyThere(
    client: SftpClient,
    remoteName: string,
    part: string,
    remote: number,
    local: number,
  ): Promise<void> {
    if (remote !== local) {
      throw new FileFatalError(
        `Le fichier ${remoteName} existe déjà dans ${this.cfg.outbound} sur le serveur SFTP avec une taille différente (${remote} octets, le nôtre ${local}) : il n'est pas écrasé.`,
      );
    }
    // Same size: our own file from an interrupted run, already renamed before the interruption.
    this.log.info('sftp: file already pushed', { file: remoteName, size: local });
    await client.delete(part, true).catch(() => undefined);
  }

  private async listCandidates(client: SftpClient, state: ConnectState): Promise<RemoteEntry[]> {
    let entries: SftpClient.FileInfo[];
    try {
      entries = await client.list(this.cfg.inbound);
    } catch (err) {
      if (isNoSuchFile(err) || isPermissionDenied(err)) {
        throw new ConfigError([`Dossier SFTP des exports introuvable ou illisible : ${this.cfg.inbound}`]);
      }
      throw operationError(err, state, `lecture de ${this.cfg.inbound}`);
    }
    // Regular files only: directories (processed/ included) and links are not exports.
    return entries
      .filter((e) => e.type === '-' && isCandidateName(e.name))
      .map((e) => ({ name: e.name, size: e.size, modifyTime: e.modifyTime }));
  }

  /** Download to `<name>.part`, fsync, publish under a free name. Undefined when the file changed. */
  private async download(client: SftpClient, entry: RemoteEntry, localDir: string): Promise<PulledFile | undefined> {
    const partPath = path.join(localDir, `${entry.name}.part`);
    // flush: fsync before close, so the copy is on disk before the server's copy is moved away.
    const out = createWriteStream(partPath, { flush: true });
    try {
      // get() resolves when the remote stream ends, not when our file has received every byte.
      await client.get(path.posix.join(this.cfg.inbound, entry.name), out);
      if (!out.closed) await once(out, 'close');
    } catch (err) {
      out.destroy();
      await fsp.rm(partPath, { force: true });
      throw err;
    }
    const written = (await fsp.stat(partPath)).size;
    if (written !== entry.size) {
      await fsp.rm(partPath, { force: true });
      this.log.warn('sftp: file changed during download, left for the next poll', {
        file: entry.name,
        listed: entry.size,
        downloaded: written,
      });
      return undefined;
    }
    const localPath = await publishWithoutOverwrite(partPath, localDir, entry.name);
    await syncDir(localDir);
    this.log.info('sftp: file pulled', { file: entry.name, localPath, size: written });
    return { remoteName: entry.name, localPath, size: written };
  }

  /** Move to processed/ under a free name. A failure here leaves a safe local copy: warn, do not throw. */
  private async archiveRemote(client: SftpClient, state: ConnectState, name: string): Promise<void> {
    const from = path.posix.join(this.cfg.inbound, name);
    const processed = path.posix.join(this.cfg.inbound, 'processed');
    try {
      if ((await client.exists(processed)) === false) await client.mkdir(processed).catch(() => undefined);
      for (const candidate of suffixedNames(name)) {
        const to = path.posix.join(processed, candidate);
        if ((await client.exists(to)) !== false) continue;
        try {
          await client.rename(from, to);
          return;
        } catch (err) {
          // Lost a race for that name: try the next one; anything else is a real failure.
          if ((await client.exists(to)) === false) throw err;
        }
      }
    } catch (err) {
      if (state.closed || state.rawError) throw err;
      this.log.warn('sftp: pulled but not moved to processed/, it will be pulled again', {
        file: name,
        error: errorMessage(err),
      });
    }
  }

  private async session<T>(work: (client: SftpClient, state: ConnectState) => Promise<T>): Promise<T> {
    const { host, port, username } = this.cfg;
    const where = `${host}:${port}`;
    const auth = await this.credentials();
    const state: ConnectState = { closed: false };
    const expected = normalizeFingerprint(this.cfg.hostKeySha256);
    // ssh2 is loaded by the runs that connect, not by every start of the CLI (issue #6)
    const { default: Client } = await import('ssh2-sftp-client');
    const client = new Client('prestasync', {
      error: (err) => this.log.warn('sftp: connection error', { host: where, error: errorMessage(err) }),
      end: () => undefined,
      close: () => undefined,
    });
    client.on('error', (err: Error) => {
      state.rawError ??= err;
    });
    client.on('close', () => {
      state.closed = true;
    });
    const timeoutMs = this.cfg.timeoutMs ?? 20_000;
    this.active.add(client);
    try {
      try {
        await client.connect({
          host,
          port,
          username,
          ...auth,
          readyTimeout: timeoutMs,
          // A silently dropped connection (NAT, firewall) is noticed instead of hanging a transfer.
          keepaliveInterval: Math.max(1000, Math.floor(timeoutMs / 4)),
          keepaliveCountMax: 3,
          hostVerifier: (key: Buffer): boolean => {
            const received = hostKeyFingerprint(key);
            this.seenHostKey = received;
            if (received === expected) return true;
            state.hostKeyMismatch = new SftpHostKeyMismatch(received, expected);
            return false;
          },
        });
      } catch (err) {
        throw connectError(err, state, where, username);
      }
      return await work(client, state);
    } finally {
      this.active.delete(client);
      await client.end().catch(() => false);
    }
  }

  private async credentials(): Promise<{ privateKey?: Buffer; passphrase?: string; password?: string }> {
    const { privateKey, passphrase, password } = this.cfg;
    if (privateKey === undefined) {
      if (password === undefined) throw new ConfigError(['SFTP : ni clé privée ni mot de passe configuré.']);
      return { password };
    }
    try {
      return { privateKey: await fsp.readFile(privateKey), passphrase, password };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'introuvable' : `illisible (${code ?? 'erreur inconnue'})`;
      throw new ConfigError([`Clé privée SFTP ${why} : ${privateKey}`]);
    }
  }
}

/** Size of a remote file, undefined when there is none. */
async function remoteSize(client: SftpClient, remotePath: string): Promise<number | undefined> {
  try {
    return (await client.stat(remotePath)).size;
  } catch (err) {
    if (isNoSuchFile(err)) return undefined;
    throw err;
  }
}
