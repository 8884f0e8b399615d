import { ADMIN_NETWORK, DNS_DOMAIN, type SimRelease } from './model.js';
import type { FuelSimEnvironment, FuelSimNodeSeed } from './options.js';
import { tunedVolumes } from './volumes.js';
import type { FuelWorld } from './world.js';

const ROLES = ['controller', 'compute', 'cinder', 'ceph-osd', 'mongo', 'base-os'];
const CONFLICTS = { controller: ['compute'], compute: ['controller'] };

/** The releases a Fuel 6.0 master offers (`nailgun/fixtures/openstack.yaml`), plus a 5.1 one kept after an upgrade. */
export const RELEASES: readonly SimRelease[] = [
  { id: 1, name: 'Juno on Ubuntu 12.04.4', version: '2014.2-6.0', operatingSystem: 'Ubuntu', roles: ROLES, conflicts: CONFLICTS },
  { id: 2, name: 'Juno on CentOS 6.5', version: '2014.2-6.0', operatingSystem: 'CentOS', roles: ROLES, conflicts: CONFLICTS },
  { id: 3, name: 'Icehouse on Ubuntu 12.04.4', version: '2014.1.1-5.1', operatingSystem: 'Ubuntu', roles: ROLES.filter((r) => r !== 'base-os'), conflicts: CONFLICTS },
];

/** Default population: per environment one controller and two computes, named after their future ids. */
export function defaultNodeSeeds(envs: readonly FuelSimEnvironment[]): FuelSimNodeSeed[] {
  const out: FuelSimNodeSeed[] = [];
  for (const env of envs) {
    for (const roles of [['controller'], ['compute'], ['compute']]) out.push({ hostname: `node-${out.length + 1}`, environment: env.name, roles });
  }
  return out;
}

/**
 * Builds the start state: releases, environments with their networks, and the seeded
 * machines, deployed (`ready`, with an operator-tuned NIC and disk layout) or unassigned
 * (`discover`). Throws on options that name unknown environments, releases or roles.
 */
export function seedWorld(world: FuelWorld, envs: readonly FuelSimEnvironment[], seeds: readonly FuelSimNodeSeed[]): void {
  world.releases.push(...RELEASES);
  const byName = new Map<string, number>();
  for (const env of envs) {
    if (byName.has(env.name)) throw new Error(`fuel simulator: environment ${env.name} is listed twice`);
    const release = env.release === undefined ? RELEASES[0] : RELEASES.find((r) => r.name === env.release || r.version === env.release || String(r.id) === env.release);
    if (!release) throw new Error(`fuel simulator: unknown release ${env.release} (known: ${RELEASES.map((r) => `${r.name} / ${r.version}`).join(', ')})`);
    const cluster = world.addCluster({ name: env.name, release, mode: env.mode ?? 'multinode', netProvider: env.netProvider ?? 'nova_network', hooks: env.cloud });
    byName.set(env.name, cluster.id);
  }
  for (const seed of seeds) {
    const fqdn = seed.hostname.includes('.') ? seed.hostname.toLowerCase() : `${seed.hostname.toLowerCase()}.${DNS_DOMAIN}`;
    const node = world.register(world.newMachine(), fqdn);
    if (seed.environment === undefined) continue;
    const clusterId = byName.get(seed.environment);
    if (clusterId === undefined) throw new Error(`fuel simulator: node ${seed.hostname} names unknown environment ${seed.environment}`);
    const cluster = world.clusters.get(clusterId);
    if (!cluster) continue;
    const roles = [...(seed.roles ?? ['compute'])].sort();
    const release = RELEASES.find((r) => r.id === cluster.releaseId);
    for (const r of roles) if (!release?.roles.includes(r)) throw new Error(`fuel simulator: node ${seed.hostname}: ${r} is not a role of ${release?.name}`);
    world.addIntoCluster(node, cluster);
    node.roles = roles;
    node.status = 'ready';
    node.progress = 100;
    // The layout an operator set up by hand: admin on eth0, public on eth2, the tagged networks on eth3.
    const [eth0, , eth2, eth3] = node.machine.nics;
    if (eth0 && eth2 && eth3) {
      node.networks = new Map(node.machine.nics.map((n) => [n.name, []]));
      node.networks.set(eth0.name, [ADMIN_NETWORK.id]);
      node.networks.set(eth2.name, cluster.networks.filter((n) => n.name === 'public').map((n) => n.id));
      node.networks.set(eth3.name, cluster.networks.filter((n) => n.name !== 'public').map((n) => n.id));
    }
    node.volumes = tunedVolumes(node.machine.disks, roles);
    cluster.changes = [];
    cluster.status = 'operational';
  }
}
