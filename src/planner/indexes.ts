import { groupBy, indexBy, type Groups } from '../inventory/index.js';
import type {
  Flavor,
  FloatingIp,
  Image,
  Inventory,
  Network,
  NovaNetwork,
  Port,
  Project,
  ProjectQuotas,
  Role,
  Router,
  SecurityGroup,
  Server,
  Subnet,
  User,
  Volume,
} from '../inventory/index.js';

/** Lookups over one inventory, built once per plan (linear in its size). */
export interface CloudIndex {
  readonly projectsById: ReadonlyMap<string, Project>;
  readonly projectsByName: Groups<Project>;
  readonly usersById: ReadonlyMap<string, User>;
  readonly usersByName: Groups<User>;
  readonly rolesById: ReadonlyMap<string, Role>;
  readonly rolesByName: ReadonlyMap<string, Role>;
  readonly assignmentsByProject: Groups<Inventory['roleAssignments'][number]>;
  readonly assignmentKeys: ReadonlySet<string>;
  readonly hashSchemeByUser: ReadonlyMap<string, string>;
  readonly quotasByProject: ReadonlyMap<string, ProjectQuotas>;
  readonly flavorsById: ReadonlyMap<string, Flavor>;
  readonly flavorsByName: Groups<Flavor>;
  readonly keypairsByUser: Groups<Inventory['keypairs'][number]>;
  readonly securityGroupsById: ReadonlyMap<string, SecurityGroup>;
  readonly securityGroupsByProject: Groups<SecurityGroup>;
  readonly networksById: ReadonlyMap<string, Network>;
  readonly networksByProject: Groups<Network>;
  readonly networksByName: Groups<Network>;
  readonly subnetsById: ReadonlyMap<string, Subnet>;
  readonly subnetsByNetwork: Groups<Subnet>;
  readonly routersByProject: Groups<Router>;
  readonly portsByDevice: Groups<Port>;
  readonly floatingIpsByProject: Groups<FloatingIp>;
  readonly floatingIpsByAddress: ReadonlyMap<string, FloatingIp>;
  readonly novaNetworksByLabel: Groups<NovaNetwork>;
  readonly imagesById: ReadonlyMap<string, Image>;
  readonly imagesByOwner: Groups<Image>;
  readonly imagesByName: Groups<Image>;
  readonly volumesById: ReadonlyMap<string, Volume>;
  readonly volumesByProject: Groups<Volume>;
  readonly serversById: ReadonlyMap<string, Server>;
  readonly serversByProject: Groups<Server>;
  readonly serversByHost: Groups<Server>;
}

/** Builds every lookup the planner uses over `inv`. */
export function indexCloud(inv: Inventory): CloudIndex {
  return {
    projectsById: indexBy(inv.projects, (p) => p.id),
    projectsByName: groupBy(inv.projects, (p) => p.name),
    usersById: indexBy(inv.users, (u) => u.id),
    usersByName: groupBy(inv.users, (u) => u.name),
    rolesById: indexBy(inv.roles, (r) => r.id),
    rolesByName: indexBy(inv.roles, (r) => r.name),
    assignmentsByProject: groupBy(inv.roleAssignments, (a) => a.projectId),
    assignmentKeys: new Set(inv.roleAssignments.map((a) => `${a.userId}/${a.roleId}/${a.projectId}`)),
    hashSchemeByUser: new Map(inv.passwordHashRefs.map((h) => [h.userId, h.scheme])),
    quotasByProject: indexBy(inv.quotas, (q) => q.projectId),
    flavorsById: indexBy(inv.flavors, (f) => f.id),
    flavorsByName: groupBy(inv.flavors, (f) => f.name),
    keypairsByUser: groupBy(inv.keypairs, (k) => k.userId),
    securityGroupsById: indexBy(inv.securityGroups, (g) => g.id),
    securityGroupsByProject: groupBy(inv.securityGroups, (g) => g.projectId),
    networksById: indexBy(inv.networks, (n) => n.id),
    networksByProject: groupBy(inv.networks, (n) => n.projectId),
    networksByName: groupBy(inv.networks, (n) => n.name),
    subnetsById: indexBy(inv.subnets, (s) => s.id),
    subnetsByNetwork: groupBy(inv.subnets, (s) => s.networkId),
    routersByProject: groupBy(inv.routers, (r) => r.projectId),
    portsByDevice: groupBy(inv.ports, (p) => p.deviceId || null),
    floatingIpsByProject: groupBy(inv.floatingIps, (f) => f.projectId),
    floatingIpsByAddress: indexBy(inv.floatingIps, (f) => f.address),
    novaNetworksByLabel: groupBy(inv.novaNetworks, (n) => n.label),
    imagesById: indexBy(inv.images, (i) => i.id),
    imagesByOwner: groupBy(inv.images, (i) => i.owner),
    imagesByName: groupBy(inv.images, (i) => i.name),
    volumesById: indexBy(inv.volumes, (v) => v.id),
    volumesByProject: groupBy(inv.volumes, (v) => v.projectId),
    serversById: indexBy(inv.servers, (s) => s.id),
    serversByProject: groupBy(inv.servers, (s) => s.projectId),
    serversByHost: groupBy(inv.servers, (s) => s.host),
  };
}

/** `list` or an empty list. */
export function all<T>(groups: Groups<T>, key: string | null | undefined): readonly T[] {
  return key === null || key === undefined ? [] : (groups.get(key) ?? []);
}
