import { createHash } from 'node:crypto';
import { canonicalChunks } from './canonical-writer.js';

/**
 * The canonical text of a JSON value: keys sorted, one-space indent, `\n` at the end (the
 * json-stable-stringify `{ space: 1 }` form; see canonical-writer.ts). Deterministic for equal
 * values, so equal plans give equal bytes and equal sha256. Readable enough to diff two plans
 * with ordinary tools. One string: for values whose text may exceed what a string holds (a
 * whole large plan), use canonicalChunks().
 */
export function canonicalJson(value: unknown): string {
  return Buffer.concat([...canonicalChunks(value)]).toString('utf8');
}

/** Lower-case hex sha256 of a string (UTF-8) or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The self-check stored in a plan file: sha256 of the canonical text of the plan without its
 * `checksum` field. Any edit that still parses changes it. Hashed chunk by chunk, so it works
 * for plans whose text is larger than a string can hold.
 */
export function planChecksum(planWithoutChecksum: object): string {
  const { checksum: _ignored, ...rest } = planWithoutChecksum as { checksum?: unknown };
  const hash = createHash('sha256');
  for (const chunk of canonicalChunks(rest)) hash.update(chunk);
  return hash.digest('hex');
}
