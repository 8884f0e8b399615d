import { groupBy, indexBy, type Groups } from '../inventory/index.js';
import type { FloatingIp, Inventory, Network, NovaNetwork, Port, Router, Server, Subnet } from '../inventory/index.js';
import type { CloudIndex } from './indexes.js';
import { all } from './indexes.js';
import { cidrContains, lastHost } from './ipv4.js';

/**
 * The source's networking in Neutron terms, whatever the source runs. A Neutron source is
 * taken as is. A nova-network source is translated (DESIGN.md §1, nova-network sources go to
 * Neutron destinations):
 * - each FlatDHCP or VLAN network becomes a network plus one subnet with the same CIDR,
 *   gateway and DNS (ids: the nova network id for both); a network without a project
 *   (FlatDHCP, shared by every tenant) becomes a shared network;
 * - a network with floating IPs in use gets a router (id: the nova network id) whose
 *   gateway is the destination external network and whose interface is on that subnet;
 * - each server MAC becomes a port (id `<server id>/<mac>`) with its fixed IPs;
 * - each allocated nova floating IP becomes a floating IP (id: the address).
 */
export interface SourceNet {
  readonly translated: boolean;
  readonly networksById: ReadonlyMap<string, Network>;
  readonly networksByProject: Groups<Network>;
  readonly subnetsById: ReadonlyMap<string, Subnet>;
  readonly subnetsByNetwork: Groups<Subnet>;
  readonly routersByProject: Groups<Router>;
  readonly routersById: ReadonlyMap<string, Router>;
  /** Router holding an interface on the subnet. */
  readonly routerBySubnet: ReadonlyMap<string, Router>;
  /** Server NIC ports (device owner `compute:*`) by server id, in inventory order. */
  readonly portsByServer: Groups<Port>;
  readonly portsById: ReadonlyMap<string, Port>;
  readonly floatingIpsByProject: Groups<FloatingIp>;
  readonly floatingIpsByPort: Groups<FloatingIp>;
  /** The nova network behind a translated network id. */
  readonly novaNetworks: ReadonlyMap<string, NovaNetwork>;
  /** Server fixed addresses no nova network could be found for (translation only). */
  readonly unplaced: readonly { readonly serverId: string; readonly address: string }[];
}

export function sourceNet(inv: Inventory, ix: CloudIndex): SourceNet {
  if (inv.capabilities.networkModel === 'neutron') {
    return view(
      false,
      inv.networks,
      inv.subnets,
      inv.routers,
      nicPorts(ix, inv.ports.filter((p) => p.deviceOwner.startsWith('compute:'))),
      inv.floatingIps,
      new Map(),
      [],
    );
  }
  return translate(inv, ix);
}

function view(
  translated: boolean,
  networks: readonly Network[],
  subnets: readonly Subnet[],
  routers: readonly Router[],
  ports: NicPorts,
  fips: readonly FloatingIp[],
  novaNetworks: ReadonlyMap<string, NovaNetwork>,
  unplaced: SourceNet['unplaced'],
): SourceNet {
  const routerBySubnet = new Map<string, Router>();
  for (const r of routers) for (const i of r.interfaces) if (!routerBySubnet.has(i.subnetId)) routerBySubnet.set(i.subnetId, r);
  return {
    translated,
    networksById: indexBy(networks, (n) => n.id),
    networksByProject: groupBy(networks, (n) => n.projectId),
    subnetsById: indexBy(subnets, (s) => s.id),
    subnetsByNetwork: groupBy(subnets, (s) => s.networkId),
    routersByProject: groupBy(routers, (r) => r.projectId),
    routersById: indexBy(routers, (r) => r.id),
    routerBySubnet,
    portsByServer: ports.byServer,
    portsById: ports.byId,
    floatingIpsByProject: groupBy(fips, (f) => f.projectId),
    floatingIpsByPort: groupBy(fips, (f) => f.portId),
    novaNetworks,
    unplaced,
  };
}

