import type { Router, Subnet } from '../inventory/index.js';
import type { PlanContext } from './context.js';
import type { ExternalChoice } from './external-network.js';
import { all } from './indexes.js';
import { cidrContains, cidrRange, ipv4ToNumber, numberToIpv4 } from './ipv4.js';

/** A router gateway address the plan pins, on one destination external subnet. */
export interface GatewayAddress {
  readonly subnetId: string;
  readonly ip: string;
}

interface Book {
  /** Addresses in use in the destination, or promised to a gateway of this plan. */
  readonly taken: Set<string>;
  /** Every source floating address: those keep their address, now or in a later plan. */
  readonly floating: ReadonlySet<string>;
  /** External network id -> whether its subnets hold any source floating address. */
  readonly holdsFloating: Map<string, boolean>;
  /**
   * `subnet id/pool index` -> the first address not yet known to be unusable: `taken` only
   * grows, so each search goes on where the last one stopped instead of from the pool start.
   */
  readonly cursor: Map<string, number>;
  /** Destination network id -> its IPv4 subnets. */
  readonly subnets: Map<string, readonly Subnet[]>;
  /** Destination subnet id -> its pools. */
  readonly pools: Map<string, readonly Pool[]>;
}

// Per plan, like external-network.ts: one book of addresses while one plan is assembled.
const books = new WeakMap<PlanContext, Book>();

/**
 * The address a new router's gateway takes on `ext`, or null to let Neutron choose.
 *
 * In a forklift upgrade the destination's external network is usually the source's range
 * (same hardware, same upstream). A gateway left to Neutron takes the first free address,
 * which is often a source floating IP that a later action (or a later tenant's plan) must
 * keep: the floating IP then fails with "already allocated". So where the external network
 * holds source floating addresses, the plan pins each gateway: the source router's own
 * gateway address when it is free, else the first free pool address that no source floating
 * IP uses. Ranges disjoint from the source's (separate clouds) are left to Neutron.
 */
export function gatewayAddress(ctx: PlanContext, router: Router, ext: ExternalChoice): GatewayAddress | null {
  if (!ctx.desired.options.keepFloatingIps) return null;
  const book = bookOf(ctx);
  const subnets = subnetsOf(ctx, book, ext.network.id);
  // Once per network, not per router: 10k routers times 10k floating IPs otherwise.
  let holds = book.holdsFloating.get(ext.network.id);
  if (holds === undefined) {
    holds = false;
    for (const ip of book.floating) {
      if (inside(subnets, ip) !== undefined) {
        holds = true;
        break;
      }
    }
    book.holdsFloating.set(ext.network.id, holds);
  }
  if (!holds) return null;

  for (const f of router.gateway?.externalFixedIps ?? []) {
    const s = inside(subnets, f.ipAddress);
    if (s && !book.taken.has(f.ipAddress)) return take(book, s.id, f.ipAddress);
  }
  for (const s of subnets) {
    for (const pool of poolsOf(book, s)) {
      for (let n = book.cursor.get(pool.key) ?? pool.first; n <= pool.last; n++) {
        const ip = numberToIpv4(n);
        if (!book.taken.has(ip) && !book.floating.has(ip) && ip !== s.gatewayIp) {
          book.cursor.set(pool.key, n + 1);
          return take(book, s.id, ip);
        }
      }
      book.cursor.set(pool.key, pool.last + 1);
    }
  }
  ctx.draft.warn(`no free address is left on the destination external network '${ext.network.name}' outside the source floating IPs; Neutron chooses the router gateway address`);
  return null;
}

/** The first of `subnets` whose CIDR holds `ip`. */
function inside(subnets: readonly Subnet[], ip: string): Subnet | undefined {
  return subnets.find((s) => cidrContains(s.cidr, ip));
}

/** The IPv4 subnets of a destination network (asked once per router). */
function subnetsOf(ctx: PlanContext, book: Book, networkId: string): readonly Subnet[] {
  let subnets = book.subnets.get(networkId);
  if (!subnets) {
    subnets = all(ctx.d.subnetsByNetwork, networkId).filter((s) => s.ipVersion === 4);
    book.subnets.set(networkId, subnets);
  }
  return subnets;
}

/** A subnet's allocation pools as numbers, with their cursor keys (worked out once per subnet). */
function poolsOf(book: Book, s: Subnet): readonly Pool[] {
  let pools = book.pools.get(s.id);
  if (!pools) {
    const made: Pool[] = [];
    const listed = s.allocationPools.length > 0 ? s.allocationPools : wholeRange(s.cidr);
    for (const [i, pool] of listed.entries()) {
      const first = ipv4ToNumber(pool.start);
      const last = ipv4ToNumber(pool.end);
      if (first !== null && last !== null) made.push({ key: `${s.id}/${i}`, first, last });
    }
    book.pools.set(s.id, made);
    pools = made;
  }
  return pools;
}

interface Pool {
  /** Key of its cursor: `subnet id/pool index`. */
  readonly key: string;
  readonly first: number;
  readonly last: number;
}

function take(book: Book, subnetId: string, ip: string): GatewayAddress {
  book.taken.add(ip);
  return { subnetId, ip };
}

function bookOf(ctx: PlanContext): Book {
  let book = books.get(ctx);
  if (book) return book;
  const taken = new Set<string>();
  for (const p of ctx.dst.ports) for (const f of p.fixedIps) taken.add(f.ipAddress);
  for (const f of ctx.dst.floatingIps) taken.add(f.address);
  for (const r of ctx.dst.routers) for (const f of r.gateway?.externalFixedIps ?? []) taken.add(f.ipAddress);
  const floating = new Set<string>();
  for (const list of ctx.net.floatingIpsByProject.values()) for (const f of list) floating.add(f.address);
  book = { taken, floating, holdsFloating: new Map(), cursor: new Map(), subnets: new Map(), pools: new Map() };
  books.set(ctx, book);
  return book;
}

/** Every host address of a subnet without allocation pools (network and broadcast left out). */
function wholeRange(cidr: string): { start: string; end: string }[] {
  const r = cidrRange(cidr);
  if (!r || r.last - r.first < 2) return [];
  return [{ start: numberToIpv4(r.first + 1), end: numberToIpv4(r.last - 1) }];
}
