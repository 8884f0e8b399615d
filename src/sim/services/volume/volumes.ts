import { badRequest } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import type { VolumeRecord } from '../../store/types/volume.js';
import { releaseData } from '../image/index.js';
import { bodyOf, modern, str, type CinderCall, type CinderRoute } from './call.js';
import { createVolume } from './create.js';
import { touch } from './lifecycle.js';
import { page, projectFilter } from './listing.js';
import { volumeOf } from './lookup.js';
import { volumeSummary, volumeView } from './render.js';

/** Volume list filters: name (v1 display_name), status, metadata (JSON), bootable, availability_zone. */
function matches(c: CinderCall): (v: VolumeRecord) => boolean {
  const q = c.req.query;
  const tests: Array<(v: VolumeRecord) => boolean> = [];
  const name = q.get(c.version === 1 ? 'display_name' : 'name') ?? q.get('display_name');
  if (name !== null) tests.push((v) => v.name === name);
  const status = q.get('status');
  if (status !== null) tests.push((v) => v.status === status);
  const az = q.get('availability_zone');
  if (az !== null) tests.push((v) => v.availabilityZone === az);
  const bootable = q.get('bootable');
  if (bootable !== null) tests.push((v) => v.bootable === ['true', '1', 't', 'yes'].includes(bootable.toLowerCase()));
  const metadata = q.get('metadata');
  if (metadata !== null) {
    let want: Record<string, unknown>;
    try {
      want = JSON.parse(metadata.replace(/'/g, '"')) as Record<string, unknown>;
    } catch {
      throw badRequest(`Invalid input received: metadata filter ${metadata} is not JSON`);
    }
    tests.push((v) => Object.entries(want).every(([k, x]) => v.metadata[k] === String(x)));
  }
  const inProject = projectFilter(c);
  return (v) => inProject(v.projectId) && tests.every((t) => t(v));
}

function list(detail: boolean) {
  return (c: CinderCall): SimReply => {
    const p = page(c, () => c.store.volumes.filter(matches(c)), 'volumes', 'Volume', detail ? '/volumes/detail' : '/volumes');
    return json(200, { volumes: p.items.map((v) => (detail ? volumeView(c, v) : volumeSummary(c, v))), ...(p.links ? { volumes_links: p.links } : {}) });
  };
}

/** `PUT /volumes/{id}`: name/description (v1 `display_*`), metadata (replaced). */
async function update(c: CinderCall): Promise<SimReply> {
  const v = volumeOf(c, c.req.params['id']);
  const b = await bodyOf(c, 'volume');
  const name = str(b['name']) ?? str(b['display_name']);
  const description = b['description'] !== undefined ? b['description'] : b['display_description'];
  if (name !== undefined) v.name = name;
  if (description !== undefined) v.description = description === null ? null : String(description);
  if (b['metadata'] !== undefined) {
    if (typeof b['metadata'] !== 'object' || b['metadata'] === null) throw badRequest('Invalid input received: metadata must be a dict');
    v.metadata = Object.fromEntries(Object.entries(b['metadata'] as Record<string, unknown>).map(([k, x]) => [k, String(x)]));
  }
  touch(c.store, v);
  return json(200, { volume: volumeView(c, v) });
}

/** Statuses a volume may be deleted from (Zed's list; legacy: available, error, error_restoring, error_extending). */
const DELETABLE = ['available', 'error', 'error_restoring', 'error_extending', 'error_managing'];

/**
 * `DELETE /volumes/{id}`: 202; `deleting`, then gone after `deleteMs`. Refused (400) while
 * attached, in another status, or holding snapshots (unless `cascade`, modern).
 */
function remove(c: CinderCall): SimReply {
  const v = volumeOf(c, c.req.params['id']);
  const cascade = modern(c) && (c.req.query.get('cascade') ?? '').toLowerCase() === 'true';
  const snaps = c.store.snapshots.filter((s) => s.volumeId === v.id);
  const blocked = !DELETABLE.includes(v.status) || v.attachments.length > 0 || v.migrationStatus !== null || (snaps.length > 0 && !cascade);
  if (blocked) {
    if (modern(c)) {
      throw badRequest(
        'Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, ' +
          'attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer.',
      );
    }
    if (snaps.length > 0 && DELETABLE.includes(v.status)) throw badRequest(`Invalid volume: Volume still has ${snaps.length} dependent snapshots`);
    throw badRequest(`Invalid volume: Volume status must be available or error, but current status is: ${v.status}`);
  }
  for (const s of snaps) s.status = 'deleting';
  startDelete(c, v);
  return empty(202, { 'Content-Type': 'text/html; charset=UTF-8' });
}

/** `deleting`, then the record (and its snapshots, for a cascade) goes after `deleteMs`. */
export function startDelete(c: CinderCall, v: VolumeRecord): void {
  v.status = 'deleting';
  touch(c.store, v);
  c.cloud.clock.after(c.cloud.knobs.deleteMs, () => {
    if (c.store.volumes.get(v.id) !== v) return;
    for (const s of c.store.snapshots.filter((x) => x.volumeId === v.id)) c.store.snapshots.delete(s.id);
    c.store.volumes.delete(v.id);
    for (const server of v.attachments.map((a) => c.store.servers.get(a.serverId))) if (server) server.volumes = server.volumes.filter((id) => id !== v.id);
    releaseData(c.store, v.data);
  });
}

export function volumeRoutes(): CinderRoute[] {
  return [
    { method: 'GET', path: '/volumes', handler: list(false) },
    { method: 'GET', path: '/volumes/detail', handler: list(true) },
    { method: 'POST', path: '/volumes', handler: createVolume },
    { method: 'GET', path: '/volumes/{id}', handler: (c) => json(200, { volume: volumeView(c, volumeOf(c, c.req.params['id'])) }) },
    { method: 'PUT', path: '/volumes/{id}', handler: update },
    { method: 'DELETE', path: '/volumes/{id}', handler: remove },
  ];
}
