/** IPv4 arithmetic for CIDR checks (floating ranges, translated nova-network subnets). */

/** `10.0.0.5` as an unsigned 32-bit number; null if it is not dotted-quad IPv4. */
export function ipv4ToNumber(ip: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip.trim());
  if (!m) return null;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return null;
    n = n * 256 + octet;
  }
  return n;
}

export function numberToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** First and last address of an IPv4 CIDR; null if it is not one. */
export function cidrRange(cidr: string): { first: number; last: number } | null {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(cidr.trim());
  if (!m) return null;
  const base = ipv4ToNumber(m[1]!);
  const bits = Number(m[2]);
  if (base === null || bits > 32) return null;
  const size = 2 ** (32 - bits);
  const first = Math.floor(base / size) * size;
  return { first, last: first + size - 1 };
}

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
