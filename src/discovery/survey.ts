import type * as os from '../openstack/index.js';
import type { EarlyRecords } from './early-records.js';
import type { ReadOnlyCloud } from './read-only.js';
import { isCloudHttpError, isTruncated } from '../openstack/index.js';
import { cutNote, wholeList } from './keystone-lists.js';
import type { DiscoveryProgress } from './progress.js';
import { PORT_FIELDS } from './records/network.js';
import type { DiscoveryNote } from './types.js';

/**
 * What one cloud's bulk lists answered: every kind the API can list whole (admin,
 * all tenants, detail). The number of calls grows with kinds and pages, never with objects.
 */
export interface Survey {
  readonly projects: readonly os.Project[];
  readonly users: readonly os.User[];
  readonly roles: readonly os.Role[];
  /**
   * Keystone v3 lists every assignment at once; null on v2.0, or when Keystone's list_limit
   * cut the v3 list (`assignmentsCut`): then they are read per project in scope.
   */
  readonly assignments: readonly os.RoleAssignment[] | null;
  /**
   * The grants of the same v3 list that pumphouse does not migrate (groups', domains',
   * inherited), and the groups they name (listed only when one does); empty without that list.
   */
  readonly otherGrants: readonly os.OtherGrant[];
  readonly groups: readonly os.Group[];
  /** True when list_limit cut the v3 role_assignments list: never ask for the whole list again. */
  readonly assignmentsCut?: boolean;
  /** What the bulk lists could not read whole (Keystone lists read in pieces instead). */
  readonly notes?: readonly DiscoveryNote[];
  readonly flavors: readonly os.Flavor[];
  readonly servers: readonly os.Server[];
  /** Empty where Nova has no server groups (Havana answers 404). */
  readonly serverGroups: readonly os.ServerGroup[];
  readonly images: readonly os.Image[];
  readonly volumes: readonly os.Volume[];
  /** Names of the volume types this admin can see; empty without Cinder. */
  readonly volumeTypes: readonly string[];
  /** Every project's volume snapshots; empty without Cinder. */
  readonly volumeSnapshots: readonly os.VolumeSnapshot[];
  readonly hypervisors: readonly os.Hypervisor[];
  readonly services: readonly os.ComputeService[];
  readonly zones: readonly os.AvailabilityZone[];
  readonly neutron: NeutronSurvey | null;
  readonly novaNetwork: NovaNetworkSurvey | null;
}

export interface NeutronSurvey {
  readonly networks: readonly os.Network[];
  readonly subnets: readonly os.Subnet[];
  readonly routers: readonly os.Router[];
  readonly ports: readonly os.Port[];
  readonly floatingIps: readonly os.FloatingIp[];
  readonly securityGroups: readonly os.SecurityGroup[];
  /** null: the cloud has no RBAC policies (before Liberty). */
  readonly rbacPolicies: readonly os.RbacPolicy[] | null;
}

export interface NovaNetworkSurvey {
  readonly networks: readonly os.NovaNetwork[];
  readonly floatingIps: readonly os.NovaFloatingIpBulk[];
  readonly securityGroups: readonly os.NovaSecurityGroup[];
}

/**
 * Runs every bulk list of a cloud at once (the session's pool bounds the connections);
 * `onProjects` sees the projects as soon as they are listed, `early` the big lists as soon as
 * each is read (to map their records while the rest still runs).
 */
