import type {
  FuelCluster,
  FuelClusterStatus,
  FuelDisk,
  FuelInterface,
  FuelNetworkConfiguration,
  FuelNetworkGroup,
  FuelNic,
  FuelNode,
  FuelNodeStatus,
  FuelRelease,
  FuelTask,
  FuelTaskStatus,
  FuelVersion,
} from './types.js';
import { WireShapeError, asArray, asObject, bool, int, intOrNull, strings, text, textOr, type WireObject } from './wire-read.js';

const NODE_STATUSES: readonly FuelNodeStatus[] = ['discover', 'provisioning', 'provisioned', 'deploying', 'ready', 'error', 'removing', 'stopped'];
const CLUSTER_STATUSES: readonly FuelClusterStatus[] = ['new', 'deployment', 'stopped', 'operational', 'error', 'remove', 'update', 'update_error'];
const TASK_STATUSES: readonly FuelTaskStatus[] = ['running', 'ready', 'error'];

function oneOf<T extends string>(o: WireObject, key: string, allowed: readonly T[], what: string): T {
  const v = text(o, key, what);
  if (!(allowed as readonly string[]).includes(v)) throw new WireShapeError(`${what}.${key} is ${JSON.stringify(v)}, not one of ${allowed.join(', ')}`);
  return v as T;
}

/** First DNS label, lower case: `node-1.domain.tld` -> `node-1`. */
export function firstLabel(name: string): string {
  const dot = name.indexOf('.');
  return (dot < 0 ? name : name.slice(0, dot)).toLowerCase();
}

export function normalizeMac(mac: string): string {
  return mac.trim().toLowerCase().replace(/-/g, ':');
}

export function toNode(raw: unknown): FuelNode {
  const o = asObject(raw, 'node');
  const id = int(o, 'id', 'node');
  const what = `node ${id}`;
  const mac = normalizeMac(textOr(o, 'mac', ''));
  const meta = o.meta === null || o.meta === undefined ? {} : asObject(o.meta, `${what}.meta`);
  const nics: FuelNic[] = [];
  if (meta.interfaces !== undefined && meta.interfaces !== null) {
    for (const entry of asArray(meta.interfaces, `${what}.meta.interfaces`)) {
      const nic = asObject(entry, `${what}.meta.interfaces[]`);
      if (typeof nic.mac !== 'string') continue;
      nics.push({ name: textOr(nic, 'name', ''), mac: normalizeMac(nic.mac) });
    }
  }
  const macs = [...new Set([...(mac ? [mac] : []), ...nics.map((n) => n.mac)])].sort();
  const fqdn = textOr(o, 'fqdn', '');
  const wireHostname = textOr(o, 'hostname', '');
  const errorType = o.error_type;
  return {
    id,
    name: textOr(o, 'name', ''),
    hostname: wireHostname ? wireHostname.toLowerCase() : firstLabel(fqdn),
    fqdn: fqdn.toLowerCase(),
    mac,
    macs,
    nics,
    ip: textOr(o, 'ip', null),
    status: oneOf(o, 'status', NODE_STATUSES, what),
    online: bool(o, 'online', false),
    clusterId: intOrNull(o, 'cluster', what),
    roles: strings(o, 'roles', what),
    pendingRoles: strings(o, 'pending_roles', what),
    pendingAddition: bool(o, 'pending_addition', false),
    pendingDeletion: bool(o, 'pending_deletion', false),
    progress: typeof o.progress === 'number' ? o.progress : 0,
    errorType: errorType === 'deploy' || errorType === 'provision' || errorType === 'deletion' ? errorType : null,
    groupId: intOrNull(o, 'group_id', what),
    manufacturer: textOr(o, 'manufacturer', null),
    platformName: textOr(o, 'platform_name', null),
  };
}

export function toCluster(raw: unknown): FuelCluster {
  const o = asObject(raw, 'cluster');
  const id = int(o, 'id', 'cluster');
  const what = `cluster ${id}`;
  const changes = o.changes === undefined || o.changes === null ? [] : asArray(o.changes, `${what}.changes`);
  const provider = text(o, 'net_provider', what);
  if (provider !== 'nova_network' && provider !== 'neutron') throw new WireShapeError(`${what}.net_provider is ${JSON.stringify(provider)}`);
  return {
    id,
    name: text(o, 'name', what),
    mode: textOr(o, 'mode', 'multinode'),
    status: oneOf(o, 'status', CLUSTER_STATUSES, what),
    netProvider: provider,
    releaseId: int(o, o.release_id === undefined ? 'release' : 'release_id', what),
    pendingReleaseId: intOrNull(o, 'pending_release_id', what),
    fuelVersion: textOr(o, 'fuel_version', null),
    changes: changes.map((c) => {
      // 5.x sends plain names, 6.0 sends {name, node_id}.
      if (typeof c === 'string') return { name: c, nodeId: null };
      const co = asObject(c, `${what}.changes[]`);
      return { name: text(co, 'name', `${what}.changes[]`), nodeId: intOrNull(co, 'node_id', `${what}.changes[]`) };
    }),
  };
}

