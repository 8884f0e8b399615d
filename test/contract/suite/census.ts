import type { Cloud } from '../../../src/openstack/index.js';

/** How many objects of each kind a cloud holds, and which of them carry a given name prefix. */
export interface Census {
  readonly counts: Readonly<Record<string, number>>;
  /** `kind name (id)` of every object whose name (or description) starts with the prefix. */
  readonly named: readonly string[];
}

interface Item {
  readonly id: string;
  readonly name?: string;
  readonly label?: string;
  readonly description?: string | null;
}

/**
 * Counts what an admin sees, every project included, in a few list calls per service.
 * Kinds the cloud does not have are left out. Used before and after a run to show that the
 * suite left the cloud as it found it.
 */
export async function takeCensus(cloud: Cloud, prefix: string): Promise<Census> {
  const kinds: Array<[string, () => Promise<readonly Item[]>]> = [
    ['projects', () => cloud.identity.projects.list()],
    ['users', () => cloud.identity.users.list()],
    ['roles', () => cloud.identity.roles.list()],
    ['flavors', () => cloud.compute.flavors.list()],
    ['keypairs', async () => (await cloud.compute.keypairs.list()).map((k) => ({ id: k.name, name: k.name }))],
    ['servers', () => cloud.compute.servers.list({ allTenants: true })],
    ['images', () => cloud.image.list({ allTenants: true })],
  ];
  const volume = cloud.volume;
  if (volume) {
    kinds.push(['volumes', () => volume.volumes.list({ allTenants: true })]);
    kinds.push(['volume snapshots', () => volume.snapshots.list({ allTenants: true })]);
    kinds.push(['volume types', () => volume.types.list()]);
  }
  const neutron = cloud.network;
  if (neutron) {
    kinds.push(['networks', () => neutron.networks.list()]);
    kinds.push(['subnets', () => neutron.subnets.list()]);
    kinds.push(['ports', () => neutron.ports.list()]);
    kinds.push(['routers', () => neutron.routers.list()]);
    kinds.push(['floating IPs', () => neutron.floatingIps.list()]);
    kinds.push(['security groups', () => neutron.securityGroups.list()]);
    kinds.push(['security group rules', () => neutron.securityGroupRules.list()]);
  }
  const nn = cloud.novaNetwork;
  if (nn) {
    kinds.push(['nova-network networks', () => nn.networks.list()]);
    kinds.push(['nova-network security groups', () => nn.securityGroups.list({ allTenants: true })]);
    kinds.push(['nova-network floating IPs', async () => (await nn.floatingIpsBulk.list()).filter((f) => f.projectId !== null).map((f) => ({ id: f.address }))]);
  }
  const counts: Record<string, number> = {};
  const named: string[] = [];
  for (const [kind, list] of kinds) {
    const items = await list();
    counts[kind] = items.length;
    for (const i of items) {
      const label = i.name ?? i.label ?? '';
      if (label.startsWith(prefix) || (i.description ?? '').startsWith(prefix)) named.push(`${kind}: ${label || i.description} (${i.id})`);
    }
  }
  return { counts, named };
}

/** `kind: before -> after` for every kind whose count changed. */
export function censusDiff(before: Census, after: Census): string[] {
  const kinds = new Set([...Object.keys(before.counts), ...Object.keys(after.counts)]);
  const out: string[] = [];
  for (const k of kinds) {
    const b = before.counts[k];
    const a = after.counts[k];
    if (b !== a) out.push(`${k}: ${b ?? '-'} -> ${a ?? '-'}`);
  }
  return out;
}
