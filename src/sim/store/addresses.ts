/** IPv4 and MAC helpers for the store's address pools. */

export function ipToInt(ip: string): number {
  const p = ip.split('.').map(Number);
  if (p.length !== 4 || p.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) throw new Error(`not an IPv4 address: ${ip}`);
  return ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0;
}

export function intToIp(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** `10.0.0.0/24` -> network, prefix, netmask, broadcast, first and last usable addresses. */
export function parseCidr(cidr: string): { readonly network: number; readonly prefix: number; readonly netmask: string; readonly broadcast: string; readonly first: number; readonly last: number } {
  const [ip, bits] = cidr.split('/');
  const prefix = Number(bits);
  if (ip === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const network = (ipToInt(ip) & mask) >>> 0;
  const bcast = (network | (~mask >>> 0)) >>> 0;
  return { network, prefix, netmask: intToIp(mask), broadcast: intToIp(bcast), first: network + 1, last: bcast - 1 };
}

export function cidrContains(cidr: string, ip: string): boolean {
  const c = parseCidr(cidr);
  const n = ipToInt(ip);
  return n >= c.network && n <= c.last + 1;
}

/**
 * Hands out addresses of one range, lowest free first, and takes specific ones. Allocation
 * is O(1) amortised: a cursor moves forward, freed addresses go to a free list.
 */
export class AddressPool {
  private readonly used = new Set<number>();
  private readonly freed: number[] = [];
  private cursor: number;

  constructor(
    private readonly first: number,
    private readonly last: number,
  ) {
    this.cursor = first;
  }

  static fromRange(start: string, end: string): AddressPool {
    return new AddressPool(ipToInt(start), ipToInt(end));
  }

  get capacity(): number {
    return this.last - this.first + 1;
  }

  get inUse(): number {
    return this.used.size;
  }

  /** Next free address, or undefined when the pool is exhausted. */
  allocate(): string | undefined {
    while (this.freed.length > 0) {
      const n = this.freed.pop()!;
      if (!this.used.has(n)) {
        this.used.add(n);
        return intToIp(n);
      }
    }
    while (this.cursor <= this.last) {
      const n = this.cursor++;
      if (!this.used.has(n)) {
        this.used.add(n);
        return intToIp(n);
      }
    }
    return undefined;
  }

  /** Takes a specific address; false when it is outside the range or taken. */
  take(ip: string): boolean {
    const n = ipToInt(ip);
    if (n < this.first || n > this.last || this.used.has(n)) return false;
    this.used.add(n);
    return true;
  }

  has(ip: string): boolean {
    return this.used.has(ipToInt(ip));
  }

  contains(ip: string): boolean {
    const n = ipToInt(ip);
    return n >= this.first && n <= this.last;
  }

  release(ip: string): void {
    const n = ipToInt(ip);
    if (this.used.delete(n)) this.freed.push(n);
  }
}

/** `fa:16:3e:xx:xx:xx`, the prefix Nova and Neutron use. */
export function macFrom(rng: { nextU32(): number }): string {
  const v = rng.nextU32();
  const h = (n: number) => (n & 255).toString(16).padStart(2, '0');
  return `fa:16:3e:${h(v >>> 16)}:${h(v >>> 8)}:${h(v)}`;
}
