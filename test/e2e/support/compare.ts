// Field-by-field comparison of a migrated tenant: what the source held (discovered before the
// apply) against what the destination holds after it, ids mapped through the state file, and
// nova-network facts translated to the Neutron objects the planner makes of them. Each area
// returns its mismatches as readable lines (empty = equivalent); docs/architecture/e2e.md
// lists what each area checks and what it deliberately does not.
import { isDeepStrictEqual } from 'node:util';
import type { Inventory, Server } from '../../../src/inventory/index.js';
import type { StateFile } from '../../../src/state/index.js';

export interface MigrationView {
  /** The source as discovered before the apply (servers still in their own status). */
  readonly before: Inventory;
  /** The source after the apply. */
  readonly after: Inventory;
  readonly destination: Inventory;
  readonly state: StateFile;
  /** Source project ids the manifest moves. */
  readonly tenants: readonly string[];
}

/** One area's result: how many facts were compared and which differed. */
export interface AreaResult {
  readonly checked: number;
  readonly mismatches: readonly string[];
}

/** A keypair as the source holds it (read from the simulator: legacy Nova hides other users' keys from the admin). */
export interface SourceKeypair {
  readonly userId: string;
  readonly name: string;
  readonly publicKey: string;
  readonly fingerprint: string;
}

