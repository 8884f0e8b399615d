import { badRequest, conflict } from '../../http/errors.js';
import type { SimStore } from '../../store/store.js';
import type { NetworkRecord, SubnetRecord } from '../../store/types/network.js';
import { claimAddress, nextAddress, releaseAddress } from './addresses.js';
import { invalidInput, list } from './call.js';
import { inCidr, parseCidrAny, parseIp } from './ip.js';
import { notFoundOf } from './lookup.js';

export interface FixedIp {
  subnetId: string;
  ipAddress: string;
}

/** One `fixed_ips` item as asked: a subnet, an address, or both. */
export interface FixedIpRequest {
  readonly subnetId?: string;
  readonly ipAddress?: string;
}

/** Parses a `fixed_ips` attribute (`[{"subnet_id", "ip_address"}]`). */
export function fixedIpRequests(raw: unknown): FixedIpRequest[] {
  return list('fixed_ips', raw).map((item) => {
    if (typeof item !== 'object' || item === null) throw invalidInput(`Invalid data format for fixed IP: '${String(item)}'`);
    const r = item as Record<string, unknown>;
    const subnetId = typeof r['subnet_id'] === 'string' ? r['subnet_id'] : undefined;
    const ipAddress = typeof r['ip_address'] === 'string' ? r['ip_address'] : undefined;
    if (ipAddress !== undefined && !parseIp(ipAddress)) throw invalidInput(`'${ipAddress}' is not a valid IP address`);
    return { ...(subnetId !== undefined ? { subnetId } : {}), ...(ipAddress !== undefined ? { ipAddress } : {}) };
  });
}

const subnetsOf = (store: SimStore, network: NetworkRecord): SubnetRecord[] =>
  network.subnets.map((id) => store.subnets.get(id)).filter((s): s is SubnetRecord => s !== undefined);

function reservedOnSubnet(subnet: SubnetRecord, ip: string): boolean {
  const cidr = parseCidrAny(subnet.cidr);
  const v = parseIp(ip)?.value;
  return cidr !== undefined && cidr.version === 4 && cidr.prefix < 31 && (v === cidr.network || v === cidr.last);
}

/**
 * Addresses for a port on `network`, the way Neutron's IPAM hands them out:
 * - nothing asked: one address from the first IPv4 subnet with room (IPv6 only if there is no
 *   IPv4 subnet); none at all on a network without subnets;
 * - a subnet: its next free address (409 `IpAddressGenerationFailure` when full);
 * - an address: that one, on the subnet holding it (400 `InvalidIpForNetwork` /
 *   `InvalidIpForSubnet`), unless a port already has it (409 `IpAddressAlreadyAllocated`).
 * On failure nothing stays taken.
 */
export function allocateFixedIps(store: SimStore, network: NetworkRecord, requests: readonly FixedIpRequest[] | undefined): FixedIp[] {
  const subnets = subnetsOf(store, network);
  const out: FixedIp[] = [];
  try {
    if (requests === undefined) {
      if (subnets.length === 0) return [];
      const ordered = [...subnets.filter((s) => s.ipVersion === 4), ...subnets.filter((s) => s.ipVersion === 6)];
      const firstFamily = ordered[0]?.ipVersion;
      for (const s of ordered.filter((x) => x.ipVersion === firstFamily)) {
        const ip = nextAddress(store, s);
        if (ip !== undefined) return [{ subnetId: s.id, ipAddress: ip }];
      }
      throw conflict(`No more IP addresses available on network ${network.id}.`, 'IpAddressGenerationFailure');
    }
    for (const r of requests) out.push(allocateOne(store, network, subnets, r));
    return out;
  } catch (err) {
    for (const f of out) releaseAddress(store, f.subnetId, f.ipAddress);
    throw err;
  }
}

function allocateOne(store: SimStore, network: NetworkRecord, subnets: readonly SubnetRecord[], r: FixedIpRequest): FixedIp {
  let subnet: SubnetRecord | undefined;
  if (r.subnetId !== undefined) {
    const s = store.subnets.get(r.subnetId);
    if (!s) throw notFoundOf.subnet(r.subnetId);
    if (s.networkId !== network.id) throw invalidInput(`Failed to create port on network ${network.id}, because fixed_ips included invalid subnet ${r.subnetId}`);
    subnet = s;
  }
  if (r.ipAddress !== undefined) {
    const ip = r.ipAddress;
    if (subnet) {
      const cidr = parseCidrAny(subnet.cidr);
      if (!cidr || !inCidr(cidr, ip)) throw badRequest(`IP address ${ip} is not a valid IP for the specified subnet.`, 'InvalidIpForSubnet');
    } else {
      subnet = subnets.find((s) => {
        const cidr = parseCidrAny(s.cidr);
        return cidr !== undefined && inCidr(cidr, ip);
      });
      if (!subnet) throw badRequest(`IP address ${ip} is not a valid IP for any of the subnets on the specified network.`, 'InvalidIpForNetwork');
    }
    if (reservedOnSubnet(subnet, ip)) throw badRequest(`IP address ${ip} is not a valid IP for the specified subnet.`, 'InvalidIpForSubnet');
    return { subnetId: subnet.id, ipAddress: claimAddress(store, subnet, ip) };
  }
  if (!subnet) throw invalidInput('Exceeded maximum amount of fixed ips per port');
  const ip = nextAddress(store, subnet);
  if (ip === undefined) throw conflict(`No more IP addresses available for subnet ${subnet.id}.`, 'IpAddressGenerationFailure');
  return { subnetId: subnet.id, ipAddress: ip };
}

/** Gives a port's addresses back. */
export function releaseFixedIps(store: SimStore, ips: readonly FixedIp[]): void {
  for (const f of ips) releaseAddress(store, f.subnetId, f.ipAddress);
}
