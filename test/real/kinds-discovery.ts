/**
 * A small discovery for the real-cloud kind tests: the Inventory of the objects one test
 * made (its projects and what they own, plus what the planner needs of the rest: roles,
 * flavors, external networks, the admin session), with the markers pumphouse writes decoded
 * from Keystone extra attributes and Neutron tags/descriptions. Not the product's discovery
 * (src/discovery does not exist yet): just enough to feed the real planner.
 */
import type { IdentityDb } from '../../src/identity-db/index.js';
import { markerFromDescription, markerFromTags, unmarkDescription } from '../../src/inventory/marker.js';
import type { Inventory, Marker, PasswordHashRef, Router, SecurityGroup } from '../../src/inventory/index.js';
import { KeystoneMarked } from '../../src/kinds/identity/index.js';
import type { Cloud, Port } from '../../src/openstack/index.js';

export interface DiscoverScope {
  /** Names of the projects whose contents are listed (the test's tenants). */
  readonly projectNames: readonly string[];
  /** Keep only flavors passing this (other testers' flavors stay out of the plan). */
  readonly flavor: (name: string) => boolean;
  /** Source only: reads password hash schemes. */
  readonly hashes?: IdentityDb;
}

const neutronMarker = (tags: readonly string[], description: string): { marker?: Marker } => {
  const m = markerFromTags(tags) ?? markerFromDescription(description);
  return m ? { marker: m } : {};
};

