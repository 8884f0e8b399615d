import { machineMeta } from './hardware.js';
import { ADMIN_NETWORK, hostnameOf, type SimCluster, type SimNode, type SimRelease, type SimTask } from './model.js';
import type { FuelWorld } from './world.js';

/** Nailgun 6.0 NodeSerializer fields (plus `hostname` when simulating 7.0). */
export function nodeJson(world: FuelWorld, node: SimNode): Record<string, unknown> {
  const task = world.nodeTask.get(node.id);
  const release = node.clusterId === null ? undefined : world.releases.find((r) => r.id === world.clusters.get(node.clusterId as number)?.releaseId);
  return {
    id: node.id,
    name: node.name,
    meta: machineMeta(node.machine, node.fqdn),
    progress: task ? world.taskProgress(task) : node.progress,
    kernel_params: null,
    roles: [...node.roles],
    pending_roles: [...node.pendingRoles],
    status: node.status,
    mac: node.machine.nics[0]?.mac ?? null,
    fqdn: node.fqdn,
    ...(world.dialect.fuelVersion === '7.0' ? { hostname: hostnameOf(node) } : {}),
    ip: node.ip,
    manufacturer: node.machine.manufacturer,
    platform_name: node.machine.platformName,
    pending_addition: node.pendingAddition,
    pending_deletion: node.pendingDeletion,
    os_platform: release?.operatingSystem === 'CentOS' ? 'centos' : 'ubuntu',
    error_type: node.errorType,
    online: node.online,
    cluster: node.clusterId,
    network_data: [],
    group_id: node.groupId,
  };
}

export function clusterJson(c: SimCluster): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    mode: c.mode,
    changes: c.changes.map((ch) => ({ name: ch.name, node_id: ch.nodeId })),
    status: c.status,
    grouping: 'roles',
    is_customized: false,
    net_provider: c.netProvider,
    release_id: c.releaseId,
    fuel_version: '6.0',
    pending_release_id: null,
  };
}

export function taskJson(world: FuelWorld, t: SimTask): Record<string, unknown> {
  return { id: t.id, cluster: t.clusterId, uuid: t.uuid, name: t.name, result: {}, message: t.message, status: t.status, progress: world.taskProgress(t) };
}

export function releaseJson(r: SimRelease): Record<string, unknown> {
  const roles_metadata: Record<string, unknown> = {};
  for (const role of r.roles) roles_metadata[role] = { name: role, description: `${role} role`, ...(r.conflicts[role] ? { conflicts: [...(r.conflicts[role] ?? [])] } : {}) };
  return {
    id: r.id,
    name: r.name,
    version: r.version,
    can_update_from_versions: [],
    description: `${r.name} (simulated)`,
    operating_system: r.operatingSystem,
    modes_metadata: { multinode: {}, ha_compact: {} },
    roles: [...r.roles],
    roles_metadata,
    wizard_metadata: {},
    state: 'available',
    attributes_metadata: {},
    is_deployable: true,
    orchestrator_data: null,
  };
}

/** `GET /api/nodes/{id}/interfaces`. */
export function interfacesJson(world: FuelWorld, node: SimNode): Record<string, unknown>[] {
  const nets = world.networksOf(node);
  const refs = (ids: readonly number[]): { id: number; name: string }[] => ids.map((id) => ({ id, name: nets.get(id)?.name ?? 'unknown' }));
  const nics = node.machine.nics.map((nic) => ({
    id: node.nicIds.get(nic.name),
    type: 'ether',
    name: nic.name,
    mac: nic.mac,
    state: nic.currentSpeed === null ? 'down' : 'up',
    current_speed: nic.currentSpeed,
    max_speed: nic.maxSpeed,
    assigned_networks: refs(node.networks.get(nic.name) ?? []),
  }));
  const bonds = node.bonds.map((b) => ({ type: 'bond', name: b.name, mode: b.mode, mac: null, state: null, slaves: b.slaves.map((name) => ({ name })), assigned_networks: refs(b.networks) }));
  return [...nics, ...bonds];
}

/** `GET /api/nodes/{id}/disks` (Nailgun's "simple" format). */
export function disksJson(node: SimNode): Record<string, unknown>[] {
  return node.machine.disks.map((d) => ({
    id: d.id,
    name: d.name,
    size: d.size,
    volumes: (node.volumes.get(d.name) ?? []).map((v) => ({ name: v.name, size: v.size })),
    extra: [d.id.replace('disk/', '')],
  }));
}

/** `GET /api/clusters/{id}/network_configuration/{provider}`. */
export function networkConfigurationJson(c: SimCluster): Record<string, unknown> {
  const networks = [...c.networks, ADMIN_NETWORK].map((n) => ({
    id: n.id,
    group_id: n.groupId,
    name: n.name,
    cidr: n.cidr,
    gateway: n.gateway,
    vlan_start: n.vlanStart,
    ip_ranges: [],
    meta: {},
  }));
  const parameters =
    c.netProvider === 'neutron'
      ? { dns_nameservers: ['8.8.4.4', '8.8.8.8'], segmentation_type: 'gre', net_l23_provider: 'ovs', floating_ranges: [], vlan_range: null, gre_id_range: [2, 65535], base_mac: 'fa:16:3e:00:00:00', internal_cidr: '192.168.111.0/24', internal_gateway: '192.168.111.1' }
      : { dns_nameservers: ['8.8.4.4', '8.8.8.8'], net_manager: 'FlatDHCPManager', fixed_networks_cidr: '10.0.0.0/16', fixed_networks_vlan_start: 103, fixed_network_size: 256, fixed_networks_amount: 1, floating_ranges: [] };
  return { networks, networking_parameters: parameters, management_vip: null, public_vip: null };
}
