// What the torture tests check in the simulated clouds once an apply is complete: duplicates
// (by name and by source-id marker, per kind), temporaries left behind (in both clouds), and
// a destination inventory with the ids the clouds chose replaced, to compare two runs.
import type { Inventory } from '../../src/inventory/index.js';
import type { SimStore } from '../../src/sim/store/index.js';
import { Session } from '../../src/openstack/session/session.js';
import type { SimCloud } from '../../src/sim/index.js';
import type { GeneratedCloud } from '../../src/sim/generator/index.js';
import { StateStore } from '../../src/state/index.js';

/** Ids of what a store holds that the kinds' temporaries could be (images, volumes, snapshots, keypairs). */
export interface Holdings {
  readonly images: ReadonlySet<string>;
  readonly volumes: ReadonlySet<string>;
  readonly snapshots: ReadonlySet<string>;
  readonly keypairs: ReadonlySet<string>;
}

export function holdings(store: SimStore): Holdings {
  return {
    images: new Set(store.images.all().map((i) => i.id)),
    volumes: new Set(store.volumes.all().map((v) => v.id)),
    snapshots: new Set(store.snapshots.all().map((s) => s.id)),
    keypairs: new Set(store.keypairs.all().map((k) => `${k.userId}/${k.name}`)),
  };
}

/**
 * Objects the migration made and left: in the source, every image, volume, snapshot or
 * keypair that was not there before; in the destination, temporaries by their names
 * (`pumphouse-snapshot-*`, `pumphouse-volume-*`, `pumphouse-clone-*`), the
 * `pumphouse_temporary` property, snapshots and keypairs of the admin (lent for a boot).
 */
export function leftovers(side: 'source' | 'destination', store: SimStore, before: Holdings, adminUserId: string): string[] {
  const out: string[] = [];
  if (side === 'source') {
    for (const i of store.images.all()) if (!before.images.has(i.id)) out.push(`source image ${i.id} '${i.name}' (${i.status})`);
    for (const v of store.volumes.all()) if (!before.volumes.has(v.id)) out.push(`source volume ${v.id} '${v.name}' (${v.status})`);
    for (const s of store.snapshots.all()) if (!before.snapshots.has(s.id)) out.push(`source snapshot ${s.id} '${s.name}'`);
    for (const k of store.keypairs.all()) if (!before.keypairs.has(`${k.userId}/${k.name}`)) out.push(`source keypair ${k.userId}/${k.name}`);
    return out;
  }
  for (const i of store.images.all()) {
    if (i.name?.startsWith('pumphouse-') || 'pumphouse_temporary' in (i.properties ?? {})) out.push(`destination image ${i.id} '${i.name}' (${i.status})`);
  }
  for (const v of store.volumes.all()) if (v.name?.startsWith('pumphouse-')) out.push(`destination volume ${v.id} '${v.name}' (${v.status})`);
  for (const s of store.snapshots.all()) if (!before.snapshots.has(s.id)) out.push(`destination snapshot ${s.id} '${s.name}'`);
  for (const k of store.keypairs.all()) if (k.userId === adminUserId && !before.keypairs.has(`${k.userId}/${k.name}`)) out.push(`destination admin keypair ${k.name}`);
  return out;
}

/** Temporaries the state still lists after the apply (each one is a cleanup it owes). */
export async function stateTemporaries(statePath: string): Promise<string[]> {
  const store = StateStore.open(statePath);
  try {
    const { state } = await store.load();
    return state.temporaries.map((t) => `${t.address} ${t.kind} ${t.cloud} ${t.resource_id ?? '(no id)'}`);
  } finally {
    await store.close();
  }
}

/** Addresses the state does not record as finished (`ready` or `deleted`), with their status. */
export async function unfinished(statePath: string): Promise<string[]> {
  const store = StateStore.open(statePath);
  try {
    const { state } = await store.load();
    return state.objects.filter((o) => o.status !== 'ready' && o.status !== 'deleted').map((o) => `${o.address}: ${o.status}${o.pending ? ` (pending ${o.pending.step})` : ''}`);
  } finally {
    await store.close();
  }
}

/**
 * Duplicates in a destination: two objects of one kind with one name in one project (the
 * store's records: what the cloud really holds), or carrying one source id (the inventory's
 * decoded markers).
 */
