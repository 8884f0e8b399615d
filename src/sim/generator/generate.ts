import type { SimStore } from '../store/store.js';
import type { ServerRecord } from '../store/types/compute.js';
import { generatedImage } from './images.js';
import { generatedPassword, publicKeyFor, tenantName } from './names.js';
import { plugServer, tenantNetwork, type TenantNetwork } from './network.js';
import { tenantSecurityGroups } from './security-groups.js';

/** How much to make. Defaults make a small, varied cloud; the bench makes 10,000 x 10 servers. */
export interface GeneratorOptions {
  readonly tenants: number;
  readonly usersPerTenant?: number;
  readonly serversPerTenant?: number;
  readonly volumesPerTenant?: number;
  readonly imagesPerTenant?: number;
  /** Public images owned by the admin project. Default 1. */
  readonly publicImages?: number;
  /** Bytes of each generated image. Default 64 KiB. */
  readonly imageSize?: number;
  readonly floatingIpsPerTenant?: number;
  /** Tenant names are `<prefix>-0001`...; default `tenant`. */
  readonly tenantPrefix?: string;
}

export interface GeneratedUser {
  readonly id: string;
  readonly name: string;
  /** `generatedPassword(seed, name)`. */
  readonly password: string;
}

export interface GeneratedTenant {
  readonly id: string;
  readonly name: string;
  readonly users: readonly GeneratedUser[];
  readonly servers: readonly string[];
  readonly volumes: readonly string[];
  readonly images: readonly string[];
}

export interface GeneratedCloud {
  readonly tenants: readonly GeneratedTenant[];
  readonly counts: Readonly<Record<string, number>>;
}

/**
 * Fills a store with tenants and what they own, from the store's seed (same seed -> same ids,
 * names and addresses). Only store records are written; the service modules render them.
 * Per tenant: users (member role, password from `generatedPassword`), a keypair per user,
 * security groups default/web/db (db references web), a network (per profile), private images,
 * volumes (the first attached to the first server), servers spread round-robin over the
 * hypervisors (every fifth one SHUTOFF), non-default quotas on every other tenant, and
 * floating IPs on the first servers while the public range lasts.
 */
export async function generate(store: SimStore, options: GeneratorOptions): Promise<GeneratedCloud> {
  const o = {
    usersPerTenant: 2, serversPerTenant: 2, volumesPerTenant: 1, imagesPerTenant: 1, publicImages: 1, imageSize: 64 * 1024,
    floatingIpsPerTenant: 1, tenantPrefix: 'tenant', ...options,
  };
  const { identity, ids } = store;
  const member = identity.roleByName('_member_') ?? identity.roleByName('member');
  if (!member) throw new Error('the store has no member role: bootstrap the cloud first');
  const adminProject = identity.projectByName('admin');
  const hypervisors = store.hypervisors.all();
  const flavors = store.flavors.all().slice(0, 2);
  const publicImages: string[] = [];
  for (let i = 0; i < o.publicImages; i++) {
    publicImages.push((await generatedImage(store, { name: i === 0 ? 'cirros-0.3.2-x86_64' : `public-image-${i + 1}`, projectId: adminProject?.id ?? null, visibility: 'public', size: o.imageSize })).id);
  }
  const tenants: GeneratedTenant[] = [];
  let hyperCursor = 0;
  const now = store.now();
  for (let t = 0; t < o.tenants; t++) {
    const name = tenantName(o.tenantPrefix, t);
    const project = identity.projects.insert({
      id: ids.hex(), name, domainId: 'default', description: `generated tenant ${t + 1}`, enabled: true,
      parentId: store.profile.release === 'modern' ? 'default' : null, tags: [], extra: undefined,
    });
    const users: GeneratedUser[] = [];
    for (let u = 0; u < o.usersPerTenant; u++) {
      const userName = `${name}-user-${u + 1}`;
      const user = identity.users.insert({ id: ids.hex(), name: userName, domainId: 'default', email: `${userName}@example.org`, description: undefined, enabled: true, defaultProjectId: project.id, createdAt: now });
      const password = generatedPassword(store.seed, userName);
      identity.passwords.syncUser(user);
      identity.passwords.setPassword(user, password);
      identity.grant({ userId: user.id, roleId: member.id, scope: { kind: 'project', id: project.id } });
      const key = publicKeyFor(store.seed, `${userName}/key-1`);
      store.keypairs.insert({ id: `${user.id}/key-1`, dbId: ids.next('key_pair'), name: 'key-1', userId: user.id, publicKey: key.publicKey, fingerprint: key.fingerprint, type: 'ssh', createdAt: now });
      users.push({ id: user.id, name: userName, password });
    }
    const owner = users[0];
    if (t % 2 === 1) {
      store.setQuota('compute', project.id, { instances: 20, cores: 40, ram: 102400 });
      store.setQuota('volume', project.id, { volumes: 20, gigabytes: 2000 });
      if (store.profile.neutron) store.setQuota('network', project.id, { port: 100, floatingip: 10 });
    }
    const groups = tenantSecurityGroups(store, project.id, owner?.id ?? '');
    const net = tenantNetwork(store, project.id, name, t);
    const images: string[] = [];
    for (let i = 0; i < o.imagesPerTenant; i++) images.push((await generatedImage(store, { name: `${name}-image-${i + 1}`, projectId: project.id, visibility: 'private', size: o.imageSize })).id);
    const servers: ServerRecord[] = [];
    for (let s = 0; s < o.serversPerTenant && hypervisors.length > 0; s++) {
      const hyper = hypervisors[hyperCursor++ % hypervisors.length]!;
      const server = newServer(store, { name: `${name}-vm-${s + 1}`, projectId: project.id, userId: owner?.id ?? '', host: hyper.host, hypervisorHostname: hyper.hostname, flavorId: flavors[s % flavors.length]?.id ?? '1', imageId: images[0] ?? publicImages[0] ?? '', keyName: owner ? 'key-1' : null, stopped: s % 5 === 4, now });
      server.securityGroups = ['default', 'web'];
      const plugged = plugServer(store, net, { id: server.id, projectId: project.id, host: hyper.host, az: server.availabilityZone }, ['default', 'web'].map((g) => groups.neutronIds.get(g)).filter((g): g is string => g !== undefined));
      if (plugged) {
        server.addresses.push(plugged.address);
        if (plugged.portId) server.ports.push(plugged.portId);
      }
      servers.push(server);
    }
    const volumes: string[] = [];
    for (let v = 0; v < o.volumesPerTenant; v++) {
      const attachTo = v === 0 ? servers[0] : undefined;
      volumes.push(newVolume(store, { name: `${name}-vol-${v + 1}`, projectId: project.id, userId: owner?.id ?? '', attachTo, now }));
    }
    for (let f = 0; f < o.floatingIpsPerTenant && f < servers.length; f++) floatingIp(store, net, servers[f]!, project.id);
    tenants.push({ id: project.id, name, users, servers: servers.map((s) => s.id), volumes, images });
  }
  await identity.passwords.flush();
  return { tenants, counts: countsOf(store) };
}

