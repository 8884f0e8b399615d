/**
 * IPv4 and IPv6 address arithmetic for subnets, as bigints so one code path serves both
 * families. The store's AddressPool (IPv4 only) keeps the allocation state; this file only
 * parses, normalizes and compares.
 */

export interface ParsedCidr {
  readonly version: 4 | 6;
  /** The network address (host bits cleared). */
  readonly network: bigint;
  readonly prefix: number;
  /** Last address of the range (broadcast for IPv4). */
  readonly last: bigint;
  /** `10.0.0.0/24`, `fd00:1::/64`: the normalized text form. */
  readonly text: string;
}

const V4_MAX = (1n << 32n) - 1n;
const V6_MAX = (1n << 128n) - 1n;

/** The address as a number and its family, or undefined when it is not an address. */
export function parseIp(text: string): { readonly version: 4 | 6; readonly value: bigint } | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split('.').map(Number);
    if (parts.some((n) => n > 255)) return undefined;
    return { version: 4, value: parts.reduce((acc, n) => (acc << 8n) | BigInt(n), 0n) };
  }
  if (!text.includes(':') || !/^[0-9a-fA-F:]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return { version: 6, value: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

/** Text of an address: dotted quad, or RFC 5952 IPv6 (longest zero run as `::`). */
export function formatIp(version: 4 | 6, value: bigint): string {
  if (version === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** Parses `10.0.0.5/24` (host bits are cleared, as Neutron does); undefined when malformed. */
export function parseCidrAny(text: string): ParsedCidr | undefined {
  const [ip, bits, extra] = text.split('/');
  if (ip === undefined || bits === undefined || extra !== undefined || !/^\d{1,3}$/.test(bits)) return undefined;
  const addr = parseIp(ip);
  if (!addr) return undefined;
  const prefix = Number(bits);
  const width = addr.version === 4 ? 32 : 128;
  if (prefix > width) return undefined;
  const max = addr.version === 4 ? V4_MAX : V6_MAX;
  const hostMask = (1n << BigInt(width - prefix)) - 1n;
  const network = addr.value & (max ^ hostMask);
  return { version: addr.version, network, prefix, last: network | hostMask, text: `${formatIp(addr.version, network)}/${prefix}` };
}

/** True when `ip` (text) lies inside the CIDR. */
export function inCidr(cidr: ParsedCidr, ip: string): boolean {
  const a = parseIp(ip);
  return a !== undefined && a.version === cidr.version && a.value >= cidr.network && a.value <= cidr.last;
}

/** Two CIDRs share at least one address. */
export function overlaps(a: ParsedCidr, b: ParsedCidr): boolean {
  return a.version === b.version && a.network <= b.last && b.network <= a.last;
}

/** The address as a bigint (callers validated it). */
export function ipValue(ip: string): bigint {
  return parseIp(ip)?.value ?? -1n;
}

/** Canonical text of an address (`FD00::1` -> `fd00::1`), or the input when it is not one. */
export function normalizeIp(ip: string): string {
  const a = parseIp(ip);
  return a ? formatIp(a.version, a.value) : ip;
}
