import type { Digests } from './digest/digester.js';
import type { Mismatch } from './errors.js';
import type { ArrivedCopy, Check, Checksums } from './types.js';

const HEX_LENGTH = { md5: 32, sha512: 128 } as const;

/**
 * A digest as lower-case hex. Accepts hex in any case, with or without quotes (ETag), and
 * base64 (a standard Content-MD5); anything else is treated as absent rather than as a
 * mismatch, because it is not a digest we can compare.
 */
export function normalizeDigest(algorithm: 'md5' | 'sha512', value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const v = value.trim().replace(/^"|"$/g, '');
  if (v.length === HEX_LENGTH[algorithm] && /^[0-9a-f]+$/i.test(v)) return v.toLowerCase();
  if (/^[A-Za-z0-9+/]+=*$/.test(v)) {
    const bytes = Buffer.from(v, 'base64');
    if (bytes.length * 2 === HEX_LENGTH[algorithm]) return bytes.toString('hex');
  }
  return undefined;
}

export interface Verdict {
  readonly checks: Check[];
  readonly mismatch: Mismatch | undefined;
}

type Side = 'source' | 'expected' | 'destination';

/** Compares what passed through with each side's claims, in order; stops at the first mismatch. */
export function compare(bytes: number, digests: Digests, claims: ReadonlyArray<readonly [Side, (Checksums & { readonly size?: number | null }) | undefined]>): Verdict {
  const checks: Check[] = [];
  for (const [side, claim] of claims) {
    if (!claim) continue;
    if (claim.size !== undefined && claim.size !== null) {
      if (claim.size !== bytes) return { checks, mismatch: { check: `${side} size`, claimed: claim.size, actual: bytes } };
      checks.push(`${side} size`);
    }
    for (const algorithm of ['md5', 'sha512'] as const) {
      const claimed = normalizeDigest(algorithm, claim[algorithm]);
      if (claimed === undefined) continue;
      if (claimed !== digests[algorithm]) return { checks, mismatch: { check: `${side} ${algorithm}`, claimed, actual: digests[algorithm] } };
      checks.push(`${side} ${algorithm}`);
    }
  }
  return { checks, mismatch: undefined };
}

/** The destination's report as a claim, or the reason it cannot be one. */
export function arrivedClaim(arrived: ArrivedCopy | null): { claim: ArrivedCopy } | { problem: string } {
  if (arrived === null) return { problem: 'the destination reports no copy' };
  if (arrived.complete === false) return { problem: 'the destination reports its copy unfinished or failed' };
  return { claim: arrived };
}
