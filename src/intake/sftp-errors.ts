// Turns what ssh2 / ssh2-sftp-client throw into the engine's error taxonomy (src/errors.ts), with French
// messages for the report. Nothing from the connection options (key, passphrase, password) is ever
// copied into a message, and ConfigErrors carry no `cause`: ssh2's errors are not ours to vouch for.
import { createHash } from 'node:crypto';
import { ConfigError, RetriableError, errorMessage } from '../errors.ts';
import type { PulledFile } from './sftp.ts';

/** The server presented a host key other than the pinned one: possibly an attack, never retried. */
export class SftpHostKeyMismatch extends ConfigError {
  constructor(
    readonly received: string,
    readonly expected: string,
  ) {
    super([`Empreinte de la clé d'hôte SFTP inattendue : reçue ${received}, attendue ${expected}`]);
  }
}

/** The connection broke in the middle of a pull; `pulled` are the files already safe in the local folder. */
export class SftpPullInterrupted extends RetriableError {
  constructor(
    message: string,
    readonly pulled: PulledFile[],
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

/** OpenSSH's rendering (`ssh-keygen -lf`): "SHA256:" + unpadded base64 of the key blob's SHA-256. */
export function hostKeyFingerprint(rawKey: Buffer): string {
  return `SHA256:${createHash('sha256').update(rawKey).digest('base64').replace(/=+$/, '')}`;
}

/** Accepts the value as ssh-keygen prints it, with or without a trailing `=` or the `SHA256:` prefix. */
export function normalizeFingerprint(configured: string): string {
  return `SHA256:${configured.trim().replace(/^SHA256:/i, '').replace(/=+$/, '')}`;
}

/** What went wrong while connecting, as seen by our own listeners (ssh2-sftp-client drops `level`). */
export interface ConnectState {
  hostKeyMismatch?: SftpHostKeyMismatch;
  rawError?: Error & { level?: string; code?: unknown };
  /** Set once the transport is gone: any failure after that is a lost connection. */
  closed: boolean;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

function codeOf(err: unknown): unknown {
  return typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
}

export function connectError(err: unknown, state: ConnectState, where: string, username: string): Error {
  if (state.hostKeyMismatch) return state.hostKeyMismatch;
  const raw = state.rawError;
  const level = raw?.level;
  const code = codeOf(raw) ?? codeOf(err);
  if (level === 'client-authentication') {
    return new ConfigError([
      `Authentification SFTP refusée pour l'utilisateur « ${username} » sur ${where} : vérifier la clé privée, sa phrase de passe ou le mot de passe.`,
    ]);
  }
  if (level === 'client-timeout') {
    return new RetriableError(`Délai dépassé en se connectant au serveur SFTP ${where}.`, { cause: raw });
  }
  if (typeof code === 'string' && NETWORK_CODES.has(code)) {
    const what =
      code === 'ECONNREFUSED'
        ? 'connexion refusée'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? 'hôte introuvable'
          : `erreur réseau ${code}`;
    return new RetriableError(`Serveur SFTP ${where} injoignable (${what}).`, { cause: raw ?? err });
  }
  if (level === 'handshake') {
    // No common algorithm: retrying will not change the server's offer.
    return new ConfigError([`Négociation SSH impossible avec ${where} : ${errorMessage(raw)}`]);
  }
  if (raw === undefined && /privateKey|private key|passphrase/i.test(errorMessage(err))) {
    // Thrown synchronously by ssh2 while parsing the key: say which setting, never the content.
    return new ConfigError([
      'Clé privée SFTP illisible : format non reconnu, ou phrase de passe absente ou incorrecte.',
    ]);
  }
  if (/subsystem/i.test(errorMessage(err))) {
    return new ConfigError([`Le serveur ${where} n'offre pas SFTP à l'utilisateur « ${username} ».`]);
  }
  return new RetriableError(`Connexion au serveur SFTP ${where} impossible : ${safeDetail(raw ?? err)}`, {
    cause: raw ?? err,
  });
}

/** Error of an operation after the connection was up: lost connection → retriable, else by SFTP status. */
export function operationError(err: unknown, state: ConnectState, what: string): Error {
  if (err instanceof ConfigError || err instanceof RetriableError) return err;
  if (state.closed || state.rawError) {
    return new RetriableError(`Connexion SFTP perdue pendant : ${what}.`, { cause: state.rawError ?? err });
  }
  return new RetriableError(`Échec SFTP pendant : ${what} (${safeDetail(err)}).`, { cause: err });
}

/** SFTP status 2 / ENOENT: the path does not exist (the client reports both spellings). */
export function isNoSuchFile(err: unknown): boolean {
  const code = codeOf(err);
  return code === 2 || code === 'ENOENT';
}

export function isPermissionDenied(err: unknown): boolean {
  const code = codeOf(err);
  return code === 3 || code === 'EACCES';
}

/** ssh2-sftp-client prefixes messages with its internal method names: keep only the server's words. */
function safeDetail(err: unknown): string {
  return errorMessage(err).replace(/^[\w>-]+: /, '').slice(0, 300);
}
