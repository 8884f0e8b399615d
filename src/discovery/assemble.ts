import type { CloudCapabilities, CloudRole, Inventory, OtherGrant, Server, ServerGroup, SessionIdentity } from '../inventory/index.js';
import type * as os from '../openstack/index.js';
import type { Details } from './details.js';
import type { MappedRecords } from './early-records.js';
import { toAvailabilityZone, toComputeService, toFlavor, toHypervisor, toKeypair, toServer, toServerGroup } from './records/compute.js';
import { toProject, toRole, toUser } from './records/identity.js';
import { isRouterInterface, toFloatingIp, toNetwork, toPort, toRbacPolicy, toRouter, toSecurityGroup, toSubnet } from './records/network.js';
import { toNovaFloatingIp, toNovaNetwork, toNovaSecurityGroups } from './records/nova-network.js';
import { toImage, toVolume } from './records/storage.js';
import { StringPool } from './records/string-pool.js';
import type { Survey } from './survey.js';
import type { DiscoveryNote } from './types.js';
import { byCodeUnits } from '../json/code-unit-order.js';

export interface AssembleInput {
  readonly role: CloudRole;
  readonly capabilities: CloudCapabilities;
  readonly session: SessionIdentity;
  readonly survey: Survey;
  readonly assignments: readonly os.RoleAssignment[];
  readonly details: Details;
  readonly observed: { readonly at: string; readonly calls: number };
  /** The big kinds' records, mapped from the same survey while discovery ran (early-records.ts); mapped here when absent. */
  readonly mapped?: MappedRecords;
}

/**
 * The Inventory of one cloud from what discovery read: pure, so the record mapping is
 * tested with recorded shapes and no cloud. `notes` receives what had to be left out.
 */
export function assembleInventory(input: AssembleInput, notes: DiscoveryNote[]): Inventory {
  const { survey: s, details: d } = input;
  const v3 = input.capabilities.identityApi === 'v3';
  const m = input.mapped;
  // One copy of each repeated string across the records (see StringPool); dropped on return.
  const pool = m?.pool ?? new StringPool();
  const flavorNames = m ? undefined : new Map(s.flavors.map((f) => [f.id, f.name]));
  const servers = m?.servers ?? s.servers.map((x) => toServer(x, flavorNames!, pool));
  const n = s.neutron;
  const ports = n?.ports ?? [];
  const interfacesByRouter = new Map<string, os.Port[]>();
  for (const p of ports) {
    if (!isRouterInterface(p)) continue;
    const list = interfacesByRouter.get(p.deviceId);
    if (list) list.push(p);
    else interfacesByRouter.set(p.deviceId, [p]);
  }
  const nova = s.novaNetwork;
  const serversById = nova ? new Map(servers.map((x) => [x.id, x])) : undefined;
  const portsById = n && !m ? new Map(ports.map((p) => [p.id, p])) : undefined;
  return {
    cloud: input.role,
    capabilities: input.capabilities,
    session: input.session,
    observed: input.observed,
    projects: s.projects.map((p) => toProject(p, v3)),
    users: s.users.map((u) => toUser(u, v3)),
    roles: s.roles.map(toRole),
    roleAssignments: dedupe(input.assignments.map((a) => ({ userId: a.userId, roleId: a.roleId, projectId: a.projectId })), (a) => `${a.userId}/${a.roleId}/${a.projectId}`),
    passwordHashRefs: d.hashRefs,
    quotas: d.quotas,
    flavors: s.flavors.map((f) => toFlavor(f, d.flavorAccess.get(f.id) ?? [])),
    keypairs: d.keypairs.map((k) => toKeypair(k.keypair, k.owner)),
    securityGroups: n ? (m?.securityGroups ?? n.securityGroups.map((g) => toSecurityGroup(g, pool))) : nova ? toNovaSecurityGroups(nova.securityGroups, notes) : [],
    networks: n ? n.networks.map(toNetwork) : [],
    subnets: n ? n.subnets.map(toSubnet) : [],
    routers: n ? n.routers.map((r) => toRouter(r, interfacesByRouter.get(r.id) ?? [])) : [],
    ports: n ? (m?.ports ?? ports.map((p) => toPort(p, pool))) : [],
    floatingIps: n ? (m?.floatingIps ?? n.floatingIps.map((f) => toFloatingIp(f, portsById!, pool))) : [],
    ...(n?.rbacPolicies ? { rbacPolicies: n.rbacPolicies.map(toRbacPolicy) } : {}),
    novaNetworks: nova ? nova.networks.map(toNovaNetwork) : [],
    novaFloatingIps: nova ? nova.floatingIps.map((f) => toNovaFloatingIp(f, serversById!)) : [],
    images: s.images.map(toImage),
    volumes: s.volumes.map(toVolume),
    volumeTypes: [...s.volumeTypes].sort(),
    volumeSnapshots: s.volumeSnapshots.map((x) => ({ id: x.id, name: x.name, volumeId: x.volumeId })),
    servers,
    serverGroups: groupsWithProjects(s.serverGroups, servers),
    ...otherGrantsField(s),
    hypervisors: s.hypervisors.map(toHypervisor),
    computeServices: s.services.map(toComputeService),
    availabilityZones: s.zones.map(toAvailabilityZone),
  };
}

// Keystone v2.0 per-project reads can meet the same grant twice (a project matched by two
// manifest entries); the inventory lists each once.
/** Server groups with their projects (from their members where Nova does not say: a map only when there are groups). */
function groupsWithProjects(groups: readonly os.ServerGroup[], servers: readonly Server[]): ServerGroup[] {
  if (groups.length === 0) return [];
  const members = new Set(groups.flatMap((g) => g.members));
  const projects = new Map<string, string>();
  for (const sv of servers) if (members.has(sv.id)) projects.set(sv.id, sv.projectId);
  return groups.map((g) => toServerGroup(g, (id) => projects.get(id)));
}

function dedupe<T>(items: readonly T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => {
    const k = key(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A grant left behind, as one string: its scope, holder, role and inheritance (sort order and identity). */
export function grantKey(g: os.OtherGrant | OtherGrant): string {
  return `${g.scope}/${g.scopeId}/${g.holder}/${g.holderId}/${g.roleId}/${g.inherited}`;
}

/** The grants left behind, named, sorted; no member at all where there are none. */
function otherGrantsField(s: Survey): { otherGrants?: readonly OtherGrant[] } {
  if (s.otherGrants.length === 0) return {};
  const groups = new Map(s.groups.map((g) => [g.id, g.name]));
  const users = new Map(s.users.map((u) => [u.id, u.name]));
  const out = s.otherGrants.map((g) => ({ ...g, holderName: (g.holder === 'group' ? groups : users).get(g.holderId) ?? g.holderId }));
  return { otherGrants: out.sort((a, b) => byCodeUnits(grantKey(a), grantKey(b))) };
}
