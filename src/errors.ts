// One error taxonomy, named by what the engine must do with it (STYLE.md §4).
// Messages are in French: they end up in the reports that sales administration reads.

/** Stop before doing anything; the message says what to fix in the configuration. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Configuration invalide :\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** A passing failure (timeout, 502/503/504, SFTP connection lost): back off and try again. */
export class RetriableError extends Error {
  override readonly name = 'RetriableError';
  constructor(message: string, readonly options: { cause?: unknown; status?: number } = {}) {
    super(message, { cause: options.cause });
  }
}

/** One record cannot be applied: report it with its line and reason, and go on with the rest of the file. */
export class RecordRejected extends Error {
  override readonly name = 'RecordRejected';
  constructor(readonly reason: string, readonly key?: string) {
    super(reason);
  }
}

/** The whole file cannot be processed (unreadable, wrong encoding, unknown layout): quarantine it with its report. */
export class FileFatalError extends Error {
  override readonly name = 'FileFatalError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
  }
}

/** A stop was asked (SIGTERM, service stop): work not yet sent to the shop is abandoned and resumed with the
 *  file at the next start. Not a failure of the file. */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
  constructor() {
    super('arrêt demandé : le fichier reprendra au prochain démarrage');
  }
}

/** Thrown by a load when the shop object its key was remembered with is gone (deleted in the back office):
 *  the engine forgets the key, finds it again and retries the load once. */
export class ShopObjectGone extends Error {
  override readonly name = 'ShopObjectGone';
  constructor(readonly resource: string, readonly id: string) {
    super(`${resource} ${id} n'existe plus dans la boutique`);
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