export async function discover(cloud: Cloud, role: 'source' | 'destination', scope: DiscoverScope): Promise<Inventory> {
  const id = cloud.identity;
  const net = cloud.network!;
  const marked = new KeystoneMarked(cloud);
  const allProjects = await id.projects.list();
  const inScope = allProjects.filter((p) => scope.projectNames.includes(p.name));
  const scopeIds = new Set(inScope.map((p) => p.id));
  const projects = await Promise.all(
    allProjects
      .filter((p) => scopeIds.has(p.id) || p.name === 'admin')
      .map(async (p) => {
        const m = (await marked.findProject(p.name))?.marker;
        return { id: p.id, name: p.name, description: p.description, enabled: p.enabled, domainId: p.domainId, ...(m ? { marker: m } : {}) };
      }),
  );
  const roles = (await id.roles.list()).map((r) => ({ id: r.id, name: r.name }));
  const assignments = (await Promise.all([...scopeIds].map((projectId) => id.roleAssignments.list({ projectId })))).flat();
  const userIds = new Set(assignments.map((a) => a.userId));
  const users = await Promise.all(
    (await id.users.list())
      .filter((u) => userIds.has(u.id) && u.id !== cloud.session.userId)
      .map(async (u) => {
        const m = (await marked.findUser(u.name))?.marker;
        return { id: u.id, name: u.name, email: u.email, enabled: u.enabled, defaultProjectId: u.defaultProjectId, domainId: u.domainId, ...(m ? { marker: m } : {}) };
      }),
  );
  const passwordHashRefs: PasswordHashRef[] = [];
  for (const u of users) {
    const h = scope.hashes ? await scope.hashes.readPasswordHash(u.id) : null;
    if (h) passwordHashRefs.push({ userId: u.id, scheme: h.algorithm === 'bcrypt_sha256' ? 'unknown' : h.algorithm });
  }
  const quotas = await Promise.all(
    [...scopeIds, cloud.session.projectId!].map(async (projectId) => ({
      projectId,
      compute: await cloud.compute.quotas.get(projectId),
      volume: cloud.volume ? await cloud.volume.quotas.get(projectId) : null,
      network: await net.quotas.get(projectId),
    })),
  );
  const flavors = await Promise.all(
    (await cloud.compute.flavors.list())
      .filter((f) => scope.flavor(f.name))
      .map(async (f) => ({ ...f, access: f.isPublic ? [] : await cloud.compute.flavors.listAccess(f.id) })),
  );
  const keypairs = (
    await Promise.all(users.map(async (u) => (await cloud.compute.keypairs.list({ userId: u.id })).map((k) => ({ name: k.name, userId: u.id, fingerprint: k.fingerprint, publicKey: k.publicKey, type: (k.type === 'x509' ? 'x509' : 'ssh') as 'ssh' | 'x509' }))))
  ).flat();
  const owned = <T extends { tenantId: string }>(xs: readonly T[]) => xs.filter((x) => scopeIds.has(x.tenantId));
  const securityGroups: SecurityGroup[] = owned(await net.securityGroups.list()).map((g) => ({
    id: g.id,
    name: g.name,
    description: unmarkDescription(g.description),
    projectId: g.tenantId,
    ...neutronMarker(g.tags, g.description),
    rules: g.rules.map((r) => ({
      id: r.id,
      direction: r.direction,
      ethertype: r.ethertype,
      protocol: r.protocol,
      portMin: r.portRangeMin,
      portMax: r.portRangeMax,
      remoteIpPrefix: r.remoteIpPrefix,
      remoteGroupId: r.remoteGroupId,
    })),
  }));
  const allNetworks = await net.networks.list();
  const networks = allNetworks
    .filter((n) => n.external || scopeIds.has(n.tenantId))
    .map((n) => ({
      id: n.id,
      name: n.name,
      projectId: n.tenantId,
      shared: n.shared,
      external: n.external,
      adminStateUp: n.adminStateUp,
      mtu: n.mtu,
      providerNetworkType: n.networkType,
      providerPhysicalNetwork: n.physicalNetwork,
      providerSegmentationId: n.segmentationId,
      ...neutronMarker(n.tags, n.description),
    }));
  const netIds = new Set(networks.map((n) => n.id));
  const subnets = (await net.subnets.list())
    .filter((s) => netIds.has(s.networkId))
    .map((s) => ({
      id: s.id,
      name: s.name,
      networkId: s.networkId,
      projectId: s.tenantId,
      cidr: s.cidr,
      ipVersion: s.ipVersion,
      gatewayIp: s.gatewayIp,
      enableDhcp: s.enableDhcp,
      dnsNameservers: s.dnsNameservers,
      allocationPools: s.allocationPools,
      hostRoutes: s.hostRoutes,
      ...neutronMarker(s.tags, s.description),
    }));
  const ports: Port[] = owned(await net.ports.list());
  const routers: Router[] = owned(await net.routers.list()).map((r) => ({
    id: r.id,
    name: r.name,
    projectId: r.tenantId,
    adminStateUp: r.adminStateUp,
    gateway: r.externalGateway ? { networkId: r.externalGateway.networkId, enableSnat: r.externalGateway.enableSnat, externalFixedIps: r.externalGateway.externalFixedIps } : null,
    interfaces: ports
      .filter((p) => p.deviceId === r.id && p.deviceOwner.startsWith('network:router_interface'))
      .flatMap((p) => p.fixedIps.map((f) => ({ subnetId: f.subnetId, portId: p.id, ipAddress: f.ipAddress }))),
    routes: r.routes,
    ...neutronMarker(r.tags, r.description),
  }));
  const floatingIps = owned(await net.floatingIps.list()).map((f) => ({
    id: f.id,
    address: f.floatingIpAddress,
    projectId: f.tenantId,
    externalNetworkId: f.floatingNetworkId,
    portId: f.portId,
    fixedIpAddress: f.fixedIpAddress,
    routerId: f.routerId,
    serverId: null,
    ...neutronMarker(f.tags, f.description),
  }));
  return {
    cloud: role,
    capabilities: {
      identityApi: 'v3',
      networkModel: 'neutron',
      imageApi: 'v2',
      volumeApi: 'v3',
      computeMicroversion: cloud.capabilities.computeMicroversion,
      release: 'zed',
      keystoneRelease: 'zed',
      floatingIpAddressOnCreate: true,
    },
    session: { userId: cloud.session.userId, userName: cloud.session.userName ?? '', projectId: cloud.session.projectId! },
    projects,
    users,
    roles,
    roleAssignments: assignments,
    passwordHashRefs,
    quotas,
    flavors,
    keypairs,
    securityGroups,
    networks,
    subnets,
    routers,
    ports: ports.map((p) => ({
      id: p.id,
      name: p.name,
      networkId: p.networkId,
      projectId: p.tenantId,
      macAddress: p.macAddress,
      fixedIps: p.fixedIps,
      deviceOwner: p.deviceOwner,
      deviceId: p.deviceId,
      securityGroupIds: p.securityGroupIds,
      adminStateUp: p.adminStateUp,
      ...neutronMarker(p.tags, p.description),
    })),
    floatingIps,
    novaNetworks: [],
    novaFloatingIps: [],
    images: [],
    volumes: [],
    servers: [],
    hypervisors: [],
    computeServices: [],
    availabilityZones: [],
  };
}