function translate(inv: Inventory, ix: CloudIndex): SourceNet {
  const networks: Network[] = [];
  const subnets: Subnet[] = [];
  for (const n of inv.novaNetworks) {
    const projectId = n.projectId ?? '';
    networks.push({
      id: n.id,
      name: n.label,
      projectId,
      shared: n.projectId === null,
      external: false,
      adminStateUp: true,
      mtu: null,
      providerNetworkType: null,
      providerPhysicalNetwork: null,
      providerSegmentationId: null,
    });
    const end = lastHost(n.cidr);
    subnets.push({
      id: n.id,
      name: n.label,
      networkId: n.id,
      projectId,
      cidr: n.cidr,
      ipVersion: 4,
      gatewayIp: n.gateway,
      enableDhcp: true,
      dnsNameservers: n.dns,
      allocationPools: n.dhcpStart && end ? [{ start: n.dhcpStart, end }] : [],
      hostRoutes: [],
    });
  }
  const unplaced: { serverId: string; address: string }[] = [];
  const ports: Port[] = [];
  const portByFixed = new Map<string, Port>();
  for (const sv of inv.servers) {
    const byMac = new Map<string, { net: NovaNetwork; ips: string[]; mac: string | null }>();
    for (const a of sv.addresses) {
      if (a.type !== 'fixed') continue;
      const net = placeAddress(ix, sv, a.networkName, a.ipAddress);
      if (!net) {
        unplaced.push({ serverId: sv.id, address: a.ipAddress });
        continue;
      }
      // A NIC is a MAC; without MACs (old API answers) each address stands alone.
      const key = a.macAddress ?? `${net.id}:${a.ipAddress}`;
      const nic = byMac.get(key) ?? { net, ips: [], mac: a.macAddress };
      nic.ips.push(a.ipAddress);
      byMac.set(key, nic);
    }
    for (const nic of byMac.values()) {
      const port: Port = {
        id: `${sv.id}/${nic.mac ?? nic.ips[0]!}`,
        name: '',
        networkId: nic.net.id,
        projectId: sv.projectId,
        macAddress: nic.mac ?? '',
        fixedIps: nic.ips.map((ip) => ({ subnetId: nic.net.id, ipAddress: ip })),
        deviceOwner: 'compute:nova',
        deviceId: sv.id,
        securityGroupIds: groupIds(ix, sv),
        adminStateUp: true,
      };
      ports.push(port);
      for (const ip of nic.ips) portByFixed.set(`${sv.id}/${ip}`, port);
    }
  }
  const fips: FloatingIp[] = [];
  const routed = new Set<string>();
  for (const f of inv.novaFloatingIps) {
    const server = f.serverId ? ix.serversById.get(f.serverId) : undefined;
    const projectId = f.projectId ?? server?.projectId ?? null;
    if (projectId === null) continue; // free in the pool: nobody's
    const port = server && f.fixedIpAddress ? portByFixed.get(`${server.id}/${f.fixedIpAddress}`) : undefined;
    if (port) routed.add(port.networkId);
    fips.push({
      id: f.address,
      address: f.address,
      projectId,
      externalNetworkId: `pool:${f.pool}`,
      portId: port?.id ?? null,
      fixedIpAddress: f.fixedIpAddress,
      routerId: port ? port.networkId : null,
      serverId: f.serverId,
    });
  }
  const routers: Router[] = inv.novaNetworks
    .filter((n) => routed.has(n.id))
    .map((n) => ({
      id: n.id,
      name: n.label,
      projectId: n.projectId ?? '',
      adminStateUp: true,
      gateway: { networkId: 'external', enableSnat: null, externalFixedIps: [] },
      interfaces: [{ subnetId: n.id, portId: '', ipAddress: n.gateway ?? '' }],
      routes: [],
    }));
  const nova = indexBy(inv.novaNetworks, (n) => n.id);
  return view(true, networks, subnets, routers, inOrder(ports), fips, nova, unplaced);
}