/** Collects compared facts and mismatch lines (shared by the compare-*.ts areas). */
export class Diff {
  checked = 0;
  readonly mismatches: string[] = [];
  eq(where: string, field: string, expected: unknown, actual: unknown): void {
    this.checked++;
    if (!isDeepStrictEqual(expected, actual)) this.mismatches.push(`${where}.${field}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
  ok(where: string, what: string, holds: boolean): void {
    this.checked++;
    if (!holds) this.mismatches.push(`${where}: ${what}`);
  }
  /** The destination object, or a mismatch when it is absent. */
  found<T>(where: string, value: T | undefined): value is T {
    this.checked++;
    if (value === undefined) this.mismatches.push(`${where}: missing in the destination`);
    return value !== undefined;
  }
  result(): AreaResult {
    return { checked: this.checked, mismatches: this.mismatches };
  }
}

/** Source id -> destination id per kind, from the state's objects. */
export function idMapOf(state: StateFile): (kind: string, sourceId: string) => string {
  const map = new Map(state.objects.filter((o) => o.destination_id !== null).map((o) => [`${o.kind}:${o.source_id}`, o.destination_id!]));
  return (kind, sourceId) => map.get(`${kind}:${sourceId}`) ?? `<no ${kind} for ${sourceId} in the state>`;
}

export const sorted = <T>(xs: readonly T[]): T[] => [...xs].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
export const byId = <T extends { readonly id: string }>(xs: readonly T[], id: string): T | undefined => xs.find((x) => x.id === id);
export const novaNetworkSource = (v: MigrationView): boolean => v.before.capabilities.networkModel === 'nova-network';

/** Projects, users in scope, roles they hold, and the exact set of role assignments. */
export function compareIdentity(v: MigrationView): AreaResult {
  const d = new Diff();
  const m = idMapOf(v.state);
  const S = v.before;
  const D = v.destination;
  for (const id of v.tenants) {
    const s = byId(S.projects, id)!;
    const t = byId(D.projects, m('project', id));
    if (!d.found(`project[${s.name}]`, t)) continue;
    for (const f of ['name', 'description', 'enabled'] as const) d.eq(`project[${s.name}]`, f, s[f], t[f]);
    d.eq(`project[${s.name}]`, 'marker', id, t.marker?.sourceId);
  }
  const assignments = S.roleAssignments.filter((a) => v.tenants.includes(a.projectId));
  for (const uid of new Set(assignments.map((a) => a.userId))) {
    const s = byId(S.users, uid)!;
    const t = byId(D.users, m('user', uid));
    if (!d.found(`user[${s.name}]`, t)) continue;
    for (const f of ['name', 'email', 'enabled'] as const) d.eq(`user[${s.name}]`, f, s[f], t[f]);
    d.eq(`user[${s.name}]`, 'defaultProjectId', s.defaultProjectId && v.tenants.includes(s.defaultProjectId) ? m('project', s.defaultProjectId) : null, t.defaultProjectId);
    d.eq(`user[${s.name}]`, 'marker', uid, t.marker?.sourceId);
  }
  for (const rid of new Set(assignments.map((a) => a.roleId))) {
    const s = byId(S.roles, rid)!;
    const t = byId(D.roles, m('role', rid));
    if (!d.found(`role[${s.name}]`, t)) continue;
    // Keystone's legacy `_member_` is the modern `member` (adopted, not created).
    const expected = s.name === '_member_' && !D.roles.some((r) => r.name === '_member_') ? 'member' : s.name;
    d.eq(`role[${s.name}]`, 'name', expected, t.name);
  }
  const mapped = new Set(v.tenants.map((id) => m('project', id)));
  d.eq(
    'role assignments',
    'of the migrated projects',
    sorted(assignments.map((a) => [m('user', a.userId), m('role', a.roleId), m('project', a.projectId)])),
    sorted(D.roleAssignments.filter((a) => mapped.has(a.projectId)).map((a) => [a.userId, a.roleId, a.projectId])),
  );
  return d.result();
}

/** nova-network keeps these limits in the compute quota; Neutron in its own. */
const NOVA_TO_NEUTRON_QUOTA: Readonly<Record<string, string>> = { floating_ips: 'floatingip', security_groups: 'security_group' };

/** Quotas (every key both releases know; nova-network's network limits in Neutron's quota) and the flavors the servers use. */
export function compareSettings(v: MigrationView): AreaResult & { readonly notComparable: readonly string[] } {
  const d = new Diff();
  const m = idMapOf(v.state);
  const notComparable = new Set<string>();
  for (const id of v.tenants) {
    const s = v.before.quotas.find((q) => q.projectId === id);
    const t = v.destination.quotas.find((q) => q.projectId === m('project', id));
    if (!d.found(`quota[${id}]`, t) || !s) continue;
    for (const service of ['compute', 'volume', 'network'] as const) {
      const sq = s[service];
      const tq = t[service];
      if (!sq) continue;
      if (!d.found(`quota[${id}].${service}`, tq ?? undefined) || !tq) continue;
      for (const [key, value] of Object.entries(sq)) {
        if (key in tq) d.eq(`quota[${id}].${service}`, key, value, tq[key]);
        else notComparable.add(`${service}.${key}`);
      }
    }
    if (novaNetworkSource(v) && s.compute && t.network) {
      for (const [nova, neutron] of Object.entries(NOVA_TO_NEUTRON_QUOTA)) {
        if (s.compute[nova] !== undefined) d.eq(`quota[${id}].network`, `${neutron} (nova ${nova})`, s.compute[nova], t.network[neutron]);
      }
      // Per group in Nova, per project in Neutron (with the 2 automatic egress rules of each group, and default's 2 ingress).
      const groups = s.compute['security_groups'];
      const rules = s.compute['security_group_rules'];
      if (groups !== undefined && rules !== undefined) {
        const want = groups < 0 || rules < 0 ? -1 : groups * (rules + 2) + 2;
        d.eq(`quota[${id}].network`, 'security_group_rule (nova security_groups x (security_group_rules + 2) + 2)', want, t.network['security_group_rule']);
      }
    }
  }
  const used = new Set(v.before.servers.filter((s) => v.tenants.includes(s.projectId)).map((s) => s.flavorId).filter((f): f is string => f !== null));
  for (const fid of used) {
    const s = byId(v.before.flavors, fid)!;
    const t = byId(v.destination.flavors, m('flavor', fid));
    if (!d.found(`flavor[${s.name}]`, t)) continue;
    for (const f of ['name', 'vcpus', 'ramMb', 'diskGb', 'ephemeralGb', 'swapMb', 'rxtxFactor', 'isPublic', 'disabled', 'extraSpecs'] as const) d.eq(`flavor[${s.name}]`, f, s[f], t[f]);
    d.eq(`flavor[${s.name}]`, 'access', sorted(s.access.filter((p) => v.tenants.includes(p)).map((p) => m('project', p))), sorted(t.access));
  }
  return { ...d.result(), notComparable: [...notComparable].sort() };
}

/**
 * The users' keypairs, owned by the user's copy with the same key: `used` = the (owner, key
 * name) pairs of the tenants' servers, plus the servers booted with their key; `unused` = the
 * other keypairs of the tenants' users.
 */
export function compareKeypairs(v: MigrationView, source: readonly SourceKeypair[], which: 'used' | 'unused'): AreaResult {
  const d = new Diff();
  const m = idMapOf(v.state);
  const servers = v.before.servers.filter((x) => v.tenants.includes(x.projectId));
  const used = new Set(servers.filter((s) => s.keyName !== null).map((s) => `${s.userId}/${s.keyName}`));
  if (which === 'used') {
    for (const s of servers) {
      const t = byId(v.destination.servers, m('server', s.id));
      if (d.found(`server[${s.name}]`, t)) d.eq(`server[${s.name}]`, 'keyName', s.keyName, t.keyName);
    }
  }
  for (const k of source.filter((x) => used.has(`${x.userId}/${x.name}`) === (which === 'used'))) {
    const t = v.destination.keypairs.find((x) => x.userId === m('user', k.userId) && x.name === k.name);
    if (!d.found(`keypair[${k.userId}/${k.name}]`, t)) continue;
    d.eq(`keypair[${k.userId}/${k.name}]`, 'publicKey', k.publicKey, t.publicKey);
    d.eq(`keypair[${k.userId}/${k.name}]`, 'fingerprint', k.fingerprint, t.fingerprint);
  }
  return d.result();
}

/** Images the tenants own and their volumes (attachments mapped). */
export function compareData(v: MigrationView): AreaResult {
  const d = new Diff();
  const m = idMapOf(v.state);
  const D = v.destination;
  for (const s of v.before.images.filter((i) => i.owner !== null && v.tenants.includes(i.owner))) {
    const where = `image[${s.name}]`;
    const t = byId(D.images, m('image', s.id));
    if (!d.found(where, t)) continue;
    for (const f of ['name', 'visibility', 'checksum', 'sizeBytes', 'status', 'diskFormat', 'containerFormat', 'minDiskGb', 'minRamMb', 'protected', 'properties', 'tags'] as const) d.eq(where, f, s[f], t[f]);
    d.eq(where, 'owner', m('project', s.owner!), t.owner);
    d.eq(where, 'marker', s.id, t.marker?.sourceId);
  }
  for (const s of v.before.volumes.filter((x) => v.tenants.includes(x.projectId))) {
    const where = `volume[${s.name}]`;
    const t = byId(D.volumes, m('volume', s.id));
    if (!d.found(where, t)) continue;
    for (const f of ['name', 'description', 'sizeGb', 'bootable', 'status', 'availabilityZone', 'metadata'] as const) d.eq(where, f, s[f], t[f]);
    d.eq(where, 'projectId', m('project', s.projectId), t.projectId);
    // The same type when the destination has it, else the destination's default (a plan warning).
    if (s.volumeType !== null && (D.volumeTypes ?? []).includes(s.volumeType)) d.eq(where, 'volumeType', s.volumeType, t.volumeType);
    else d.ok(where, `volume type ${t.volumeType} is one of the destination's`, t.volumeType !== null && (D.volumeTypes ?? []).includes(t.volumeType));
    d.eq(where, 'attachments', sorted(s.attachments.map((a) => ({ serverId: m('server', a.serverId), device: a.device }))), sorted(t.attachments));
    d.eq(where, 'marker', s.id, t.marker?.sourceId);
  }
  return d.result();
}

/** Servers: status before the apply, flavor, groups, addresses, volumes, zone, metadata (the key name: compareKeypairs). */
export function compareCompute(v: MigrationView): AreaResult {
  const d = new Diff();
  const m = idMapOf(v.state);
  const D = v.destination;
  const nova = novaNetworkSource(v);
  for (const s of v.before.servers.filter((x) => v.tenants.includes(x.projectId))) {
    const where = `server[${s.name}]`;
    const t = byId(D.servers, m('server', s.id));
    if (!d.found(where, t)) continue;
    for (const f of ['name', 'status', 'availabilityZone', 'metadata', 'configDrive'] as const) d.eq(where, f, s[f], t[f]);
    d.eq(where, 'projectId', m('project', s.projectId), t.projectId);
    d.eq(where, 'flavor', s.flavorId === null ? s.flavorName : m('flavor', s.flavorId), t.flavorId ?? t.flavorName);
    d.eq(where, 'securityGroupNames', sorted(s.securityGroupNames), sorted(t.securityGroupNames));
    d.eq(where, 'attachedVolumeIds', s.attachedVolumeIds.map((id) => m('volume', id)), t.attachedVolumeIds);
    d.eq(where, 'addresses', sorted(expectedAddresses(v, s, nova, m)), sorted(t.addresses.map((a) => [a.type, a.networkName, a.macAddress, a.ipAddress])));
    d.eq(where, 'marker', s.id, t.marker?.sourceId);
    // In its group's copy, which has the source group's name and policy.
    const group = (v.before.serverGroups ?? []).find((g) => g.members.includes(s.id));
    const copy = group ? byId(D.serverGroups ?? [], m('server_group', group.id)) : undefined;
    d.eq(where, 'server group', group ? [group.name, group.policy, true] : null, copy ? [copy.name, copy.policy, copy.members.includes(t.id)] : null);
  }
  return d.result();
}

function expectedAddresses(v: MigrationView, s: Server, nova: boolean, m: (kind: string, id: string) => string): Array<[string, string, string | null, string]> {
  return s.addresses.map((a) => {
    if (a.type === 'fixed') return ['fixed', a.networkName, a.macAddress, a.ipAddress];
    // A floating address becomes whatever its copy got (compareNetwork judges that address).
    const sourceId = nova ? a.ipAddress : (v.before.floatingIps.find((f) => f.address === a.ipAddress)?.id ?? '?');
    const copy = v.destination.floatingIps.find((f) => f.id === m('floating_ip', sourceId));
    return ['floating', a.networkName, a.macAddress, copy?.address ?? `<no copy of ${a.ipAddress}>`];
  });
}

/**
 * Nothing more than the copies: per migrated project, as many servers, volumes, images, groups,
 * compute ports and floating IPs as the source tenants had; no temporary left in the state or
 * in either cloud (the source's images and volumes are those it had before).
 */
export function compareCompleteness(v: MigrationView): AreaResult {
  const d = new Diff();
  const m = idMapOf(v.state);
  const S = v.before;
  const D = v.destination;
  for (const id of v.tenants) {
    const t = m('project', id);
    const count = (what: string, source: number, dest: number) => d.eq(`project[${id}]`, `number of ${what}`, source, dest);
    count('servers', S.servers.filter((x) => x.projectId === id).length, D.servers.filter((x) => x.projectId === t).length);
    count('volumes', S.volumes.filter((x) => x.projectId === id).length, D.volumes.filter((x) => x.projectId === t).length);
    count('images', S.images.filter((x) => x.owner === id).length, D.images.filter((x) => x.owner === t).length);
    count('security groups', S.securityGroups.filter((x) => x.projectId === id).length, D.securityGroups.filter((x) => x.projectId === t).length);
    count('compute ports', S.servers.filter((x) => x.projectId === id).flatMap((x) => x.addresses.filter((a) => a.type === 'fixed')).length, D.ports.filter((x) => x.projectId === t && x.deviceOwner.startsWith('compute:')).length);
    const fips = novaNetworkSource(v) ? S.novaFloatingIps.filter((f) => f.projectId === id).length : S.floatingIps.filter((f) => f.projectId === id).length;
    count('floating IPs', fips, D.floatingIps.filter((x) => x.projectId === t).length);
  }
  d.eq('state', 'temporaries left', [], v.state.temporaries.map((x) => `${x.kind} ${x.id}`));
  d.eq('source', 'images', sorted(S.images.map((i) => i.id)), sorted(v.after.images.map((i) => i.id)));
  d.eq('source', 'volumes', sorted(S.volumes.map((i) => i.id)), sorted(v.after.volumes.map((i) => i.id)));
  d.eq('source', 'servers', sorted(S.servers.map((i) => i.id)), sorted(v.after.servers.map((i) => i.id)));
  d.eq('destination', 'images with no owner among the copies', [], D.images.filter((i) => i.visibility !== 'public' && !D.projects.some((p) => p.id === i.owner)).map((i) => i.name));
  return d.result();
}