function newServer(store: SimStore, s: { name: string; projectId: string; userId: string; host: string; hypervisorHostname: string; flavorId: string; imageId: string; keyName: string | null; stopped: boolean; now: string }): ServerRecord {
  const n = store.ids.next('instance');
  return store.servers.insert({
    id: store.ids.uuid(), name: s.name, projectId: s.projectId, userId: s.userId, vmState: s.stopped ? 'stopped' : 'active', taskState: null, powerState: s.stopped ? 4 : 1,
    flavorId: s.flavorId, imageId: s.imageId, keyName: s.keyName, host: s.host, hypervisorHostname: s.hypervisorHostname, availabilityZone: 'nova',
    instanceName: `instance-${n.toString(16).padStart(8, '0')}`, createdAt: s.now, updatedAt: s.now, launchedAt: s.now, metadata: {}, securityGroups: [],
    addresses: [], volumes: [], ports: [], configDrive: '', progress: null, fault: null, accessIPv4: '', accessIPv6: '', diskConfig: 'MANUAL',
    serverGroupId: null, description: null, tags: [],
  });
}

function newVolume(store: SimStore, v: { name: string; projectId: string; userId: string; attachTo: ServerRecord | undefined; now: string }): string {
  const id = store.ids.uuid();
  const type = store.volumeTypes.all()[0];
  const size = 1;
  store.volumes.insert({
    id, name: v.name, description: null, projectId: v.projectId, userId: v.userId, size, status: v.attachTo ? 'in-use' : 'available',
    attachStatus: v.attachTo ? 'attached' : 'detached',
    attachments: v.attachTo ? [{ attachmentId: store.ids.uuid(), serverId: v.attachTo.id, device: '/dev/vdb', hostName: v.attachTo.host }] : [],
    volumeTypeId: type?.id ?? null, availabilityZone: 'nova', bootable: false, snapshotId: null, sourceVolId: null, imageMetadata: null, metadata: {},
    host: `${store.name}-controller@lvm#LVM`, migrationStatus: null, encrypted: false, multiattach: false, createdAt: v.now, updatedAt: v.now,
    data: { kind: 'generated', key: id, size: size * 1024 ** 3 },
  });
  v.attachTo?.volumes.push(id);
  return id;
}

function floatingIp(store: SimStore, net: TenantNetwork, server: ServerRecord, projectId: string): void {
  const fixed = server.addresses[0];
  if (!fixed) return;
  if (net.kind === 'neutron') {
    const external = store.networks.find((n) => n.external);
    const subnetId = external?.subnets[0];
    const address = subnetId ? store.pools.get(subnetId)?.allocate() : undefined;
    if (!external || !address) return;
    store.floatingIps.insert({
      id: store.ids.uuid(), address, floatingNetworkId: external.id, routerId: net.routerId, portId: server.ports[0] ?? null, fixedIpAddress: fixed.addr, projectId,
      status: 'ACTIVE', description: '', createdAt: store.now(),
    });
    server.addresses.push({ network: fixed.network, addr: address, type: 'floating', mac: fixed.mac, version: 4 });
    return;
  }
  const row = store.novaFloatingIps.find((f) => f.projectId === null);
  if (!row) return;
  store.pools.get(`floating:${row.pool}`)?.take(row.address);
  row.projectId = projectId;
  row.fixedAddress = fixed.addr;
  row.instanceUuid = server.id;
  row.host = server.host;
  server.addresses.push({ network: fixed.network, addr: row.address, type: 'floating', mac: fixed.mac, version: 4 });
}

function countsOf(store: SimStore): Record<string, number> {
  return {
    projects: store.identity.projects.size, users: store.identity.users.size, servers: store.servers.size, volumes: store.volumes.size, images: store.images.size,
    keypairs: store.keypairs.size, ports: store.ports.size, networks: store.profile.neutron ? store.networks.size : store.novaNetworks.size,
    security_groups: store.profile.neutron ? store.securityGroups.size : store.novaSecurityGroups.size,
    floating_ips: store.profile.neutron ? store.floatingIps.size : store.novaFloatingIps.filter((f) => f.projectId !== null).length,
  };
}
