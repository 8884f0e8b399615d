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
  ServerGroup,
  VolumeSnapshot,
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
  readonly snapshotsByVolume: Groups<VolumeSnapshot>;
  /** The server group each member server is in (a server is in at most one). */
  readonly serverGroupByMember: ReadonlyMap<string, ServerGroup>;
  /** Server groups by project (those whose project is known). */
  readonly serverGroupsByProject: Groups<ServerGroup>;
}

/**
 * The lookups the planner uses over `inv`, each built on first use: a plan uses only some of
 * them per cloud (the source's ports by device or the destination's servers by host are
 * never asked for in most plans), and each costs a pass over a list of up to 100,000 records.
 */
export function indexCloud(inv: Inventory): CloudIndex {
  return new LazyIndex(inv);
}

class LazyIndex implements CloudIndex {
  constructor(private readonly inv: Inventory) {}
  #projectsById: ReadonlyMap<string, Project> | undefined;
  get projectsById(): ReadonlyMap<string, Project> {
    return (this.#projectsById ??= indexBy(this.inv.projects, (p) => p.id));
  }
  #projectsByName: Groups<Project> | undefined;
  get projectsByName(): Groups<Project> {
    return (this.#projectsByName ??= groupBy(this.inv.projects, (p) => p.name));
  }
  #usersById: ReadonlyMap<string, User> | undefined;
  get usersById(): ReadonlyMap<string, User> {
    return (this.#usersById ??= indexBy(this.inv.users, (u) => u.id));
  }
  #usersByName: Groups<User> | undefined;
  get usersByName(): Groups<User> {
    return (this.#usersByName ??= groupBy(this.inv.users, (u) => u.name));
  }
  #rolesById: ReadonlyMap<string, Role> | undefined;
  get rolesById(): ReadonlyMap<string, Role> {
    return (this.#rolesById ??= indexBy(this.inv.roles, (r) => r.id));
  }
  #rolesByName: ReadonlyMap<string, Role> | undefined;
  get rolesByName(): ReadonlyMap<string, Role> {
    return (this.#rolesByName ??= indexBy(this.inv.roles, (r) => r.name));
  }
  #assignmentsByProject: Groups<Inventory['roleAssignments'][number]> | undefined;
  get assignmentsByProject(): Groups<Inventory['roleAssignments'][number]> {
    return (this.#assignmentsByProject ??= groupBy(this.inv.roleAssignments, (a) => a.projectId));
  }
  #assignmentKeys: ReadonlySet<string> | undefined;
  get assignmentKeys(): ReadonlySet<string> {
    return (this.#assignmentKeys ??= new Set(this.inv.roleAssignments.map((a) => `${a.userId}/${a.roleId}/${a.projectId}`)));
  }
  #hashSchemeByUser: ReadonlyMap<string, string> | undefined;
  get hashSchemeByUser(): ReadonlyMap<string, string> {
    return (this.#hashSchemeByUser ??= new Map(this.inv.passwordHashRefs.map((h) => [h.userId, h.scheme])));
  }
  #quotasByProject: ReadonlyMap<string, ProjectQuotas> | undefined;
  get quotasByProject(): ReadonlyMap<string, ProjectQuotas> {
    return (this.#quotasByProject ??= indexBy(this.inv.quotas, (q) => q.projectId));
  }
  #flavorsById: ReadonlyMap<string, Flavor> | undefined;
  get flavorsById(): ReadonlyMap<string, Flavor> {
    return (this.#flavorsById ??= indexBy(this.inv.flavors, (f) => f.id));
  }
  #flavorsByName: Groups<Flavor> | undefined;
  get flavorsByName(): Groups<Flavor> {
    return (this.#flavorsByName ??= groupBy(this.inv.flavors, (f) => f.name));
  }
  #keypairsByUser: Groups<Inventory['keypairs'][number]> | undefined;
  get keypairsByUser(): Groups<Inventory['keypairs'][number]> {
    return (this.#keypairsByUser ??= groupBy(this.inv.keypairs, (k) => k.userId));
  }
  #securityGroupsById: ReadonlyMap<string, SecurityGroup> | undefined;
  get securityGroupsById(): ReadonlyMap<string, SecurityGroup> {
    return (this.#securityGroupsById ??= indexBy(this.inv.securityGroups, (g) => g.id));
  }
  #securityGroupsByProject: Groups<SecurityGroup> | undefined;
  get securityGroupsByProject(): Groups<SecurityGroup> {
    return (this.#securityGroupsByProject ??= groupBy(this.inv.securityGroups, (g) => g.projectId));
  }
  #networksById: ReadonlyMap<string, Network> | undefined;
  get networksById(): ReadonlyMap<string, Network> {
    return (this.#networksById ??= indexBy(this.inv.networks, (n) => n.id));
  }
  #networksByProject: Groups<Network> | undefined;
  get networksByProject(): Groups<Network> {
    return (this.#networksByProject ??= groupBy(this.inv.networks, (n) => n.projectId));
  }
  #networksByName: Groups<Network> | undefined;
  get networksByName(): Groups<Network> {
    return (this.#networksByName ??= groupBy(this.inv.networks, (n) => n.name));
  }
  #subnetsById: ReadonlyMap<string, Subnet> | undefined;
  get subnetsById(): ReadonlyMap<string, Subnet> {
    return (this.#subnetsById ??= indexBy(this.inv.subnets, (s) => s.id));
  }
  #subnetsByNetwork: Groups<Subnet> | undefined;
  get subnetsByNetwork(): Groups<Subnet> {
    return (this.#subnetsByNetwork ??= groupBy(this.inv.subnets, (s) => s.networkId));
  }
  #routersByProject: Groups<Router> | undefined;
  get routersByProject(): Groups<Router> {
    return (this.#routersByProject ??= groupBy(this.inv.routers, (r) => r.projectId));
  }
  #portsByDevice: Groups<Port> | undefined;
  get portsByDevice(): Groups<Port> {
    return (this.#portsByDevice ??= groupBy(this.inv.ports, (p) => p.deviceId || null));
  }
  #snapshotsByVolume: Groups<VolumeSnapshot> | undefined;
  get snapshotsByVolume(): Groups<VolumeSnapshot> {
    return (this.#snapshotsByVolume ??= groupBy(this.inv.volumeSnapshots ?? [], (x) => x.volumeId));
  }
  #serverGroupByMember: Map<string, ServerGroup> | undefined;
  get serverGroupByMember(): ReadonlyMap<string, ServerGroup> {
    if (!this.#serverGroupByMember) {
      this.#serverGroupByMember = new Map();
      for (const g of this.inv.serverGroups ?? []) for (const id of g.members) this.#serverGroupByMember.set(id, g);
    }
    return this.#serverGroupByMember;
  }
  #serverGroupsByProject: Groups<ServerGroup> | undefined;
  get serverGroupsByProject(): Groups<ServerGroup> {
    return (this.#serverGroupsByProject ??= groupBy(this.inv.serverGroups ?? [], (g) => g.projectId ?? ''));
  }
  #floatingIpsByProject: Groups<FloatingIp> | undefined;
  get floatingIpsByProject(): Groups<FloatingIp> {
    return (this.#floatingIpsByProject ??= groupBy(this.inv.floatingIps, (f) => f.projectId));
  }
  #floatingIpsByAddress: ReadonlyMap<string, FloatingIp> | undefined;
  get floatingIpsByAddress(): ReadonlyMap<string, FloatingIp> {
    return (this.#floatingIpsByAddress ??= indexBy(this.inv.floatingIps, (f) => f.address));
  }
  #novaNetworksByLabel: Groups<NovaNetwork> | undefined;
  get novaNetworksByLabel(): Groups<NovaNetwork> {
    return (this.#novaNetworksByLabel ??= groupBy(this.inv.novaNetworks, (n) => n.label));
  }
  #imagesById: ReadonlyMap<string, Image> | undefined;
  get imagesById(): ReadonlyMap<string, Image> {
    return (this.#imagesById ??= indexBy(this.inv.images, (i) => i.id));
  }
  #imagesByOwner: Groups<Image> | undefined;
  get imagesByOwner(): Groups<Image> {
    return (this.#imagesByOwner ??= groupBy(this.inv.images, (i) => i.owner));
  }
  #imagesByName: Groups<Image> | undefined;
  get imagesByName(): Groups<Image> {
    return (this.#imagesByName ??= groupBy(this.inv.images, (i) => i.name));
  }
  #volumesById: ReadonlyMap<string, Volume> | undefined;
  get volumesById(): ReadonlyMap<string, Volume> {
    return (this.#volumesById ??= indexBy(this.inv.volumes, (v) => v.id));
  }
  #volumesByProject: Groups<Volume> | undefined;
  get volumesByProject(): Groups<Volume> {
    return (this.#volumesByProject ??= groupBy(this.inv.volumes, (v) => v.projectId));
  }
  #serversById: ReadonlyMap<string, Server> | undefined;
  get serversById(): ReadonlyMap<string, Server> {
    return (this.#serversById ??= indexBy(this.inv.servers, (s) => s.id));
  }
  #serversByProject: Groups<Server> | undefined;
  get serversByProject(): Groups<Server> {
    return (this.#serversByProject ??= groupBy(this.inv.servers, (s) => s.projectId));
  }
  #serversByHost: Groups<Server> | undefined;
  get serversByHost(): Groups<Server> {
    return (this.#serversByHost ??= groupBy(this.inv.servers, (s) => s.host));
  }
}

/** `list` or an empty list. */
export function all<T>(groups: Groups<T>, key: string | null | undefined): readonly T[] {
  // A miss (most ports have no floating IP...) answers one shared empty list, not a new one.
  return key === null || key === undefined ? NOTHING : (groups.get(key) ?? NOTHING);
}

const NOTHING: readonly never[] = Object.freeze([]);
