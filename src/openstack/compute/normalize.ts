import type {
  AvailabilityZone,
  ComputeService,
  Flavor,
  Hypervisor,
  Keypair,
  Migration,
  Server,
  ServerAddress,
  ServerGroup,
  ServerVolumeAttachment,
} from '../types/compute.js';
import type { QuotaSet } from '../types/quota.js';
import { bool, isRaw, num, numOrNull, obj, objs, str, strMap, strOrNull, strs, type Raw } from '../wire.js';

/** Loops rather than map/filter/Set chains: 100,000 servers in a large discovery. */
export function toServer(r: Raw): Server {
  const image = r['image'];
  const addresses: Record<string, ServerAddress[]> = {};
  const rawAddresses = obj(r['addresses']);
  for (const label of Object.keys(rawAddresses)) {
    const list = rawAddresses[label];
    const out: ServerAddress[] = [];
    if (Array.isArray(list)) {
      for (const a of list) {
        if (!isRaw(a)) continue;
        out.push({
          addr: str(a['addr']) ?? '',
          version: num(a['version'], 4) === 6 ? 6 : 4,
          type: str(a['OS-EXT-IPS:type']) === 'floating' ? 'floating' : 'fixed',
          mac: strOrNull(a['OS-EXT-IPS-MAC:mac_addr']),
        });
      }
    }
    addresses[label] = out;
  }
  const fault = obj(r['fault']);
  const flavor = obj(r['flavor']);
  const securityGroups: string[] = [];
  const groups = r['security_groups'];
  if (Array.isArray(groups)) {
    for (const g of groups) {
      const name = isRaw(g) ? str(g['name']) : undefined;
      // Once each, in Nova's order (Nova repeats a group once per NIC).
      if (name !== undefined && !securityGroups.includes(name)) securityGroups.push(name);
    }
  }
  const volumesAttached: string[] = [];
  const volumes = r['os-extended-volumes:volumes_attached'] ?? r['volumes_attached'];
  if (Array.isArray(volumes)) {
    for (const v of volumes) {
      const id = isRaw(v) ? str(v['id']) : undefined;
      if (id !== undefined) volumesAttached.push(id);
    }
  }
  return {
    id: str(r['id']) ?? '',
    name: str(r['name']) ?? '',
    tenantId: str(r['tenant_id']) ?? str(r['project_id']) ?? '',
    userId: str(r['user_id']) ?? '',
    status: str(r['status']) ?? '',
    vmState: strOrNull(r['OS-EXT-STS:vm_state']),
    taskState: strOrNull(r['OS-EXT-STS:task_state']),
    powerState: numOrNull(r['OS-EXT-STS:power_state']),
    host: strOrNull(r['OS-EXT-SRV-ATTR:host']),
    hypervisorHostname: strOrNull(r['OS-EXT-SRV-ATTR:hypervisor_hostname']),
    instanceName: strOrNull(r['OS-EXT-SRV-ATTR:instance_name']),
    availabilityZone: strOrNull(r['OS-EXT-AZ:availability_zone']),
    // Below 2.47 the flavor is a reference; at 2.47+ it is embedded without an id.
    flavorId: str(flavor['id']) ?? str(flavor['original_name']) ?? '',
    // "" (v2, v2.1) or {} (Icehouse's v3) for a server booted from a volume.
    imageId: isRaw(image) ? strOrNull(image['id']) : null,
    keyName: strOrNull(r['key_name']),
    configDrive: r['config_drive'] === true || (typeof r['config_drive'] === 'string' && r['config_drive'] !== ''),
    securityGroups,
    addresses,
    metadata: strMap(r['metadata']),
    volumesAttached,
    created: str(r['created']) ?? '',
    updated: strOrNull(r['updated']),
    fault: str(fault['message']) !== undefined ? { code: num(fault['code']), message: str(fault['message']) ?? '' } : null,
  };
}

export function toFlavor(r: Raw, extraSpecs?: Readonly<Record<string, string>>): Flavor {
  return {
    id: str(r['id']) ?? '',
    name: str(r['name']) ?? '',
    vcpus: num(r['vcpus']),
    ramMb: num(r['ram']),
    diskGb: num(r['disk']),
    ephemeralGb: num(r['OS-FLV-EXT-DATA:ephemeral'] ?? r['ephemeral']),
    swapMb: num(r['swap']),
    rxtxFactor: num(r['rxtx_factor'], 1),
    isPublic: bool(r['os-flavor-access:is_public'], true),
    disabled: bool(r['OS-FLV-DISABLED:disabled'], false),
    extraSpecs: extraSpecs ?? strMap(r['extra_specs']),
  };
}