/** Server NIC ports by server and by id. */
interface NicPorts {
  readonly byServer: Groups<Port>;
  readonly byId: ReadonlyMap<string, Port>;
}

/** Ports already in the order wanted (translated ones: made in the servers' address order). */
function inOrder(ports: readonly Port[]): NicPorts {
  return { byServer: groupBy(ports, (p) => p.deviceId || null), byId: indexBy(ports, (p) => p.id) };
}

/**
 * Ports in NIC order: a server's ports by the position of their MAC in the server's address
 * list (which Nova keeps in attachment order), then by id; Neutron's listing order is not
 * meaningful and must not leak into the plan.
 *
 * Each server's ports are sorted on their own (most servers have one: nothing to sort), not
 * all 100,000 in one sort whose comparisons mostly fell through to the ids. `byId` is what
 * indexBy over that one sorted list gave: for an id listed twice, the port of the lower
 * rank, then the earlier listed.
 */
function nicPorts(ix: CloudIndex, ports: readonly Port[]): NicPorts {
  const byServer = groupBy(ports, (p) => p.deviceId || null);
  for (const group of byServer.values()) {
    if (group.length < 2) continue;
    const sv = ix.serversById.get(group[0]!.deviceId);
    // The rank of each port is worked out once, not in every comparison.
    const ranked = group.map((p) => ({ p, rank: macRank(sv, p.macAddress) }));
    ranked.sort((a, b) => a.rank - b.rank || (a.p.id < b.p.id ? -1 : a.p.id > b.p.id ? 1 : 0));
    const sorted = group as Port[];
    for (let i = 0; i < ranked.length; i++) sorted[i] = ranked[i]!.p;
  }
  const byId = new Map<string, Port>();
  let repeated: Set<string> | undefined;
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i]!;
    const size = byId.size;
    byId.set(p.id, p);
    if (byId.size === size) (repeated ??= new Set()).add(p.id);
  }
  if (repeated !== undefined) {
    const best = new Map<string, { readonly p: Port; readonly rank: number }>();
    for (const p of ports) {
      if (!repeated.has(p.id)) continue;
      const rank = macRank(ix.serversById.get(p.deviceId), p.macAddress);
      const known = best.get(p.id);
      if (known === undefined || rank < known.rank) best.set(p.id, { p, rank });
    }
    for (const [id, { p }] of best) byId.set(id, p);
  }
  return { byServer, byId };
}

function macRank(sv: Server | undefined, mac: string): number {
  if (sv !== undefined) {
    const addresses = sv.addresses;
    for (let i = 0; i < addresses.length; i++) if (addresses[i]!.macAddress === mac) return i;
  }
  return Number.MAX_SAFE_INTEGER;
}

/**
 * The nova network a server's fixed address is on: the label can repeat across VLAN tenants,
 * so prefer the server's project's network, then a shared one, then the one whose CIDR holds
 * the address.
 */
function placeAddress(ix: CloudIndex, sv: Server, label: string, ip: string): NovaNetwork | undefined {
  const candidates = all(ix.novaNetworksByLabel, label);
  const holds = candidates.filter((n) => cidrContains(n.cidr, ip));
  const pool = holds.length > 0 ? holds : candidates;
  return pool.find((n) => n.projectId === sv.projectId) ?? pool.find((n) => n.projectId === null) ?? pool[0];
}

/** nova-network servers name their groups; their ids are looked up in the server's project. */
function groupIds(ix: CloudIndex, sv: Server): string[] {
  const groups = all(ix.securityGroupsByProject, sv.projectId);
  const out: string[] = [];
  for (const name of sv.securityGroupNames) {
    const g = groups.find((x) => x.name === name);
    if (g && !out.includes(g.id)) out.push(g.id);
  }
  return out;
}
