// PrestaShop webservice failures, mapped onto the engine's taxonomy (src/errors.ts) so that the runner only
// needs `instanceof ConfigError / RetriableError / RecordRejected`. The kind is decided from the error
// CODES in the body, not the status alone: PrestaShop answers business refusals with HTTP 500 (LESSONS.md B6,
// WEBSERVICE.md §4, transcripts 070 / 085 / 109).
import { ConfigError, RecordRejected, RetriableError } from '../errors.ts';
import type { PsErrorEntry } from './xml.ts';

export type ShopErrorKind = 'retriable' | 'config' | 'invalid' | 'conflict' | 'server';

/** What every PrestaShop error carries, whatever its class. */
export interface ShopErrorInfo {
  kind: ShopErrorKind;
  /** HTTP status; undefined for a timeout or a network error. */
  status: number | undefined;
  codes: number[];
  messages: string[];
  method: string;
  /** e.g. `products/30` (never a URL with a key in it). */
  target: string;
  /** French sentence for the run report. */
  reason: string;
}

/** Invalid / conflict / server: this record cannot be applied; report it and go on with the others. */
export class ShopRejected extends RecordRejected implements ShopErrorInfo {
  readonly status: number | undefined;
  readonly codes: number[];
  readonly messages: string[];
  readonly method: string;
  readonly target: string;
  constructor(readonly kind: 'invalid' | 'conflict' | 'server', info: Omit<ShopErrorInfo, 'kind'>, key?: string) {
    super(info.reason, key);
    this.status = info.status;
    this.codes = info.codes;
    this.messages = info.messages;
    this.method = info.method;
    this.target = info.target;
  }
}

/** The shop could not be reached or was overloaded, even after the client's own retries. */
export class ShopUnavailable extends RetriableError implements ShopErrorInfo {
  readonly kind = 'retriable' as const;
  readonly codes: number[];
  readonly messages: string[];
  readonly method: string;
  readonly target: string;
  readonly reason: string;
  constructor(info: Omit<ShopErrorInfo, 'kind'>, cause?: unknown) {
    super(info.reason, { cause, status: info.status });
    this.codes = info.codes;
    this.messages = info.messages;
    this.method = info.method;
    this.target = info.target;
    this.reason = info.reason;
  }
  get status(): number | undefined {
    return this.options.status;
  }
}

/** Key, permissions or webservice switch: nothing will work until someone changes the configuration. */
export class ShopConfigError extends ConfigError implements ShopErrorInfo {
  readonly kind = 'config' as const;
  readonly status: number | undefined;
  readonly codes: number[];
  readonly messages: string[];
  readonly method: string;
  readonly target: string;
  readonly reason: string;
  constructor(info: Omit<ShopErrorInfo, 'kind'>) {
    super([info.reason]);
    this.status = info.status;
    this.codes = info.codes;
    this.messages = info.messages;
    this.method = info.method;
    this.target = info.target;
    this.reason = info.reason;
  }
}

export type ShopError = ShopRejected | ShopUnavailable | ShopConfigError;

export function isShopError(err: unknown): err is ShopError {
  return err instanceof ShopRejected || err instanceof ShopUnavailable || err instanceof ShopConfigError;
}

// 500 codes that mean "your data conflicts with the shop's": retrying cannot help (resources.json error_codes).
const CONFLICT_CODES = new Set([85, 88, 133, 135, 140, 141]);
// Request-shape errors (unknown filter/display/sort, bad limit, unknown resource, bad language): our request is
// wrong, the shop is fine. PrestaShop 8.2 on PHP 8 answers some of them with 500 (transcripts 047, 048, 143).
const QUERY_CODES = new Set([27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 78, 79, 80, 81, 86, 127]);
// PHP warnings converted by the webservice error handler.
const isPhpWarning = (code: number): boolean => code >= 2 && code <= 15;

/** Classify a non-2xx answer (or, with status undefined, a timeout / network error). */
export function classifyShopError(status: number | undefined, codes: number[]): ShopErrorKind {
  if (status === undefined) return 'retriable';
  if (status === 503 && codes.includes(22)) return 'config';
  if (status === 502 || status === 503 || status === 504) return 'retriable';
  if (status === 401 || status === 403) return 'config';
  if (status === 405) return codes.includes(25) || codes.includes(23) ? 'config' : 'invalid';
  if (codes.includes(124) || codes.includes(126) || codes.includes(999)) return 'config';
  if (status >= 400 && status < 500) return 'invalid';
  if (codes.some((c) => CONFLICT_CODES.has(c))) return 'conflict';
  if (codes.some((c) => QUERY_CODES.has(c))) return 'invalid';
  return 'server';
}

