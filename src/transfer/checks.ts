import type { Digests } from './digest/digester.js';
import type { Mismatch } from './errors.js';
import type { ArrivedCopy, Check, Checksums, DigestAlgorithm, DigestChoice } from './types.js';

const HEX_LENGTH = { md5: 32, sha512: 128 } as const;
const ALGORITHMS: readonly DigestAlgorithm[] = ['md5', 'sha512'];

/**
 * A digest as lower-case hex. Accepts hex in any case, with or without quotes (ETag), and
 * base64 (a standard Content-MD5); anything else is treated as absent rather than as a
 * mismatch, because it is not a digest we can compare.
 */
export function normalizeDigest(algorithm: DigestAlgorithm, value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const v = value.trim().replace(/^"|"$/g, '');
  if (v.length === HEX_LENGTH[algorithm] && /^[0-9a-f]+$/i.test(v)) return v.toLowerCase();
  if (/^[A-Za-z0-9+/]+=*$/.test(v)) {
    const bytes = Buffer.from(v, 'base64');
    if (bytes.length * 2 === HEX_LENGTH[algorithm]) return bytes.toString('hex');
  }
  return undefined;
}

export type Side = 'source' | 'expected' | 'destination';
/** What one side states about the bytes. */
export type Claim = readonly [Side, (Checksums & { readonly size?: number | null }) | undefined];

export interface Verdict {
  readonly checks: Check[];
  readonly mismatch: Mismatch | undefined;
}

/** The digests a set of claims states (in a form we can compare). */
export function claimedAlgorithms(claims: readonly Claim[]): DigestAlgorithm[] {
  return ALGORITHMS.filter((a) => claims.some(([, c]) => normalizeDigest(a, c?.[a]) !== undefined));
}

/**
 * Which digests to compute in flight. `all`, or a sink that does not say what it reports:
 * md5 and sha512. Otherwise only what linking the claims needs: nothing when the source
 * (or the plan) and the destination state a common digest (they are compared with each
 * other: the destination hashed what it stored); else the cheapest digest each side
 * states, so that each side's claim is checked against the bytes.
 */
export function digestsToCompute(choice: DigestChoice, claimed: readonly DigestAlgorithm[], reports: readonly DigestAlgorithm[] | undefined): DigestAlgorithm[] {
  if (choice === 'all' || reports === undefined) return [...ALGORITHMS];
  if (claimed.some((a) => reports.includes(a))) return [];
  // md5 is the cheaper of the two, and ALGORITHMS lists it first.
  return ALGORITHMS.filter((a) => a === claimed[0] || a === reports[0]);
}

/**
 * Compares what went through with the claims made before the upload, in order, stopping at
 * the first mismatch: sizes with the byte count, digests with those computed in flight. A
 * digest not computed here is only compared between the claims (the source's and the
 * plan's must agree); it becomes a check once the destination confirms it (checkArrived).
 */
export function checkSent(bytes: number, computed: Digests, claims: readonly Claim[]): Verdict {
  const checks: Check[] = [];
  const stated: { [A in DigestAlgorithm]?: { readonly side: Side; readonly value: string } } = {};
  for (const [side, claim] of claims) {
    if (!claim) continue;
    if (claim.size !== undefined && claim.size !== null) {
      if (claim.size !== bytes) return { checks, mismatch: { check: `${side} size`, claimed: claim.size, actual: bytes } };
      checks.push(`${side} size`);
    }
    for (const a of ALGORITHMS) {
      const claimed = normalizeDigest(a, claim[a]);
      if (claimed === undefined) continue;
      const own = computed[a];
      if (own !== undefined) {
        if (claimed !== own) return { checks, mismatch: { check: `${side} ${a}`, claimed, actual: own } };
        checks.push(`${side} ${a}`);
        continue;
      }
      const earlier = stated[a];
      if (earlier && earlier.value !== claimed) return { checks, mismatch: { check: `${side} ${a}`, claimed, actual: earlier.value, actualBy: earlier.side } };
      stated[a] ??= { side, value: claimed };
    }
  }
  return { checks, mismatch: undefined };
}

export interface ArrivedVerdict extends Verdict {
  /** Digests of the bytes now known: computed here, or stated by a claim the destination confirmed. */
  readonly known: Digests;
  /** A digest the destination was counted on to report and did not (nothing else checked it). */
  readonly unreported: DigestAlgorithm | undefined;
}

/**
 * Compares the destination's report with the bytes: its size with the count, each digest
 * it reports with the one computed here or, when none was, with the claims (all of which
 * checkSent found equal): a match then confirms those claims too. When no digest at all
 * ties the bytes to a claim (nothing computed, and the destination left out the digest
 * it was counted on for), `unreported` names it.
 */
export function checkArrived(bytes: number, computed: Digests, claims: readonly Claim[], arrived: ArrivedCopy): ArrivedVerdict {
  const checks: Check[] = [];
  const known: { [A in DigestAlgorithm]?: string } = { ...computed };
  if (arrived.size !== undefined) {
    if (arrived.size !== bytes) return { checks, mismatch: { check: 'destination size', claimed: arrived.size, actual: bytes }, known, unreported: undefined };
    checks.push('destination size');
  }
  let tied = ALGORITHMS.some((a) => computed[a] !== undefined);
  for (const a of ALGORITHMS) {
    const reported = normalizeDigest(a, arrived[a]);
    if (reported === undefined) continue;
    const own = computed[a];
    if (own !== undefined) {
      if (reported !== own) return { checks, mismatch: { check: `destination ${a}`, claimed: reported, actual: own }, known, unreported: undefined };
      checks.push(`destination ${a}`);
      continue;
    }
    const stating = claims.filter(([, c]) => normalizeDigest(a, c?.[a]) !== undefined);
    const first = stating[0];
    if (!first) continue;
    const value = normalizeDigest(a, first[1]![a])!;
    if (reported !== value) return { checks, mismatch: { check: `destination ${a}`, claimed: reported, actual: value, actualBy: first[0] }, known, unreported: undefined };
    for (const [side] of stating) checks.push(`${side} ${a}`);
    checks.push(`destination ${a}`);
    known[a] = value;
    tied = true;
  }
  const claimed = claimedAlgorithms(claims);
  const unreported = !tied && claimed.length > 0 ? claimed[0] : undefined;
  return { checks, mismatch: undefined, known, unreported };
}

/** The destination's report as a claim, or the reason it cannot be one. */
export function arrivedClaim(arrived: ArrivedCopy | null): { claim: ArrivedCopy } | { problem: string } {
  if (arrived === null) return { problem: 'the destination reports no copy' };
  if (arrived.complete === false) return { problem: 'the destination reports its copy unfinished or failed' };
  return { claim: arrived };
}
