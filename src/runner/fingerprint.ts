// The fingerprint of a desired state: equal fingerprints = nothing to write (LESSONS D5, E1).
import { createHash } from 'node:crypto';

/** The JSON of a desired state and its fingerprint. A small value is its own fingerprint: hashing
 *  100,000 {"quantity":12} cost more than reading the file. */
export function fingerprintOf(value: unknown): string {
  return fingerprintOfJson(JSON.stringify(value) ?? 'null');
}

export function fingerprintOfJson(json: string): string {
  return json.length <= 40 ? json : createHash('sha1').update(json).digest('base64url');
}
