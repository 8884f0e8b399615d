import { conflict } from '../../http/errors.js';
import { AddressPool } from '../../store/addresses.js';
import type { SimStore } from '../../store/store.js';
import type { SubnetRecord } from '../../store/types/network.js';
import { formatIp, ipValue, normalizeIp, parseIp } from './ip.js';

/**
 * An AddressPool over several ranges: a subnet with more than one allocation pool. Lowest free
 * address first across the ranges. Lives in `store.pools` like any pool, so Nova's port code
 * (which only calls allocate/take/has/contains/release) works on it unchanged.
 */
export class RangesPool extends AddressPool {
  private readonly parts: readonly AddressPool[];

  constructor(ranges: readonly { readonly start: string; readonly end: string }[]) {
    super(1, 0); // an empty range: every method below is overridden
    this.parts = [...ranges].sort((a, b) => Number(ipValue(a.start) - ipValue(b.start))).map((r) => AddressPool.fromRange(r.start, r.end));
  }

  override get capacity(): number {
    return this.parts.reduce((n, p) => n + p.capacity, 0);
  }

  override get inUse(): number {
    return this.parts.reduce((n, p) => n + p.inUse, 0);
  }

  override allocate(): string | undefined {
    for (const p of this.parts) {
      const ip = p.allocate();
      if (ip !== undefined) return ip;
    }
    return undefined;
  }

  override take(ip: string): boolean {
    return this.parts.find((p) => p.contains(ip))?.take(ip) ?? false;
  }

  override has(ip: string): boolean {
    return this.parts.some((p) => p.contains(ip) && p.has(ip));
  }

  override contains(ip: string): boolean {
    return this.parts.some((p) => p.contains(ip));
  }

  override release(ip: string): void {
    this.parts.find((p) => p.contains(ip))?.release(ip);
  }
}

/** A pool for allocation pools (one range: the store's own AddressPool). IPv4 only. */
export function newPool(ranges: readonly { readonly start: string; readonly end: string }[]): AddressPool {
  const only = ranges[0];
  return ranges.length === 1 && only ? AddressPool.fromRange(only.start, only.end) : new RangesPool(ranges);
}

/**
 * The subnet's pool: `store.pools` (the generator and earlier creates put it there), rebuilt
 * from the record and the addresses in use when missing. Undefined for IPv6 subnets.
 */
export function poolOf(store: SimStore, subnet: SubnetRecord): AddressPool | undefined {
  if (subnet.ipVersion !== 4) return undefined;
  let pool = store.pools.get(subnet.id);
  if (!pool) {
    pool = newPool(subnet.allocationPools);
    for (const ip of usedAddresses(store, subnet)) if (pool.contains(ip)) pool.take(ip);
    store.pools.set(subnet.id, pool);
  }
  return pool;
}

/** Replaces the subnet's pool (allocation pools changed), keeping every address in use taken. */
export function resetPool(store: SimStore, subnet: SubnetRecord): void {
  store.pools.delete(subnet.id);
  poolOf(store, subnet);
}

/** Every address of the subnet held by a port (or, on an external network, a floating IP). */
export function usedAddresses(store: SimStore, subnet: SubnetRecord): string[] {
  const out: string[] = [];
  for (const p of store.ports.values()) {
    if (p.networkId !== subnet.networkId) continue;
    for (const f of p.fixedIps) if (f.subnetId === subnet.id) out.push(f.ipAddress);
  }
  for (const f of store.floatingIps.values()) if (f.floatingNetworkId === subnet.networkId) out.push(f.address);
  return out;
}

/** True when a port or floating IP already holds `ip` on the subnet. */
export function isAllocated(store: SimStore, subnet: SubnetRecord, ip: string): boolean {
  const pool = poolOf(store, subnet);
  if (pool?.contains(ip) && pool.has(ip)) return true;
  const want = normalizeIp(ip);
  for (const p of store.ports.values()) {
    if (p.networkId === subnet.networkId && p.fixedIps.some((f) => f.subnetId === subnet.id && normalizeIp(f.ipAddress) === want)) return true;
  }
  for (const f of store.floatingIps.values()) if (f.floatingNetworkId === subnet.networkId && f.address === want) return true;
  return false;
}

/** Takes a given address (409 `IpAddressAlreadyAllocated` when it is held). */
export function claimAddress(store: SimStore, subnet: SubnetRecord, ip: string): string {
  const want = normalizeIp(ip);
  if (isAllocated(store, subnet, want)) throw conflict(`IP address ${want} already allocated in subnet ${subnet.id}`, 'IpAddressAlreadyAllocated');
  const pool = poolOf(store, subnet);
  if (pool?.contains(want)) pool.take(want);
  return want;
}

/**
 * The lowest free address of the subnet's allocation pools, or undefined when none is left.
 * IPv6 subnets have no pool object (their ranges are 2^64 wide): the first address after the
 * pool start that no port holds.
 */
export function nextAddress(store: SimStore, subnet: SubnetRecord): string | undefined {
  if (subnet.ipVersion === 4) return poolOf(store, subnet)?.allocate();
  const used = new Set(usedAddresses(store, subnet).map(ipValue));
  for (const range of subnet.allocationPools) {
    const end = ipValue(range.end);
    for (let v = ipValue(range.start); v <= end; v++) if (!used.has(v)) return formatIp(6, v);
  }
  return undefined;
}

/** Gives an address back to its subnet's pool (addresses outside the pools need nothing). */
export function releaseAddress(store: SimStore, subnetId: string, ip: string): void {
  if (parseIp(ip)?.version !== 4) return;
  const pool = store.pools.get(subnetId);
  if (pool?.contains(ip)) pool.release(ip);
}