/** The French reason a user reads, built from the classified answer. */
export function describeShopError(kind: ShopErrorKind, status: number | undefined, errors: PsErrorEntry[], target: string, detail?: string): string {
  // Code-3 PHP warnings are noise next to a real error (transcript 026: 3 + 93); keep them only when alone.
  const meaningful = errors.filter((e) => !isPhpWarning(e.code));
  const shown = meaningful.length > 0 ? meaningful : errors;
  const codes = shown.map((e) => e.code);
  const codeText = codes.length === 0 ? '' : codes.length === 1 ? ` (code ${codes[0]})` : ` (codes ${codes.join(', ')})`;
  const text = shown.map((e) => e.message.trim()).join(' ; ');
  const withText = (prefix: string): string => (text ? `${prefix}${codeText} : ${text}` : `${prefix}${codeText}`);
  switch (kind) {
    case 'invalid':
      return withText(status === 404 ? `PrestaShop ne trouve pas ${target}` : "PrestaShop a refusé l'enregistrement");
    case 'conflict':
      return withText("PrestaShop a refusé l'enregistrement, en conflit avec les données de la boutique");
    case 'server':
      if (status !== undefined && status < 300) {
        return `Réponse illisible de PrestaShop (HTTP ${status}) sur ${target}${detail ? ` : ${detail}` : ''}`;
      }
      return text
        ? withText(`Erreur interne de PrestaShop (HTTP ${status ?? '?'}) sur ${target}`)
        : `Erreur interne de PrestaShop (HTTP ${status ?? '?'}) sur ${target}, sans explication dans la réponse${detail ? ` : ${detail}` : ''}`;
    case 'retriable':
      return status === undefined
        ? `PrestaShop ne répond pas sur ${target}${detail ? ` (${detail})` : ''}`
        : `PrestaShop est indisponible (HTTP ${status}) sur ${target}${detail ? ` (${detail})` : ''}`;
    case 'config':
      return configReason(status, codes, target, text);
  }
}

function configReason(status: number | undefined, codes: number[], target: string, text: string): string {
  const resource = target.split('/')[0] ?? target;
  if (codes.includes(22)) {
    return 'Le webservice PrestaShop est désactivé : activez-le dans Paramètres avancés > Webservice.';
  }
  if (codes.includes(18)) {
    return "La clé du webservice PrestaShop n'a pas le bon format (32 caractères attendus) : vérifiez la clé dans la configuration.";
  }
  if (codes.includes(20) || codes.includes(21) || codes.includes(16) || codes.includes(17)) {
    return 'La clé du webservice PrestaShop est inconnue ou inactive : vérifiez-la dans Paramètres avancés > Webservice.';
  }
  if (codes.includes(26)) {
    return `La clé du webservice n'a pas accès à la ressource « ${resource} » : cochez-la dans Paramètres avancés > Webservice.`;
  }
  if (codes.includes(25)) {
    return `La clé du webservice n'a pas le droit d'utiliser cette méthode sur « ${resource} » : cochez-la dans Paramètres avancés > Webservice (${text}).`;
  }
  if (codes.includes(23)) {
    return `Cette version de PrestaShop n'accepte pas cette méthode sur « ${resource} » (${text}).`;
  }
  if (status === 401) {
    return "PrestaShop refuse l'authentification (HTTP 401) : vérifiez la clé du webservice, et que l'en-tête Authorization parvient au serveur.";
  }
  if (status === 403) {
    return `La clé du webservice n'a pas accès à cette boutique (HTTP 403)${text ? ` : ${text}` : ''}.`;
  }
  return `Configuration du webservice PrestaShop à corriger (HTTP ${status ?? '?'})${text ? ` : ${text}` : ''}.`;
}

export interface ShopErrorInput {
  status: number | undefined;
  errors: PsErrorEntry[];
  method: string;
  target: string;
  /** Extra words for the reason (timeout, network cause, retries made). Already free of secrets. */
  detail?: string;
  cause?: unknown;
  /** Record key for RecordRejected (e.g. the ERP reference). */
  key?: string;
  /** Forces the kind (e.g. retries exhausted on a write → 'retriable'). */
  kind?: ShopErrorKind;
  /** Removes secrets from any text that goes into the error. */
  scrub?: (text: string) => string;
}

/** Build the error to throw for one failed exchange. */
export function shopError(input: ShopErrorInput): ShopError {
  const scrub = input.scrub ?? ((t: string) => t);
  const errors = input.errors.map((e) => ({ code: e.code, message: scrub(e.message) }));
  const codes = errors.map((e) => e.code);
  const kind = input.kind ?? classifyShopError(input.status, codes);
  const detail = input.detail === undefined ? undefined : scrub(input.detail);
  const info = {
    status: input.status,
    codes,
    messages: errors.map((e) => e.message),
    method: input.method,
    target: input.target,
    reason: scrub(describeShopError(kind, input.status, errors, input.target, detail)),
  };
  switch (kind) {
    case 'config':
      return new ShopConfigError(info);
    case 'retriable':
      return new ShopUnavailable(info, input.cause);
    default:
      return new ShopRejected(kind, info, input.key);
  }
}