export function toTask(raw: unknown): FuelTask {
  const o = asObject(raw, 'task');
  const id = int(o, 'id', 'task');
  const what = `task ${id}`;
  return {
    id,
    uuid: textOr(o, 'uuid', ''),
    name: text(o, 'name', what),
    clusterId: intOrNull(o, 'cluster', what),
    status: oneOf(o, 'status', TASK_STATUSES, what),
    progress: typeof o.progress === 'number' ? o.progress : 0,
    message: textOr(o, 'message', null),
    result: o.result ?? null,
  };
}

export function toRelease(raw: unknown): FuelRelease {
  const o = asObject(raw, 'release');
  const id = int(o, 'id', 'release');
  const what = `release ${id}`;
  return {
    id,
    name: text(o, 'name', what),
    version: textOr(o, 'version', ''),
    operatingSystem: textOr(o, 'operating_system', ''),
    state: textOr(o, 'state', null),
    roles: strings(o, 'roles', what),
    isDeployable: bool(o, 'is_deployable', true),
  };
}

export function toInterface(raw: unknown, nodeId: number): FuelInterface {
  const what = `node ${nodeId} interface`;
  const o = asObject(raw, what);
  const type = text(o, 'type', what);
  if (type !== 'ether' && type !== 'bond') throw new WireShapeError(`${what}.type is ${JSON.stringify(type)}`);
  const nets = o.assigned_networks === undefined || o.assigned_networks === null ? [] : asArray(o.assigned_networks, `${what}.assigned_networks`);
  const base: FuelInterface = {
    id: type === 'ether' ? int(o, 'id', what) : intOrNull(o, 'id', what) ?? undefined,
    type,
    name: text(o, 'name', what),
    mac: typeof o.mac === 'string' ? normalizeMac(o.mac) : null,
    state: textOr(o, 'state', null),
    currentSpeed: typeof o.current_speed === 'number' ? o.current_speed : null,
    maxSpeed: typeof o.max_speed === 'number' ? o.max_speed : null,
    assignedNetworks: nets.map((n) => {
      const no = asObject(n, `${what}.assigned_networks[]`);
      return { id: int(no, 'id', `${what}.assigned_networks[]`), name: textOr(no, 'name', '') };
    }),
  };
  if (type !== 'bond') return base;
  const slaves = o.slaves === undefined || o.slaves === null ? [] : asArray(o.slaves, `${what}.slaves`);
  return { ...base, mode: textOr(o, 'mode', ''), slaves: slaves.map((s) => text(asObject(s, `${what}.slaves[]`), 'name', `${what}.slaves[]`)) };
}

/** Back to the wire for `PUT /api/nodes/{id}/interfaces`: only what Nailgun reads. */
export function interfaceToWire(i: FuelInterface): Record<string, unknown> {
  const networks = i.assignedNetworks.map((n) => ({ id: n.id, name: n.name }));
  if (i.type === 'bond') return { type: 'bond', name: i.name, mode: i.mode ?? '', slaves: (i.slaves ?? []).map((name) => ({ name })), assigned_networks: networks };
  return { id: i.id, type: 'ether', name: i.name, mac: i.mac, assigned_networks: networks };
}

export function toDisk(raw: unknown, nodeId: number): FuelDisk {
  const what = `node ${nodeId} disk`;
  const o = asObject(raw, what);
  return {
    id: text(o, 'id', what),
    name: textOr(o, 'name', ''),
    size: int(o, 'size', what),
    volumes: asArray(o.volumes ?? [], `${what}.volumes`).map((v) => {
      const vo = asObject(v, `${what}.volumes[]`);
      return { name: text(vo, 'name', `${what}.volumes[]`), size: int(vo, 'size', `${what}.volumes[]`) };
    }),
    extra: strings(o, 'extra', what),
  };
}

export function diskToWire(d: FuelDisk): Record<string, unknown> {
  return { id: d.id, name: d.name, size: d.size, volumes: d.volumes.map((v) => ({ name: v.name, size: v.size })), extra: [...d.extra] };
}

export function toNetworkConfiguration(raw: unknown): FuelNetworkConfiguration {
  const o = asObject(raw, 'network_configuration');
  const networks: FuelNetworkGroup[] = asArray(o.networks, 'network_configuration.networks').map((n) => {
    const no = asObject(n, 'network');
    const what = 'network_configuration.networks[]';
    return {
      id: int(no, 'id', what),
      name: text(no, 'name', what),
      // 5.1 calls it cluster_id; 6.0 has node groups.
      groupId: intOrNull(no, no.group_id === undefined ? 'cluster_id' : 'group_id', what),
      cidr: textOr(no, 'cidr', null),
      vlanStart: intOrNull(no, 'vlan_start', what),
    };
  });
  const params = o.networking_parameters === undefined || o.networking_parameters === null ? {} : asObject(o.networking_parameters, 'networking_parameters');
  return { networks, parameters: params };
}

export function toVersion(raw: unknown): FuelVersion {
  const o = asObject(raw, 'version');
  // Fuel 5.0 has no auth and no auth_required field.
  return { release: textOr(o, 'release', ''), authRequired: bool(o, 'auth_required', false) };
}
