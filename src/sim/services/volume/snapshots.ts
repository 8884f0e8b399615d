import { badRequest } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import type { SnapshotRecord } from '../../store/types/volume.js';
import { bodyOf, boolParam, modern, str, type CinderCall, type CinderRoute } from './call.js';
import { markFresh, touch } from './lifecycle.js';
import { page, projectFilter } from './listing.js';
import { snapshotOf, volumeOf } from './lookup.js';
import { checkQuota } from './quotas.js';
import { snapshotView } from './render.js';

function matches(c: CinderCall): (s: SnapshotRecord) => boolean {
  const q = c.req.query;
  const tests: Array<(s: SnapshotRecord) => boolean> = [];
  const volumeId = q.get('volume_id');
  if (volumeId !== null) tests.push((s) => s.volumeId === volumeId);
  const status = q.get('status');
  if (status !== null) tests.push((s) => s.status === status);
  const name = q.get(c.version === 1 ? 'display_name' : 'name') ?? q.get('display_name');
  if (name !== null) tests.push((s) => s.name === name);
  const inProject = projectFilter(c);
  return (s) => inProject(s.projectId) && tests.every((t) => t(s));
}

function list(detail: boolean) {
  return (c: CinderCall): SimReply => {
    const p = page(c, () => c.store.snapshots.filter(matches(c)), 'snapshots', 'Snapshot', detail ? '/snapshots/detail' : '/snapshots');
    return json(200, { snapshots: p.items.map((s) => snapshotView(c, s, detail || c.version === 1)), ...(p.links ? { snapshots_links: p.links } : {}) });
  };
}

/**
 * `POST /snapshots`: v1 200, v2/v3 202, `creating` then `available` after `snapshotMs`. The
 * volume must be `available`, or `in-use` with `force` (400 otherwise); quotas (snapshots,
 * gigabytes) are checked (413).
 */
async function create(c: CinderCall): Promise<SimReply> {
  const b = await bodyOf(c, 'snapshot');
  const v = volumeOf(c, str(b['volume_id']));
  const force = b['force'] === undefined ? false : boolParam(b['force'], 'force');
  if (v.status === 'in-use' && !force) {
    throw badRequest(modern(c) ? `Invalid volume: Volume ${v.id} status must be available, but current status is: in-use.` : 'Invalid volume: must be available');
  }
  if (v.status !== 'available' && v.status !== 'in-use') throw badRequest(`Invalid volume: Volume ${v.id} status must be available, but current status is: ${v.status}.`);
  const type = v.volumeTypeId === null ? undefined : c.store.volumeTypes.get(v.volumeTypeId);
  checkQuota(c, v.projectId, { snapshots: 1, gigabytes: v.size, ...(type ? { [`snapshots_${type.name}`]: 1, [`gigabytes_${type.name}`]: v.size } : {}) });
  const now = c.store.now();
  const description = b['description'] !== undefined ? b['description'] : b['display_description'];
  const meta = b['metadata'];
  const s: SnapshotRecord = c.store.snapshots.insert({
    id: c.store.ids.uuid(), volumeId: v.id, name: str(b['name']) ?? str(b['display_name']) ?? null,
    description: description === undefined || description === null ? null : String(description), projectId: v.projectId, size: v.size, status: 'creating',
    progress: '0%', metadata: typeof meta === 'object' && meta !== null ? Object.fromEntries(Object.entries(meta).map(([k, x]) => [k, String(x)])) : {},
    createdAt: now, updatedAt: now,
  });
  markFresh(s);
  const answer = json(c.version === 1 ? 200 : 202, { snapshot: snapshotView(c, s, false) });
  c.cloud.clock.after(c.cloud.knobs.snapshotMs, () => {
    if (c.store.snapshots.get(s.id) !== s || s.status !== 'creating') return;
    s.status = 'available';
    s.progress = '100%';
    touch(c.store, s);
  });
  return answer;
}

async function update(c: CinderCall): Promise<SimReply> {
  const s = snapshotOf(c, c.req.params['id']);
  const b = await bodyOf(c, 'snapshot');
  const name = str(b['name']) ?? str(b['display_name']);
  const description = b['description'] !== undefined ? b['description'] : b['display_description'];
  if (name !== undefined) s.name = name;
  if (description !== undefined) s.description = description === null ? null : String(description);
  touch(c.store, s);
  return json(200, { snapshot: snapshotView(c, s) });
}

/** `DELETE /snapshots/{id}`: 202, `deleting`, gone after `deleteMs`; only `available` or `error` ones. */
function remove(c: CinderCall): SimReply {
  const s = snapshotOf(c, c.req.params['id']);
  if (s.status !== 'available' && s.status !== 'error') throw badRequest('Invalid snapshot: Volume Snapshot status must be available or error');
  s.status = 'deleting';
  touch(c.store, s);
  c.cloud.clock.after(c.cloud.knobs.deleteMs, () => {
    if (c.store.snapshots.get(s.id) === s) c.store.snapshots.delete(s.id);
  });
  return empty(202, { 'Content-Type': 'text/html; charset=UTF-8' });
}

export function snapshotRoutes(): CinderRoute[] {
  return [
    { method: 'GET', path: '/snapshots', handler: list(false) },
    { method: 'GET', path: '/snapshots/detail', handler: list(true) },
    { method: 'POST', path: '/snapshots', handler: create },
    { method: 'GET', path: '/snapshots/{id}', handler: (c) => json(200, { snapshot: snapshotView(c, snapshotOf(c, c.req.params['id'])) }) },
    { method: 'PUT', path: '/snapshots/{id}', handler: update },
    { method: 'DELETE', path: '/snapshots/{id}', handler: remove },
  ];
}
