import type { FloatingIp, Port, SecurityGroup, Server } from '../inventory/index.js';
import type * as os from '../openstack/index.js';
import { toServer } from './records/compute.js';
import { toFloatingIp, toPort, toSecurityGroup } from './records/network.js';
import { StringPool } from './records/string-pool.js';

/** The records of the big kinds, mapped while the rest of discovery still runs. */
export interface MappedRecords {
  readonly servers: readonly Server[];
  /** Neutron clouds only (empty lists on nova-network). */
  readonly ports: readonly Port[];
  readonly securityGroups: readonly SecurityGroup[];
  readonly floatingIps: readonly FloatingIp[];
  /** The pool the records share their repeated strings through; assembly goes on with it. */
  readonly pool: StringPool;
}

/** How many records are mapped between two turns of the event loop (~5 ms of work). */
const CHUNK = 1024;

/**
 * Maps the inventory records of the big kinds (servers, Neutron ports, security groups,
 * floating IPs) as soon as each list is read, a chunk at a time with the event loop turning in
 * between, so the mapping overlaps the lists and quota reads still in flight instead of
 * following the last quota read (at 10,000 tenants ~1.1 s of mapping after every answer was
 * in). The records are those `assembleInventory` would map from the same lists.
 */
export class EarlyRecords {
  #pool = new StringPool();
  #servers: Promise<Server[]> = Promise.resolve([]);
  #ports: Promise<Port[]> = Promise.resolve([]);
  #groups: Promise<SecurityGroup[]> = Promise.resolve([]);
  #floatingIps: Promise<FloatingIp[]> = Promise.resolve([]);

  /** `flavors` names the servers' flavors (see toServer). */
  servers(servers: Promise<readonly os.Server[]>, flavors: Promise<readonly os.Flavor[]>): void {
    this.#servers = guard(
      Promise.all([servers, flavors]).then(([list, fs]) => {
        const flavorNames = new Map(fs.map((f) => [f.id, f.name]));
        const pool = this.#pool;
        return mapInTurns(list, (x) => toServer(x, flavorNames, pool));
      }),
    );
  }

  /** Neutron's lists; floating IPs name their server through the ports. */
  neutron(ports: Promise<readonly os.Port[]>, groups: Promise<readonly os.SecurityGroup[]>, floatingIps: Promise<readonly os.FloatingIp[]>): void {
    const pool = this.#pool;
    this.#ports = guard(ports.then((list) => mapInTurns(list, (p) => toPort(p, pool))));
    this.#groups = guard(groups.then((list) => mapInTurns(list, (g) => toSecurityGroup(g, pool))));
    this.#floatingIps = guard(
      Promise.all([floatingIps, ports]).then(([list, ps]) => {
        const portsById = new Map(ps.map((p) => [p.id, p]));
        return mapInTurns(list, (f) => toFloatingIp(f, portsById, pool));
      }),
    );
  }

  /**
   * Every record mapped; rejects with the first list's failure. Asked once: this object lets
   * go of the records and of the pool (its maps hold every pooled string, tens of MiB at
   * 10,000 tenants), which then live only as long as the caller keeps them.
   */
  async records(): Promise<MappedRecords> {
    const [servers, ports, securityGroups, floatingIps] = await Promise.all([this.#servers, this.#ports, this.#groups, this.#floatingIps]);
    const pool = this.#pool;
    this.#servers = this.#ports = this.#groups = this.#floatingIps = Promise.resolve([]);
    this.#pool = new StringPool();
    return { servers, ports, securityGroups, floatingIps, pool };
  }
}

/** A failed list is reported by the survey; records() reports it again only if asked. */
function guard<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** `items.map(map)`, giving the event loop a turn every CHUNK items (answers to read, requests to send). */
export async function mapInTurns<T, R>(items: readonly T[], map: (item: T) => R): Promise<R[]> {
  const out = new Array<R>(items.length);
  for (let i = 0; i < items.length; i++) {
    out[i] = map(items[i]!);
    if (i % CHUNK === CHUNK - 1 && i + 1 < items.length) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return out;
}
