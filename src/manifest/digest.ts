import { createHash } from 'node:crypto';
import stableStringify from 'json-stable-stringify';
import type { DesiredState } from './types.js';

/** Bump when the meaning of the normalized form changes, so old digests stop matching. */
const DIGEST_FORMAT = 'pumphouse.manifest/1';

/**
 * sha256 (hex) of the canonical JSON of the normalized desired state. Comments, key order,
 * quoting, list order of tenants/hosts/servers and spelled-out defaults do not change it;
 * any change of meaning does. Plans record it so `apply` can refuse a changed manifest.
 */
export function manifestDigest(desired: DesiredState): string {
  const canonical = stableStringify({ format: DIGEST_FORMAT, desired: withoutNewDefaults(desired) }) ?? '';
  return createHash('sha256').update(canonical).digest('hex');
}

export function sha256Hex(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Options added after format 1 leave the digest out at their default, so a manifest that does
 * not use them keeps the digest earlier versions gave it (its plans still apply after an
 * upgrade); any other value is part of it.
 */
function withoutNewDefaults(desired: DesiredState): unknown {
  if (desired.options.legacyKeypairs !== 'all') return desired;
  const { legacyKeypairs: _default, ...options } = desired.options;
  return { ...desired, options };
}
