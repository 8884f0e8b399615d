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
  const out = new Map<string, string>();
  if (records.length === 1) {
    // The common case at scale (one network, one router per tenant...): no counting needed.
    const r = records[0] as T;
    const n = name(r);
    const i = id(r);
    out.set(i, n !== '' ? n : `#${i.slice(0, 8)}`);
    return out;
  }
  // Each name is made once (some are built strings, e.g. a port's `server/ip`).
  const names = new Array<string>(records.length);
  // The common case, every name used once and none empty, takes one set operation per name
  // (a repeat is told by the size); counting takes two more per name.
  const seen = new Set<string>();
  let plain = true;
  for (let k = 0; k < records.length; k++) {
    const n = name(records[k] as T);
    names[k] = n;
    const size = seen.size;
    seen.add(n);
    if (seen.size === size || n === '') plain = false;
  }
  if (plain) {
    for (let k = 0; k < records.length; k++) out.set(id(records[k] as T), names[k] as string);
    return out;
  }
  const count = new Map<string, number>();
  for (let k = 0; k < names.length; k++) {
    const n = names[k] as string;
    count.set(n, (count.get(n) ?? 0) + 1);
  }
  const shortCount = new Map<string, number>();
  const candidates: [string, string, string][] = [];
  for (let k = 0; k < records.length; k++) {
    const n = names[k] as string;
    const i = id(records[k] as T);
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

/**
 * `parent.type[name]` (or `parent.type` without a name): child() for one segment, without the
 * segment object and arrays (several hundred thousand addresses per plan). Same text as
 * formatAddress: names it would quote, and types it has not yet seen, go through it.
 */
export function childAt(parent: string, type: string, name?: string): string {
  return [parent, segmentText(type, name)].join('.');
}

/** formatAddress([{ type, name }]) for one segment. */
export function segmentText(type: string, name?: string): string {
  if (!CHECKED_TYPES.has(type)) {
    formatAddress([{ type }]); // throws PH_INTERNAL on a bad type word
    CHECKED_TYPES.add(type);
  }
  if (name === undefined) return type;
  return PLAIN_NAME.test(name) ? `${type}[${name}]` : formatAddress([{ type, name }]);
}

const CHECKED_TYPES = new Set<string>();
// The names formatAddress writes bare: not empty, no `[`, `]`, `"` or `\`, no edge whitespace
// (the complement of its NEEDS_QUOTES; a test holds the two together).
const PLAIN_NAME = /^[^[\]"\\\s](?:[^[\]"\\]*[^[\]"\\\s])?$/;
