import type * as os from '../../openstack/index.js';
import type { AvailabilityZone, ComputeService, Flavor, Hypervisor, Keypair, Server, ServerAddress, ServerGroup } from '../../inventory/index.js';
import { markerField, splitEntries } from './marks.js';
import { NO_POOL, type StringPool } from './string-pool.js';

/**
 * `access`: the projects allowed to use a private flavor (empty for public ones). Flavors are
 * matched by name and shape, but a marker put in the extra specs is read (and taken out, so
 * it never makes two flavors differ).
 */
export function toFlavor(f: os.Flavor, access: readonly string[]): Flavor {
  const { marker, rest } = splitEntries(f.extraSpecs, 'flavor');
  return {
    id: f.id,
    name: f.name,
    vcpus: f.vcpus,
    ramMb: f.ramMb,
    diskGb: f.diskGb,
    ephemeralGb: f.ephemeralGb,
    swapMb: f.swapMb,
    rxtxFactor: f.rxtxFactor,
    isPublic: f.isPublic,
    disabled: f.disabled,
    extraSpecs: rest,
    access: [...access].sort(),
    ...markerField(marker),
  };
}

/** `owner`: the user the keypair was listed for (legacy answers do not say). */
export function toKeypair(k: os.Keypair, owner: string): Keypair {
  return { name: k.name, userId: k.userId ?? owner, fingerprint: k.fingerprint, publicKey: k.publicKey, type: k.type === 'x509' ? 'x509' : 'ssh' };
}

/**
 * `flavorNames`: flavor id -> name. The servers client lists at microversion 2.1, where the
 * flavor is a reference by id; a deleted flavor leaves the id with no name.
 */
export function toServer(s: os.Server, flavorNames: ReadonlyMap<string, string>, pool: StringPool = NO_POOL): Server {
  const { marker, rest } = splitEntries(s.metadata, 'server');
  const flavorId = s.flavorId === '' ? null : s.flavorId;
  const flavorName = flavorId === null ? null : (flavorNames.get(flavorId) ?? null);
  const addresses: ServerAddress[] = [];
  // Nova lists NICs per network label; the label order and each list's order are Nova's.
  for (const [networkName, list] of Object.entries(s.addresses)) {
    for (const a of list) addresses.push({ networkName: pool.of(networkName), macAddress: a.mac, ipAddress: a.addr, type: pool.few(a.type), version: a.version });
  }
  return {
    // Ports and floating IPs name the server: one copy of its id for all of them.
    id: pool.of(s.id),
    name: s.name,
    projectId: pool.of(s.tenantId),
    userId: pool.of(s.userId),
    status: pool.few(s.status),
    host: pool.few(s.host),
    hypervisorHostname: pool.few(s.hypervisorHostname),
    flavorId: pool.few(flavorId),
    flavorName,
    imageId: pool.maybe(s.imageId),
    keyName: pool.maybe(s.keyName),
    ...(s.configDrive ? { configDrive: true as const } : {}),
    securityGroupNames: pool.allFew(s.securityGroups),
    addresses,
    metadata: rest,
    attachedVolumeIds: [...s.volumesAttached],
    availabilityZone: pool.few(s.availabilityZone),
    ...markerField(marker),
  };
}

export function toHypervisor(h: os.Hypervisor): Hypervisor {
  return {
    id: h.id,
    hypervisorHostname: h.hostname,
    // Nova names the compute service host under `service.host`; fall back to the hostname.
    host: h.servicehost ?? h.hostname,
    state: h.state === 'up' || h.state === 'down' ? h.state : null,
    status: h.status === 'enabled' || h.status === 'disabled' ? h.status : null,
    runningVms: h.runningVms ?? 0,
    vcpus: h.vcpus ?? 0,
    vcpusUsed: h.vcpusUsed ?? 0,
    memoryMb: h.memoryMb ?? 0,
    memoryMbUsed: h.memoryMbUsed ?? 0,
    localGb: h.localGb ?? 0,
    localGbUsed: h.localGbUsed ?? 0,
  };
}

export function toComputeService(s: os.ComputeService): ComputeService {
  return {
    id: s.id,
    binary: s.binary,
    host: s.host,
    zone: s.zone,
    status: s.status === 'disabled' ? 'disabled' : 'enabled',
    state: s.state === 'up' ? 'up' : 'down',
    disabledReason: s.disabledReason,
  };
}

export function toAvailabilityZone(z: os.AvailabilityZone): AvailabilityZone {
  return { name: z.name, available: z.available, hosts: Object.keys(z.hosts ?? {}).sort() };
}

/** One policy whatever the microversion (2.64 answers `policy`, older ones a one-item `policies`). */
/** `projectOf`: a server's project, for the groups Nova lists without theirs (before 2.13). */
export function toServerGroup(g: os.ServerGroup, projectOf: (serverId: string) => string | undefined): ServerGroup {
  let projectId = g.projectId;
  for (let i = 0; projectId === null && i < g.members.length; i++) projectId = projectOf(g.members[i]!) ?? null;
  return { id: g.id, name: g.name, policy: g.policies[0] ?? '', members: [...g.members], projectId };
}
