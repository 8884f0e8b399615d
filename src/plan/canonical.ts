import { createHash } from 'node:crypto';
import stableStringify from 'json-stable-stringify';

/**
 * The canonical text of a JSON value: keys sorted, one-space indent, `\n` at the end.
 * Deterministic for equal values, so equal plans give equal bytes and equal sha256. Readable
 * enough to diff two plans with ordinary tools.
 */
export function canonicalJson(value: unknown): string {
  const text = stableStringify(value, { space: 1 });
  if (text === undefined) throw new TypeError('value has no JSON form');
  return `${text}\n`;
}

/** Lower-case hex sha256 of a string (UTF-8) or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The self-check stored in a plan file: sha256 of the canonical text of the plan without its
 * `checksum` field. Any edit that still parses changes it.
 */
export function planChecksum(planWithoutChecksum: object): string {
  const { checksum: _ignored, ...rest } = planWithoutChecksum as { checksum?: unknown };
  return sha256Hex(canonicalJson(rest));
}
