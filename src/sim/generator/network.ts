import { AddressPool, intToIp, macFrom, parseCidr } from '../store/addresses.js';
import { addNovaNetwork } from '../store/bootstrap.js';
import type { SimStore } from '../store/store.js';
import type { ServerAddress } from '../store/types/compute.js';
import type { NetworkRecord, NovaNetworkRecord, SubnetRecord } from '../store/types/network.js';

/** Where a tenant's servers get their fixed addresses. */
export type TenantNetwork =
  | { readonly kind: 'neutron'; readonly network: NetworkRecord; readonly subnet: SubnetRecord; readonly routerId: string }
  | { readonly kind: 'nova-network'; readonly network: () => NovaNetworkRecord };

/** `10.<hi>.<lo>.0/24` for tenant index i (65,536 distinct subnets). */
function tenantCidr(i: number): string {
  return `10.${(i >> 8) & 255}.${i & 255}.0/24`;
}

/**
 * A tenant's network as its cloud would have it: Neutron: a GRE network + /24 subnet + a router
 * with its gateway on `public` and an interface on the subnet. nova-network VLAN: a /24
 * network owned by the project with its own VLAN. FlatDHCP: the shared flat network (a new
 * /16 is added when the current one is full).
 */
export function tenantNetwork(store: SimStore, projectId: string, name: string, index: number): TenantNetwork {
  const now = store.now();
  const { ids } = store;
  if (store.profile.neutron) {
    const network = store.networks.insert({
      id: ids.uuid(), name: `${name}-net`, projectId, adminStateUp: true, status: 'ACTIVE', shared: false, external: false,
      networkType: 'gre', physicalNetwork: null, segmentationId: 1000 + index, subnets: [], mtu: 1458, description: '', createdAt: now,
    });
    const cidr = tenantCidr(index);
    const c = parseCidr(cidr);
    const gateway = intToIp(c.first);
    const start = intToIp(c.first + 1);
    const end = intToIp(c.last);
    const subnet = store.subnets.insert({
      id: ids.uuid(), name: `${name}-subnet`, networkId: network.id, projectId, ipVersion: 4, cidr, gatewayIp: gateway,
      allocationPools: [{ start, end }], dnsNameservers: ['8.8.8.8'], hostRoutes: [], enableDhcp: true, ipv6RaMode: null, ipv6AddressMode: null, description: '', createdAt: now,
    });
    network.subnets.push(subnet.id);
    const pool = AddressPool.fromRange(start, end);
    store.pools.set(subnet.id, pool);
    const external = store.networks.find((n) => n.external);
    const extSubnetId = external?.subnets[0];
    const extIp = extSubnetId ? store.pools.get(extSubnetId)?.allocate() : undefined;
    const router = store.routers.insert({
      id: ids.uuid(), name: `${name}-router`, projectId, adminStateUp: true, status: 'ACTIVE',
      gateway: external ? { networkId: external.id, enableSnat: true, externalFixedIps: extIp && extSubnetId ? [{ subnetId: extSubnetId, ipAddress: extIp }] : [] } : null,
      routes: [], distributed: false, ha: false, description: '', createdAt: now,
    });
    if (external && extIp && extSubnetId) {
      store.ports.insert(port(store, { networkId: external.id, projectId: '', subnetId: extSubnetId, ip: extIp, deviceId: router.id, deviceOwner: 'network:router_gateway', now }));
    }
    store.ports.insert(port(store, { networkId: network.id, projectId, subnetId: subnet.id, ip: gateway, deviceId: router.id, deviceOwner: 'network:router_interface', now }));
    const dhcpIp = pool.allocate()!;
    store.ports.insert(port(store, { networkId: network.id, projectId, subnetId: subnet.id, ip: dhcpIp, deviceId: `dhcp-${network.id}`, deviceOwner: 'network:dhcp', now }));
    return { kind: 'neutron', network, subnet, routerId: router.id };
  }
  if (store.profile.network === 'nova-network:vlan') {
    const net = addNovaNetwork(store, { label: `${name}-net`, cidr: tenantCidr(index), projectId, vlan: 100 + (index % 3900) });
    return { kind: 'nova-network', network: () => net };
  }
  return { kind: 'nova-network', network: () => flatNetwork(store) };
}

/** The flat network with room left, adding `10.<16+k>.0.0/16` when all are full. */
function flatNetwork(store: SimStore): NovaNetworkRecord {
  const flat = store.novaNetworks.filter((n) => n.projectId === null);
  for (const n of flat) {
    const pool = store.pools.get(n.id)!;
    if (pool.inUse < pool.capacity) return n;
  }
  return addNovaNetwork(store, { label: `novanetwork-${flat.length + 1}`, cidr: `10.${16 + flat.length}.0.0/16`, projectId: null, vlan: null });
}

function port(store: SimStore, p: { networkId: string; projectId: string; subnetId: string; ip: string; deviceId: string; deviceOwner: string; now: string }) {
  return {
    id: store.ids.uuid(), name: '', networkId: p.networkId, projectId: p.projectId, macAddress: macFrom(store.rng),
    fixedIps: [{ subnetId: p.subnetId, ipAddress: p.ip }], deviceId: p.deviceId, deviceOwner: p.deviceOwner,
    status: p.deviceOwner === 'network:router_gateway' ? 'DOWN' : 'ACTIVE', adminStateUp: true, securityGroups: [], bindingHostId: '',
    allowedAddressPairs: [], description: '', createdAt: p.now,
  };
}

/**
 * Gives a server its fixed address: a Neutron port (device_owner `compute:<az>`) or a
 * nova-network fixed IP row. Returns the address as the server renders it, and the port id.
 */
export function plugServer(
  store: SimStore,
  net: TenantNetwork,
  server: { readonly id: string; readonly projectId: string; readonly host: string; readonly az: string },
  securityGroupIds: readonly string[],
): { readonly address: ServerAddress; readonly portId: string | undefined } | undefined {
  const mac = macFrom(store.rng);
  if (net.kind === 'neutron') {
    const ip = store.pools.get(net.subnet.id)!.allocate();
    if (!ip) return undefined;
    const p = store.ports.insert({
      ...port(store, { networkId: net.network.id, projectId: server.projectId, subnetId: net.subnet.id, ip, deviceId: server.id, deviceOwner: `compute:${server.az}`, now: store.now() }),
      macAddress: mac,
      securityGroups: [...securityGroupIds],
      bindingHostId: server.host,
    });
    return { address: { network: net.network.name, addr: ip, type: 'fixed', mac, version: 4 }, portId: p.id };
  }
  const n = net.network();
  const ip = store.pools.get(n.id)!.allocate();
  if (!ip) return undefined;
  store.fixedIps.insert({ id: ip, dbId: store.ids.next('fixed_ip'), networkId: n.id, instanceUuid: server.id, mac, allocated: true, reserved: false, host: server.host });
  return { address: { network: n.label, addr: ip, type: 'fixed', mac, version: 4 }, portId: undefined };
}
