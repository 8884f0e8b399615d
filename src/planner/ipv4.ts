/** IPv4 arithmetic for CIDR checks (floating ranges, translated nova-network subnets). */

/** `10.0.0.5` as an unsigned 32-bit number; null if it is not dotted-quad IPv4. */
export function ipv4ToNumber(ip: string): number | null {
  // By hand rather than with a regular expression: called for every floating address and
  // router gateway of a plan. Accepts what /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/
  // accepts on the trimmed text.
  const text = ip.trim();
  let n = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits > 3) return null;
      octet = octet * 10 + (c - 48);
    } else if (c === 46 && digits > 0 && dots < 3) {
      if (octet > 255) return null;
      n = n * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      return null;
    }
  }
  if (dots !== 3 || digits === 0 || octet > 255) return null;
  return n * 256 + octet;
}

export function numberToIpv4(n: number): string {
  return `${Math.floor(n / 2 ** 24) % 256}.${Math.floor(n / 2 ** 16) % 256}.${Math.floor(n / 2 ** 8) % 256}.${n % 256}`;
}

/** First and last address of an IPv4 CIDR; null if it is not one. */
export function cidrRange(cidr: string): { first: number; last: number } | null {
  // A plan asks about the same few subnets over and over (every floating IP, every router).
  const known = RANGES.get(cidr);
  if (known !== undefined) return known;
  const m = /^([^/]+)\/(\d{1,2})$/.exec(cidr.trim());
  let range: { first: number; last: number } | null = null;
  if (m) {
    const base = ipv4ToNumber(m[1]!);
    const bits = Number(m[2]);
    if (base !== null && bits <= 32) {
      const size = 2 ** (32 - bits);
      const first = Math.floor(base / size) * size;
      range = Object.freeze({ first, last: first + size - 1 });
    }
  }
  if (RANGES.size < RANGES_MAX) RANGES.set(cidr, range);
  return range;
}

const RANGES = new Map<string, { readonly first: number; readonly last: number } | null>();
const RANGES_MAX = 4096;

/** True when `ip` lies inside `cidr` (IPv4 only; anything else is false). */
export function cidrContains(cidr: string, ip: string): boolean {
  const r = cidrRange(cidr);
  const n = ipv4ToNumber(ip);
  return r !== null && n !== null && n >= r.first && n <= r.last;
}

/** Last usable host of an IPv4 CIDR (the one before broadcast); null if not IPv4. */
export function lastHost(cidr: string): string | null {
  const r = cidrRange(cidr);
  if (!r) return null;
  return numberToIpv4(r.last - r.first >= 2 ? r.last - 1 : r.last);
}
