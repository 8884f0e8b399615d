import { isNotFound, type Cloud } from '../../../openstack/index.js';
import { isSetupObject, pumphouseMarker, type Carriers } from '../marks.js';
import type { KeystoneSeed } from '../setup/keystone-seed.js';
import type { CleanupKind, Doomed } from './doomed.js';
import type { StateMade } from './state-made.js';

export type CleanupSide = 'source' | 'destination';

/**
 * Everything in one cloud that setup or pumphouse made, and nothing else:
 * - objects carrying the setup marker (`pumphouse_setup=1`), on either cloud;
 * - on the destination, objects carrying the `pumphouse_source` marker (copies apply made),
 *   and those the state records apply as having created (never adopted ones);
 * - inside a project found so, its contents (servers, volumes, networks, groups incl. the
 *   `default` group Neutron keeps after the project, floating IPs, ports it made), since the
 *   project goes, and some carriers (v2.0 users, legacy Neutron, nova-network) hold no marker.
 * Never the session's own user or project. Reads only (GETs).
 */
export async function findOurs(cloud: Cloud, keystone: KeystoneSeed, side: CleanupSide, made: StateMade): Promise<Doomed[]> {
  const out: Doomed[] = [];
  const self = { user: cloud.session.userId, project: cloud.session.projectId };
  const why = (kind: CleanupKind, id: string, c: Carriers): string | undefined => {
    if (isSetupObject(c)) return 'setup marker';
    if (side === 'destination' && pumphouseMarker(c)) return 'pumphouse marker';
    if (side === 'destination' && made.get(kind)?.has(id)) return 'state';
    return undefined;
  };
  const add = (d: Doomed): void => void out.push(d);

  const [projects, users] = await Promise.all([keystone.projects(), keystone.users()]);
  const ours = new Set<string>();
  for (const p of projects) {
    if (p.id === self.project) continue;
    const reason = p.setup ? 'setup marker' : side === 'destination' && p.copyOf ? 'pumphouse marker' : side === 'destination' && made.get('project')?.has(p.id) ? 'state' : undefined;
    if (reason) {
      ours.add(p.id);
      add({ kind: 'project', id: p.id, name: p.name, why: reason });
    }
  }
  const inOurs = (projectId: string | null | undefined): boolean => projectId !== null && projectId !== undefined && ours.has(projectId);
  const contained = 'in a project of ours';
  for (const u of users) {
    if (u.id === self.user) continue;
    const reason = u.setup ? 'setup marker' : side === 'destination' && u.copyOf ? 'pumphouse marker' : side === 'destination' && made.get('user')?.has(u.id) ? 'state' : inOurs(u.defaultProjectId) ? 'its default project is ours' : undefined;
    if (reason) add({ kind: 'user', id: u.id, name: u.name, why: reason });
  }

  const [servers, groups, images, flavors, volumes] = await Promise.all([
    cloud.compute.servers.list({ allTenants: true }),
    cloud.compute.serverGroups.list({ allProjects: true }).catch((err: unknown) => (isNotFound(err) ? [] : Promise.reject(err))),
    cloud.image.list(),
    cloud.compute.flavors.list(),
    cloud.volume ? cloud.volume.volumes.list({ allTenants: true }) : Promise.resolve([]),
  ]);
  for (const s of servers) {
    const reason = why('server', s.id, { entries: s.metadata }) ?? (inOurs(s.tenantId) ? contained : undefined);
    if (reason) add({ kind: 'server', id: s.id, name: s.name, projectId: s.tenantId, why: reason });
  }
  // Groups carry no marker: those apply recorded making, and those of a project of ours (by
  // Nova's word from 2.13, else by a member's); Nova keeps a group after its project.
  const serverProject = new Map(servers.map((s) => [s.id, s.tenantId]));
  for (const g of groups) {
    const projectId = g.projectId ?? g.members.map((m) => serverProject.get(m)).find((p) => p !== undefined) ?? null;
    const reason = why('server_group', g.id, {}) ?? (inOurs(projectId) ? contained : undefined);
    if (reason) add({ kind: 'server_group', id: g.id, name: g.name, ...(projectId ? { projectId } : {}), why: reason });
  }
  for (const i of images) {
    const reason = why('image', i.id, { entries: i.properties }) ?? (inOurs(i.owner) ? contained : undefined);
    if (reason) add({ kind: 'image', id: i.id, name: i.name, ...(i.owner ? { projectId: i.owner } : {}), why: reason });
  }
  for (const f of flavors) {
    const reason = why('flavor', f.id, { entries: f.extraSpecs });
    if (reason) add({ kind: 'flavor', id: f.id, name: f.name, why: reason });
  }
  for (const v of volumes) {
    const reason = why('volume', v.id, { entries: v.metadata, description: v.description }) ?? (inOurs(v.tenantId) ? contained : undefined);
    if (reason) add({ kind: 'volume', id: v.id, name: v.name, ...(v.tenantId ? { projectId: v.tenantId } : {}), why: reason });
  }
  if (cloud.network) await findNeutron(cloud, why, inOurs, add);
  else if (cloud.novaNetwork) await findNovaNetwork(cloud, inOurs, add);
  return out;
}

