import { badRequest, forbidden, SimHttpError } from '../../http/errors.js';
import { json, text, type SimReply } from '../../http/reply.js';
import type { Profile } from '../../profile.js';
import type { SimStore } from '../../store/store.js';
import { bodyOf, type CinderCall, type CinderRoute } from './call.js';

/**
 * Cinder's default quotas (legacy-apis.md §4): volumes, snapshots, gigabytes and per-type
 * `<key>_<type>` (-1); Juno adds backups, backup_gigabytes and consistencygroups; modern has
 * groups and per_volume_gigabytes instead of consistencygroups.
 */
export function quotaDefaults(store: SimStore, p: Profile): Record<string, number> {
  const out: Record<string, number> = { volumes: 10, snapshots: 10, gigabytes: 1000 };
  if (p.cinderQuotaBackups) Object.assign(out, { backups: 10, backup_gigabytes: 1000 });
  if (p.cinderMaxMicroversion !== null) Object.assign(out, { groups: 10, per_volume_gigabytes: -1 });
  else if (p.cinderQuotaBackups) out['consistencygroups'] = 10;
  for (const t of store.volumeTypes.values()) for (const k of ['volumes', 'snapshots', 'gigabytes']) out[`${k}_${t.name}`] = -1;
  return out;
}

/** What a project uses now: volumes and snapshots counted, their GiB summed (per type too). */
export function quotaUsage(store: SimStore, projectId: string): Record<string, number> {
  const out: Record<string, number> = { volumes: 0, snapshots: 0, gigabytes: 0, backups: 0, backup_gigabytes: 0, groups: 0, consistencygroups: 0, per_volume_gigabytes: 0 };
  const add = (k: string, n: number) => void (out[k] = (out[k] ?? 0) + n);
  const typeOf = (typeId: string | null) => (typeId === null ? undefined : store.volumeTypes.get(typeId)?.name);
  for (const v of store.volumes.values()) {
    if (v.projectId !== projectId) continue;
    add('volumes', 1);
    add('gigabytes', v.size);
    const t = typeOf(v.volumeTypeId);
    if (t) {
      add(`volumes_${t}`, 1);
      add(`gigabytes_${t}`, v.size);
    }
  }
  for (const s of store.snapshots.values()) {
    if (s.projectId !== projectId) continue;
    add('snapshots', 1);
    add('gigabytes', s.size);
    const t = typeOf(store.volumes.get(s.volumeId)?.volumeTypeId ?? null);
    if (t) {
      add(`snapshots_${t}`, 1);
      add(`gigabytes_${t}`, s.size);
    }
  }
  return out;
}

/** The 413 `overLimit` a create meets when `delta` would pass a quota (checked keys only). */
export function checkQuota(c: CinderCall, projectId: string, delta: Readonly<Record<string, number>>): void {
  const limits = c.store.quotaOf('volume', projectId, quotaDefaults(c.store, c.profile));
  const used = quotaUsage(c.store, projectId);
  for (const [k, n] of Object.entries(delta)) {
    const limit = limits[k];
    if (limit === undefined || limit < 0 || (used[k] ?? 0) + n <= limit) continue;
    if (k.startsWith('gigabytes')) {
      throw new SimHttpError(413, `VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed ${k} quota. Requested ${n}G, quota is ${limit}G and ${used[k] ?? 0}G has been consumed.`);
    }
    const what = k.startsWith('snapshots') ? 'Snapshot' : 'Volume';
    throw new SimHttpError(413, `${what}LimitExceeded: Maximum number of ${what.toLowerCase()}s allowed (${limit}) exceeded for quota '${k}'.`);
  }
}

function target(c: CinderCall): string {
  const id = c.req.params['project']!;
  if (!c.isAdmin && id !== c.projectId) throw forbidden('Policy does not allow this operation to be performed.');
  return id;
}

/** `GET /os-quota-sets/{project}[?usage=True]`: limits, or `{limit, in_use, reserved}` each. */
function show(c: CinderCall): SimReply {
  const id = target(c);
  const limits = c.store.quotaOf('volume', id, quotaDefaults(c.store, c.profile));
  const usage = ['true', '1', 'yes'].includes((c.req.query.get('usage') ?? '').toLowerCase());
  if (!usage) return json(200, { quota_set: { ...limits, id } });
  const used = quotaUsage(c.store, id);
  const out: Record<string, unknown> = {};
  for (const [k, limit] of Object.entries(limits)) out[k] = { limit, in_use: used[k] ?? 0, reserved: 0 };
  return json(200, { quota_set: { ...out, id } });
}

/** `PUT` (admin): known keys only (400 "Bad key(s)"), integers >= -1; answers the set without `id`. */
async function update(c: CinderCall): Promise<SimReply> {
  const id = c.req.params['project']!;
  const b = await bodyOf(c, 'quota_set');
  const defaults = quotaDefaults(c.store, c.profile);
  const bad = Object.keys(b).filter((k) => !(k in defaults) && k !== 'id' && k !== 'tenant_id');
  if (bad.length) throw badRequest(`Invalid input received: Bad key(s) in quota set: ${bad.join(', ')}`);
  const patch: Record<string, number> = {};
  for (const [k, v] of Object.entries(b)) {
    if (!(k in defaults)) continue;
    const n = typeof v === 'string' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < -1) throw badRequest(`Invalid input received: Quota limit ${String(v)} for ${k} must be an integer >= -1.`);
    patch[k] = n;
  }
  c.store.setQuota('volume', id, patch);
  return json(200, { quota_set: c.store.quotaOf('volume', id, defaults) });
}

/** `DELETE` (admin): back to the defaults; 200 with an empty JSON-labelled body (Zed). */
function reset(c: CinderCall): SimReply {
  c.store.quotas.delete(`volume/${c.req.params['project']!}`);
  return text(200, '', 'application/json');
}

/** `GET /limits`: the absolute limits and what is used. */
function limits(c: CinderCall): SimReply {
  const l = c.store.quotaOf('volume', c.projectId, quotaDefaults(c.store, c.profile));
  const u = quotaUsage(c.store, c.projectId);
  const absolute: Record<string, number> = {
    maxTotalVolumes: l['volumes'] ?? -1,
    maxTotalSnapshots: l['snapshots'] ?? -1,
    maxTotalVolumeGigabytes: l['gigabytes'] ?? -1,
  };
  if (c.profile.cinderQuotaBackups) Object.assign(absolute, { maxTotalBackups: l['backups'] ?? -1, maxTotalBackupGigabytes: l['backup_gigabytes'] ?? -1 });
  Object.assign(absolute, { totalVolumesUsed: u['volumes'], totalGigabytesUsed: u['gigabytes'], totalSnapshotsUsed: u['snapshots'] });
  if (c.profile.cinderQuotaBackups) Object.assign(absolute, { totalBackupsUsed: 0, totalBackupGigabytesUsed: 0 });
  return json(200, { limits: { rate: [], absolute } });
}

export function quotaRoutes(): CinderRoute[] {
  return [
    { method: 'GET', path: '/os-quota-sets/{project}/defaults', handler: (c) => json(200, { quota_set: { ...quotaDefaults(c.store, c.profile), id: c.req.params['project']! } }) },
    { method: 'GET', path: '/os-quota-sets/{project}', handler: show },
    { method: 'PUT', path: '/os-quota-sets/{project}', auth: 'admin', handler: update },
    { method: 'DELETE', path: '/os-quota-sets/{project}', auth: 'admin', handler: reset },
    { method: 'GET', path: '/limits', handler: limits },
  ];
}
