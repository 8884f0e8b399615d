import { AddressPool, ipToInt, intToIp, parseCidr } from './addresses.js';
import { addComputeHost } from './hosts.js';
import type { SimStore } from './store.js';

/** The cloud admin's login, as `keystone-manage bootstrap` or a Fuel deployment leaves it. */
export interface AdminLogin {
  readonly username: string;
  readonly password: string;
  readonly projectName: string;
  readonly userId: string;
  readonly projectId: string;
}

export interface BootstrapOptions {
  readonly adminPassword: string;
  readonly computeHosts: readonly string[];
  /** External (floating) range: a /24 like the testbed's (203.0.113.0/24 source, 198.51.100.0/24 destination). */
  readonly publicCidr: string;
}

export const DEFAULT_FLAVORS = [
  { id: '1', name: 'm1.tiny', ram: 512, vcpus: 1, disk: 1 },
  { id: '2', name: 'm1.small', ram: 2048, vcpus: 1, disk: 20 },
  { id: '3', name: 'm1.medium', ram: 4096, vcpus: 2, disk: 40 },
  { id: '4', name: 'm1.large', ram: 8192, vcpus: 4, disk: 80 },
  { id: '5', name: 'm1.xlarge', ram: 16384, vcpus: 8, disk: 160 },
] as const;

/**
 * What a freshly deployed cloud holds: the default domain, admin and service projects, the
 * admin user and roles (`admin` + `_member_` on legacy, `admin`/`member`/`reader` on modern),
 * the m1.* flavors, compute hosts, a default volume type, and the external network: Neutron
 * `public` (flat, router:external) with a subnet, or the nova-network floating pool `nova`
 * (+ a FlatDHCP shared fixed network).
 */
export function bootstrapCloud(store: SimStore, options: BootstrapOptions): AdminLogin {
  const { identity, ids, profile } = store;
  const now = store.now();
  identity.domains.insert({ id: 'default', name: 'Default', description: 'The default domain', enabled: true });
  const parentId = profile.release === 'modern' ? 'default' : null;
  const admin = identity.projects.insert({ id: ids.hex(), name: 'admin', domainId: 'default', description: 'Bootstrap project for initializing the cloud.', enabled: true, parentId, tags: [], extra: undefined });
  const service = identity.projects.insert({ id: ids.hex(), name: 'services', domainId: 'default', description: 'Service project', enabled: true, parentId, tags: [], extra: undefined });
  const roleNames = profile.release === 'modern' ? ['admin', 'member', 'reader'] : ['admin', '_member_'];
  for (const name of roleNames) identity.roles.insert({ id: ids.hex(), name, description: undefined, domainId: null });
  const adminRole = identity.roleByName('admin')!;
  const user = identity.users.insert({ id: ids.hex(), name: 'admin', domainId: 'default', email: 'admin@localhost', description: undefined, enabled: true, defaultProjectId: admin.id, createdAt: now });
  identity.passwords.syncUser(user);
  identity.passwords.setPassword(user, options.adminPassword);
  identity.grant({ userId: user.id, roleId: adminRole.id, scope: { kind: 'project', id: admin.id } });
  if (profile.release === 'modern') {
    for (const r of ['member', 'reader']) identity.grant({ userId: user.id, roleId: identity.roleByName(r)!.id, scope: { kind: 'project', id: admin.id } });
  }
  void service;

  for (const f of DEFAULT_FLAVORS) {
    store.flavors.insert({ ...f, swap: 0, ephemeral: 0, rxtxFactor: 1, isPublic: true, disabled: false, description: null, extraSpecs: {}, access: [] });
  }
  for (const host of options.computeHosts) addComputeHost(store, host);
  store.volumeTypes.insert({ id: ids.uuid(), name: profile.release === 'modern' ? '__DEFAULT__' : 'default', description: null, isPublic: true, extraSpecs: {} });

  const pub = parseCidr(options.publicCidr);
  const gateway = intToIp(pub.first);
  if (profile.neutron) {
    const net = store.networks.insert({
      id: ids.uuid(), name: 'public', projectId: admin.id, adminStateUp: true, status: 'ACTIVE', shared: false, external: true,
      networkType: 'flat', physicalNetwork: 'physnet1', segmentationId: null, subnets: [], mtu: 1500, description: '', createdAt: now,
    });
    const start = intToIp(pub.first + 1);
    const end = intToIp(pub.last);
    const sub = store.subnets.insert({
      id: ids.uuid(), name: 'public-subnet', networkId: net.id, projectId: admin.id, ipVersion: 4, cidr: options.publicCidr, gatewayIp: gateway,
      allocationPools: [{ start, end }], dnsNameservers: [], hostRoutes: [], enableDhcp: false, ipv6RaMode: null, ipv6AddressMode: null, description: '', createdAt: now,
    });
    net.subnets.push(sub.id);
    store.pools.set(sub.id, AddressPool.fromRange(start, end));
  } else {
    // nova-network: floating addresses are rows made by `nova-manage floating create`.
    const pool = new AddressPool(pub.first + 1, pub.last);
    store.pools.set('floating:nova', pool);
    for (let n = pub.first + 1; n <= pub.last; n++) {
      store.novaFloatingIps.insert({ id: ids.next('floating_ip'), address: intToIp(n), pool: 'nova', interface: 'eth0', projectId: null, fixedAddress: null, instanceUuid: null, host: null, autoAssigned: false });
    }
    if (profile.network === 'nova-network:flatdhcp') addNovaNetwork(store, { label: 'novanetwork', cidr: '10.0.0.0/16', projectId: null, vlan: null });
  }
  return { username: 'admin', password: options.adminPassword, projectName: 'admin', userId: user.id, projectId: admin.id };
}

/** A nova-network network with its fixed-address pool (gateway = first address, DHCP after it). */
export function addNovaNetwork(store: SimStore, input: { readonly label: string; readonly cidr: string; readonly projectId: string | null; readonly vlan: number | null }) {
  const c = parseCidr(input.cidr);
  const gateway = intToIp(c.first);
  const net = store.novaNetworks.insert({
    id: store.ids.uuid(), dbId: store.ids.next('network'), label: input.label, cidr: input.cidr, netmask: c.netmask, gateway, broadcast: c.broadcast,
    dns1: '8.8.8.8', dns2: null, cidrV6: null, vlan: input.vlan, bridge: input.vlan === null ? 'br100' : `br${input.vlan}`,
    bridgeInterface: input.vlan === null ? 'eth0' : `vlan${input.vlan}`, projectId: input.projectId, host: null, multiHost: true,
    dhcpStart: intToIp(c.first + 1), priority: null, mtu: null, enableDhcp: true, shareAddress: false, createdAt: store.now(),
  });
  const pool = new AddressPool(c.first + 1, c.last);
  pool.take(intToIp(c.first + 1)); // the DHCP server's own address
  store.pools.set(net.id, pool);
  return net;
}

export { ipToInt };