type Why = (kind: CleanupKind, id: string, c: Carriers) => string | undefined;

async function findNeutron(cloud: Cloud, why: Why, inOurs: (p: string | null | undefined) => boolean, add: (d: Doomed) => void): Promise<void> {
  const net = cloud.network!;
  const [networks, subnets, routers, ports, floatingIps, groups] = await Promise.all([
    net.networks.list(),
    net.subnets.list(),
    net.routers.list(),
    net.ports.list(),
    net.floatingIps.list(),
    net.securityGroups.list(),
  ]);
  const contained = 'in a project of ours';
  const carriers = (o: { readonly tags: readonly string[]; readonly description: string }): Carriers => ({ tags: o.tags, description: o.description });
  const ourNetworks = new Set<string>();
  for (const n of networks) {
    const reason = why('network', n.id, carriers(n)) ?? (inOurs(n.tenantId) ? contained : undefined);
    if (!reason) continue;
    ourNetworks.add(n.id);
    add({ kind: 'network', id: n.id, name: n.name, projectId: n.tenantId, why: reason });
  }
  for (const s of subnets) {
    const reason = why('subnet', s.id, carriers(s)) ?? (inOurs(s.tenantId) ? contained : ourNetworks.has(s.networkId) ? 'on a network of ours' : undefined);
    if (reason) add({ kind: 'subnet', id: s.id, name: s.name || s.cidr, projectId: s.tenantId, why: reason });
  }
  const subnetName = new Map(subnets.map((s) => [s.id, s.name || s.cidr]));
  for (const r of routers) {
    const reason = why('router', r.id, carriers(r)) ?? (inOurs(r.tenantId) ? contained : undefined);
    if (!reason) continue;
    add({ kind: 'router', id: r.id, name: r.name, projectId: r.tenantId, why: reason });
    for (const p of ports.filter((x) => x.deviceId === r.id && x.deviceOwner.startsWith('network:router_interface'))) {
      const on = p.fixedIps.map((f) => subnetName.get(f.subnetId) ?? f.subnetId).join(',');
      add({ kind: 'router_interface', id: p.id, name: `${r.name}/${on}`, projectId: r.tenantId, why: 'an interface of a router of ours', detail: { router: r.id } });
    }
  }
  for (const p of ports) {
    // Ports Neutron makes for DHCP, routers and gateways go with their network or router.
    if (p.deviceOwner.startsWith('network:')) continue;
    const reason = why('port', p.id, carriers(p)) ?? (inOurs(p.tenantId) ? contained : undefined);
    if (reason) add({ kind: 'port', id: p.id, name: p.name || p.macAddress, projectId: p.tenantId, why: reason });
  }
  for (const f of floatingIps) {
    const reason = why('floating_ip', f.id, carriers(f)) ?? (inOurs(f.tenantId) ? contained : undefined);
    if (reason) add({ kind: 'floating_ip', id: f.id, name: f.floatingIpAddress, projectId: f.tenantId, why: reason });
  }
  for (const g of groups) {
    const reason = why('security_group', g.id, carriers(g)) ?? (inOurs(g.tenantId) ? (g.name === 'default' ? "the project's default group" : contained) : undefined);
    if (reason) add({ kind: 'security_group', id: g.id, name: g.name, projectId: g.tenantId, why: reason });
  }
}

/**
 * nova-network keeps no marker on networks, floating IPs or groups: what belongs to a
 * project of ours is ours (VLAN networks given to it, addresses allocated to it, its groups
 * but `default`, which Nova will not delete); a group anywhere with the setup description too.
 */
async function findNovaNetwork(cloud: Cloud, inOurs: (p: string | null | undefined) => boolean, add: (d: Doomed) => void): Promise<void> {
  const nn = cloud.novaNetwork!;
  const [networks, floating, groups] = await Promise.all([nn.networks.list(), nn.floatingIpsBulk.list(), nn.securityGroups.list({ allTenants: true })]);
  const contained = 'in a project of ours';
  for (const n of networks) if (inOurs(n.projectId)) add({ kind: 'network', id: n.id, name: n.label, projectId: n.projectId!, why: contained });
  for (const f of floating) if (inOurs(f.projectId)) add({ kind: 'floating_ip', id: f.address, name: f.address, projectId: f.projectId!, why: contained, detail: { address: f.address } });
  for (const g of groups) {
    if (g.name === 'default') continue;
    const reason = isSetupObject({ description: g.description }) ? 'setup marker' : inOurs(g.tenantId) ? contained : undefined;
    if (reason) add({ kind: 'security_group', id: g.id, name: g.name, projectId: g.tenantId, why: reason });
  }
}