export async function survey(cloud: ReadOnlyCloud, progress: DiscoveryProgress, onProjects?: (projects: readonly os.Project[]) => void, early?: EarlyRecords): Promise<Survey> {
  const { identity, compute, image, volume, network, novaNetwork } = cloud;
  const p = <T>(kind: string, list: Promise<readonly T[]>): Promise<readonly T[]> => progress.kind(kind, list);
  const v3 = identity.version === '3';
  const notes: DiscoveryNote[] = [];
  let assignmentsCut = false;
  // Keystone's list_limit: projects and users are read per domain, assignments per project in
  // scope later (keystone-lists.ts); the client reports the cut as PH_LIST_TRUNCATED.
  const allGrants = async (): Promise<os.Grants | null> => {
    try {
      const grants = identity.roleAssignments.grants();
      await p('role_assignments', grants.then((g) => g.direct));
      return await grants;
    } catch (err) {
      if (!isTruncated(err)) throw err;
      assignmentsCut = true;
      notes.push(cutNote('role_assignments', 'reads the assignments per project in scope instead'));
      return null;
    }
  };
  // The projects come first (`onProjects`): per-project reads that need nothing else can
  // start while the long lists (servers, ports) are still paging.
  const listed = p('projects', wholeList(identity, 'projects', (f) => identity.projects.list(f), notes)).then((ps) => (onProjects?.(ps), ps));
  // With `onProjects`, the lists of the other services wait until the projects are listed (at
  // most HEAD_START_MS): a server answering one request at a time (the simulator) otherwise
  // answers each page of a paged project list (Keystone v2.0: 500 a page) after a page of
  // servers or ports, and the 20,000 quota reads of 10,000 tenants started 14 s late, after
  // every other list. Same calls, in another order; a real cloud's Keystone answers apart
  // from Nova and Neutron, where the wait costs at most the projects list's time.
  const after = onProjects ? headStart(listed) : undefined;
  const later = <T>(list: () => Promise<T>): Promise<T> => (after ? after.then(list) : list());
  const flavors = p('flavors', later(() => compute.flavors.list()));
  const servers = p('servers', later(() => compute.servers.list({ allTenants: true })));
  early?.servers(servers, flavors);
  const [projects, users, roles, grants, flavorList, serverList, serverGroups, images, volumes, volumeTypes, volumeSnapshots, hypervisors, services, zones, neutron, nova] = await Promise.all([
    listed,
    p('users', wholeList(identity, 'users', (f) => identity.users.list(f), notes)),
    p('roles', identity.roles.list()),
    v3 ? allGrants() : Promise.resolve(null),
    flavors,
    servers,
    p('server_groups', later(() => absentAs404(compute.serverGroups.list({ allProjects: true })))),
    p('images', later(() => image.list({ allTenants: true }))),
    volume ? p('volumes', later(() => volume.volumes.list({ allTenants: true }))) : Promise.resolve([]),
    volume ? p('volume_types', later(() => volume.types.list())) : Promise.resolve([]),
    volume ? p('volume_snapshots', later(() => volume.snapshots.list({ allTenants: true }))) : Promise.resolve([]),
    p('hypervisors', later(() => compute.hypervisors.list())),
    p('compute_services', later(() => compute.services.list())),
    p('availability_zones', later(() => compute.availabilityZones({ detail: true }))),
    network ? later(() => surveyNeutron(network, p, early)) : Promise.resolve(null),
    novaNetwork ? later(() => surveyNovaNetwork(novaNetwork, p)) : Promise.resolve(null),
  ]);
  const otherGrants = grants?.others ?? [];
  // Names for the plan's warnings: one call, only where a group holds a grant.
  const groups = identity.groups && otherGrants.some((g) => g.holder === 'group') ? await p('groups', identity.groups.list()) : [];
  return { projects, users, roles, assignments: grants?.direct ?? null, otherGrants, groups, assignmentsCut, notes, flavors: flavorList, servers: serverList, serverGroups, images, volumes, volumeTypes: volumeTypes.map((t) => t.name), volumeSnapshots, hypervisors, services, zones, neutron, novaNetwork: nova };
}

/** A list an older release does not have (404): none. */
async function absentAs404<T>(list: Promise<readonly T[]>): Promise<readonly T[]> {
  try {
    return await list;
  } catch (err) {
    if (isCloudHttpError(err, 404)) return [];
    throw err;
  }
}

/** How long the other services' lists wait for the projects list at most (see survey()). */
export const HEAD_START_MS = 2_000;

/** Settles (never rejects) when `first` settles or HEAD_START_MS pass, whichever comes first. */
function headStart(first: Promise<unknown>): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, HEAD_START_MS);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    // A failed projects list is reported through Promise.all; the others need not wait for it.
    first.then(done, done);
  });
}

type Lister = <T>(kind: string, list: Promise<readonly T[]>) => Promise<readonly T[]>;

async function surveyNeutron(n: os.NetworkClient, p: Lister, early: EarlyRecords | undefined): Promise<NeutronSurvey> {
  // Only the attributes the records read (PORT_FIELDS): the ports are the biggest Neutron
  // answer (all 120,000 in one ~85 MB reply from a Juno cloud of 10,000 tenants).
  const portList = p('ports', n.ports.list({ fields: PORT_FIELDS }));
  const floatingIpList = p('floating_ips', n.floatingIps.list());
  const groupList = p('security_groups', n.securityGroups.list());
  early?.neutron(portList, groupList, floatingIpList);
  const [networks, subnets, routers, ports, floatingIps, securityGroups, rbacPolicies] = await Promise.all([
    p('networks', n.networks.list()),
    p('subnets', n.subnets.list()),
    p('routers', n.routers.list()),
    portList,
    floatingIpList,
    groupList,
    n.hasRbac ? p('rbac_policies', n.rbacPolicies.list()) : null,
  ]);
  return { networks, subnets, routers, ports, floatingIps, securityGroups, rbacPolicies };
}

async function surveyNovaNetwork(n: os.NovaNetworkClient, p: Lister): Promise<NovaNetworkSurvey> {
  const [networks, floatingIps, securityGroups] = await Promise.all([
    p('nova_networks', n.networks.list()),
    p('nova_floating_ips', n.floatingIpsBulk.list()),
    p('security_groups', n.securityGroups.list({ allTenants: true })),
  ]);
  return { networks, floatingIps, securityGroups };
}
