import type { SnapshotRecord, VolumeRecord, VolumeTypeRecord } from '../../store/types/volume.js';
import { cinderTime, modern, type CinderCall } from './call.js';
import { updatedAt } from './lifecycle.js';

/** `self` and `bookmark` links of an object in a collection. */
export function links(c: CinderCall, collection: string, id: string): Array<Record<string, string>> {
  return [
    { rel: 'self', href: `${c.apiUrl}/${collection}/${id}` },
    { rel: 'bookmark', href: `${c.bookmarkUrl}/${collection}/${id}` },
  ];
}

/** The type name as volumes show it; legacy Cinder shows `"None"` (a str() of the id) for a volume without one. */
function typeName(c: CinderCall, v: VolumeRecord): string | null {
  const t = v.volumeTypeId === null ? undefined : c.store.volumeTypes.get(v.volumeTypeId);
  if (t) return t.name;
  return modern(c) ? null : String(v.volumeTypeId ?? 'None');
}

/**
 * Attachments: legacy `{id (= volume id), volume_id, server_id, host_name, device}`; modern
 * adds `attachment_id` and `attached_at`.
 */
function attachments(c: CinderCall, v: VolumeRecord): Array<Record<string, unknown>> {
  return v.attachments.map((a) => ({
    id: v.id,
    ...(modern(c) ? { attachment_id: a.attachmentId } : {}),
    volume_id: v.id,
    server_id: a.serverId,
    host_name: a.hostName,
    device: a.device,
    ...(modern(c) ? { attached_at: cinderTime(v.updatedAt) } : {}),
  }));
}

/** `GET /volumes` items on v2/v3: id, name, links. */
export function volumeSummary(c: CinderCall, v: VolumeRecord): Record<string, unknown> {
  if (c.version === 1) return volumeView(c, v, false);
  return { id: v.id, name: v.name, links: links(c, 'volumes', v.id) };
}

/**
 * The full volume (legacy-apis.md §4): v1 `display_name`/`display_description`, v2+ `name`/
 * `description`, `links` and `user_id`; `bootable` a string; `encrypted` (Icehouse+),
 * `replication_status`/`consistencygroup_id` (Juno+), `updated_at`, `multiattach` and
 * `migration_status` (modern) and the v3 microversion fields. `extended` adds the extension
 * attributes (show and detail, not create): tenant (legacy: admin only), host and migration
 * status (admin), and `volume_image_metadata` for volumes made from an image.
 */
export function volumeView(c: CinderCall, v: VolumeRecord, extended = true): Record<string, unknown> {
  const m = modern(c);
  const p = c.profile;
  const out: Record<string, unknown> = {
    id: v.id,
    status: v.status,
    size: v.size,
    availability_zone: v.availabilityZone,
    created_at: cinderTime(v.createdAt),
    ...(m ? { updated_at: cinderTime(updatedAt(v)) } : {}),
    attachments: attachments(c, v),
  };
  if (c.version === 1) Object.assign(out, { display_name: v.name, display_description: v.description });
  else Object.assign(out, { name: v.name, description: v.description });
  Object.assign(out, { volume_type: typeName(c, v), snapshot_id: v.snapshotId, source_volid: v.sourceVolId, metadata: { ...v.metadata } });
  if (c.version > 1) Object.assign(out, { links: links(c, 'volumes', v.id), user_id: v.userId });
  out['bootable'] = v.bootable ? 'true' : 'false';
  if (p.cinderEncryptedField) out['encrypted'] = v.encrypted;
  if (p.cinderReplicationStatus) Object.assign(out, { replication_status: m ? null : 'disabled', consistencygroup_id: null });
  if (m) Object.assign(out, { multiattach: v.multiattach, migration_status: v.migrationStatus });
  if (c.mv >= 13) out['group_id'] = null;
  if (c.mv >= 21 && c.isAdmin) out['provider_id'] = null;
  if (c.mv >= 48) Object.assign(out, { shared_targets: false, service_uuid: serviceUuid(c) });
  if (c.mv >= 61 && c.isAdmin) out['cluster_name'] = null;
  if (c.mv >= 63) out['volume_type_id'] = v.volumeTypeId;
  if (c.mv >= 65) out['consumes_quota'] = true;
  if (!extended) return out;
  if (m || c.isAdmin) out['os-vol-tenant-attr:tenant_id'] = v.projectId;
  if (c.isAdmin) Object.assign(out, { 'os-vol-mig-status-attr:migstat': v.migrationStatus, 'os-vol-mig-status-attr:name_id': null, 'os-vol-host-attr:host': v.host });
  if (v.imageMetadata) out['volume_image_metadata'] = { ...v.imageMetadata };
  return out;
}

/** A stable id for the cloud's one cinder-volume service (3.48 `service_uuid`). */
function serviceUuid(c: CinderCall): string {
  const hex = Buffer.from(`${c.store.name}-cinder-volume`).toString('hex').padEnd(32, '0').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A snapshot: v1 `display_*`, v2+ `name`/`description`, `updated_at` on modern; `extended`
 * (show, detail) adds the project and progress (`os-extended-snapshot-attributes:*`).
 */
export function snapshotView(c: CinderCall, s: SnapshotRecord, extended = true): Record<string, unknown> {
  const out: Record<string, unknown> = { id: s.id, created_at: cinderTime(s.createdAt) };
  if (modern(c)) out['updated_at'] = cinderTime(updatedAt(s));
  if (c.version === 1) Object.assign(out, { display_name: s.name, display_description: s.description });
  else Object.assign(out, { name: s.name, description: s.description });
  Object.assign(out, { volume_id: s.volumeId, status: s.status, size: s.size, metadata: { ...s.metadata } });
  if (c.mv >= 14) out['group_snapshot_id'] = null;
  if (c.mv >= 41) out['user_id'] = c.store.volumes.get(s.volumeId)?.userId ?? null;
  if (c.mv >= 65) out['consumes_quota'] = true;
  if (extended) Object.assign(out, { 'os-extended-snapshot-attributes:project_id': s.projectId, 'os-extended-snapshot-attributes:progress': s.progress });
  return out;
}

/** A volume type: `{id, name, extra_specs}` on legacy clouds; Kilo+ adds description, is_public and `qos_specs_id`. */
export function typeView(c: CinderCall, t: VolumeTypeRecord): Record<string, unknown> {
  if (!c.profile.cinderTypeAccess) return { id: t.id, name: t.name, extra_specs: { ...t.extraSpecs } };
  return { id: t.id, name: t.name, is_public: t.isPublic, description: t.description, extra_specs: { ...t.extraSpecs }, qos_specs_id: null, 'os-volume-type-access:is_public': t.isPublic };
}