/** List items come wrapped (`{"keypair": {...}}`); single answers do not. */
export function toKeypair(r: Raw, owner?: string): Keypair {
  const k = isRaw(r['keypair']) ? r['keypair'] : r;
  return {
    name: str(k['name']) ?? '',
    publicKey: str(k['public_key']) ?? '',
    fingerprint: str(k['fingerprint']) ?? '',
    userId: strOrNull(k['user_id']) ?? owner ?? null,
    type: strOrNull(k['type']),
  };
}

export function toHypervisor(r: Raw): Hypervisor {
  const service = obj(r['service']);
  return {
    id: str(r['id']) ?? '',
    hostname: str(r['hypervisor_hostname']) ?? '',
    state: strOrNull(r['state']),
    status: strOrNull(r['status']),
    servicehost: strOrNull(service['host']),
    hypervisorType: strOrNull(r['hypervisor_type']),
    vcpus: numOrNull(r['vcpus']),
    vcpusUsed: numOrNull(r['vcpus_used']),
    memoryMb: numOrNull(r['memory_mb']),
    memoryMbUsed: numOrNull(r['memory_mb_used']),
    localGb: numOrNull(r['local_gb']),
    localGbUsed: numOrNull(r['local_gb_used']),
    runningVms: numOrNull(r['running_vms']),
  };
}

export function toComputeService(r: Raw): ComputeService {
  return {
    id: strOrNull(r['id']),
    binary: str(r['binary']) ?? '',
    host: str(r['host']) ?? '',
    zone: str(r['zone']) ?? '',
    status: str(r['status']) ?? '',
    state: str(r['state']) ?? '',
    disabledReason: strOrNull(r['disabled_reason']),
    forcedDown: r['forced_down'] === undefined ? null : bool(r['forced_down']),
    updatedAt: strOrNull(r['updated_at']),
  };
}

export function toAvailabilityZone(r: Raw): AvailabilityZone {
  const hosts = r['hosts'];
  let out: AvailabilityZone['hosts'] = null;
  if (isRaw(hosts)) {
    const h: Record<string, Record<string, { available: boolean; active: boolean }>> = {};
    for (const [host, services] of Object.entries(hosts)) {
      h[host] = {};
      for (const [binary, st] of Object.entries(obj(services))) {
        h[host][binary] = { available: bool(obj(st)['available']), active: bool(obj(st)['active']) };
      }
    }
    out = h;
  }
  return { name: str(r['zoneName']) ?? '', available: bool(obj(r['zoneState'])['available']), hosts: out };
}

export function toServerGroup(r: Raw): ServerGroup {
  const policy = str(r['policy']);
  return {
    id: str(r['id']) ?? '',
    name: str(r['name']) ?? '',
    policies: policy ? [policy] : strs(r['policies']),
    members: strs(r['members']),
    projectId: strOrNull(r['project_id']),
    userId: strOrNull(r['user_id']),
    metadata: strMap(r['metadata']),
  };
}

export function toServerVolumeAttachment(r: Raw): ServerVolumeAttachment {
  return {
    id: str(r['id']) ?? str(r['attachment_id']) ?? str(r['volumeId']) ?? '',
    serverId: str(r['serverId']) ?? '',
    volumeId: str(r['volumeId']) ?? '',
    device: strOrNull(r['device']),
  };
}

export function toMigration(r: Raw): Migration {
  return {
    id: str(r['id']) ?? '',
    serverId: str(r['instance_uuid']) ?? '',
    sourceCompute: strOrNull(r['source_compute']),
    destCompute: strOrNull(r['dest_compute']),
    status: str(r['status']) ?? '',
    type: strOrNull(r['migration_type']),
    createdAt: strOrNull(r['created_at']),
  };
}

/** Numeric limits only (`id` and any nested detail dropped). */
export function toQuotaSet(r: Raw): QuotaSet {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(r)) {
    if (k === 'id') continue;
    const n = numOrNull(v);
    if (n !== null) out[k] = n;
  }
  return out;
}
