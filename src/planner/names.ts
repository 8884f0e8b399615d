import { formatAddress, type AddressSegment } from '../plan/index.js';

/**
 * Address names for records that share a scope (servers of one tenant, public images...).
 * A name used once is written as is; a name used by several records, and an empty name, gets
 * `#` plus the first 8 characters of the id (`web-1#3f2a91c0`), or the whole id if 8 are not
 * enough. Deterministic: depends only on the records, not on their order.
 */
export function uniqueNames<T>(
  records: readonly T[],
  name: (record: T) => string,
  id: (record: T) => string,
): Map<string, string> {
  const count = new Map<string, number>();
  for (const r of records) count.set(name(r), (count.get(name(r)) ?? 0) + 1);
  const out = new Map<string, string>();
  const shortCount = new Map<string, number>();
  const candidates: [string, string, string][] = [];
  for (const r of records) {
    const n = name(r);
    const i = id(r);
    if (n !== '' && count.get(n) === 1) {
      out.set(i, n);
    } else {
      const short = `${n}#${i.slice(0, 8)}`;
      shortCount.set(short, (shortCount.get(short) ?? 0) + 1);
      candidates.push([i, short, `${n}#${i}`]);
    }
  }
  for (const [i, short, long] of candidates) out.set(i, shortCount.get(short) === 1 ? short : long);
  return out;
}

/** `type[name]` segment. */
export function seg(type: string, name?: string): AddressSegment {
  return name === undefined ? { type } : { type, name };
}

/** Formats address segments (see plan/address.ts). */
export function addr(...segments: AddressSegment[]): string {
  return formatAddress(segments);
}

/** Appends segments to an existing address. */
export function child(parent: string, ...segments: AddressSegment[]): string {
  // join() gives a flat string; a template would keep a concatenation node in every address.
  return [parent, formatAddress(segments)].join('.');
}