export function duplicates(store: SimStore, inventory: Inventory): string[] {
  const out: string[] = [];
  const byName = (kind: string, rows: readonly { readonly name?: string | null; readonly projectId?: string | null }[]) => {
    const seen = new Map<string, number>();
    for (const r of rows) {
      if (!r.name) continue;
      const key = `${r.projectId ?? '-'}/${r.name}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    for (const [key, n] of seen) if (n > 1) out.push(`${n} ${kind}s named ${key}`);
  };
  byName('project', store.identity.projects.all().map((p) => ({ name: p.name, projectId: p.domainId })));
  byName('user', store.identity.users.all().map((u) => ({ name: u.name, projectId: u.domainId })));
  byName('role', store.identity.roles.all().map((r) => ({ name: r.name })));
  byName('flavor', store.flavors.all().map((f) => ({ name: f.name })));
  byName('keypair', store.keypairs.all().map((k) => ({ name: k.name, projectId: k.userId })));
  byName('network', store.networks.all());
  byName('subnet', store.subnets.all());
  byName('router', store.routers.all());
  byName('port', store.ports.all());
  byName('security group', store.securityGroups.all());
  byName('image', store.images.all());
  byName('volume', store.volumes.all());
  byName('server', store.servers.all());
  const rules = new Map<string, number>();
  for (const r of store.securityGroupRules.all()) {
    const { id: _id, createdAt: _c, updatedAt: _u, ...rest } = r as unknown as Record<string, unknown>;
    const key = JSON.stringify(rest, Object.keys(rest).sort());
    rules.set(key, (rules.get(key) ?? 0) + 1);
  }
  for (const [key, n] of rules) if (n > 1) out.push(`${n} identical security group rules ${key}`);
  const markers = new Map<string, number>();
  for (const [kind, rows] of Object.entries(inventory)) {
    if (!Array.isArray(rows)) continue;
    for (const r of rows as readonly { readonly marker?: { readonly sourceId: string; readonly kind: string } }[]) {
      if (!r.marker) continue;
      const key = `${kind} ${r.marker.kind}:${r.marker.sourceId}`;
      markers.set(key, (markers.get(key) ?? 0) + 1);
    }
  }
  for (const [key, n] of markers) if (n > 1) out.push(`${n} ${key} (same source-id marker)`);
  return out;
}

const ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/;
// A MAC the destination chose (DHCP, router gateway and interface ports it makes itself)
// depends on the order of creations, which kills and resumes change; a migrated port keeps
// its source MAC, which stays.
const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;
const UUID_INSIDE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
// md5 checksums look like Keystone ids: compared as they are.
const DIGEST_KEY = /checksum|hash|md5|sha/i;

/**
 * The inventory as plain data with what differs between two equal runs taken out: ids the
 * clouds chose (uuids and Keystone hex ids that are not source ids: those are equal in two
 * worlds made from one seed) become `<id>`, timestamps, discovery bookkeeping and server
 * placement go, and every list is sorted, so two destinations holding the same objects
 * compare equal.
 */
export function normalized(inventory: Inventory, sourceIds: ReadonlySet<string>): unknown {
  const { observed: _o, session: _s, servers, hypervisors, ...rest } = inventory;
  // Which hypervisor a server lands on is the scheduler's choice (most free RAM first), so it
  // depends on the order of the boots, which parallel runs and resumes change: the servers'
  // hosts and the hypervisors' usage are left out, the number of servers per cloud is not.
  return walk(
    {
      ...rest,
      servers: servers.map(({ host: _h, hypervisorHostname: _n, ...sv }) => sv),
      hypervisors: hypervisors.map((h) => ({ host: h.host, state: h.state, status: h.status })),
      runningVms: hypervisors.reduce((n, h) => n + h.runningVms, 0),
    },
    sourceIds,
    '',
  );
}

function walk(v: unknown, keep: ReadonlySet<string>, key: string): unknown {
  if (typeof v === 'string') {
    if (DIGEST_KEY.test(key)) return v;
    // Whole ids, and uuids inside names (`dhcp-<network id>`).
    if (ID.test(v)) return keep.has(v) ? v : '<id>';
    if (MAC.test(v)) return keep.has(v) ? v : '<mac>';
    return v.replace(UUID_INSIDE, (m) => (keep.has(m) ? m : '<id>'));
  }
  if (Array.isArray(v)) return v.map((x) => walk(x, keep, key)).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      if (/(At|_at)$/.test(k)) continue;
      out[k] = walk((v as Record<string, unknown>)[k], keep, k);
    }
    return out;
  }
  return v;
}

/** Every id and MAC of the source inventory (kept as they are when normalizing a destination). */
export function sourceIds(source: Inventory): Set<string> {
  const ids = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      if (ID.test(v) || MAC.test(v)) ids.add(v);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(source);
  return ids;
}

/**
 * Generated users whose source password does not log in to `cloud` (the source: no password
 * left changed by reading keypairs as their owners; the destination with copied hashes: the
 * hash arrived), as `user: error code`.
 */
export async function failedLogins(cloud: SimCloud, generated: GeneratedCloud): Promise<string[]> {
  const out: string[] = [];
  for (const t of generated.tenants) {
    for (const u of t.users) {
      try {
        const s = await Session.login(
          {
            authUrl: cloud.authUrl,
            username: u.name,
            password: u.password,
            projectName: t.name,
            ...(cloud.profile.keystoneV2 ? {} : { userDomainName: 'Default', projectDomainName: 'Default' }),
          },
          { retry: { attempts: 1 } },
        );
        await s.close();
      } catch (err) {
        out.push(`${u.name}: ${(err as { code?: string }).code ?? String(err)}`);
      }
    }
  }
  return out;
}
