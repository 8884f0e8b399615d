import type { Profile } from '../../profile.js';
import type { ImageMemberRecord, ImageRecord } from '../../store/types/image.js';

/** Keys a v2 image renders itself; a custom property may not take one of these names. */
export const V2_BASE_KEYS = new Set([
  'id', 'name', 'status', 'visibility', 'protected', 'checksum', 'owner', 'size', 'virtual_size', 'container_format', 'disk_format',
  'created_at', 'updated_at', 'tags', 'min_ram', 'min_disk', 'self', 'file', 'schema', 'direct_url', 'locations', 'os_hidden',
  'os_hash_algo', 'os_hash_value', 'stores',
]);

/**
 * The v2 image body (legacy-apis.md §3.2): flat, custom properties at the top level; links
 * relative (`/v2/images/<id>`); `virtual_size` from Icehouse, `os_hidden` and the multihash
 * (`os_hash_algo`, `os_hash_value`) on modern (Rocky+), null until data arrives. Legacy
 * Glance leaves null attributes out.
 */
export function v2Image(p: Profile, img: ImageRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { ...img.properties };
  Object.assign(out, {
    name: img.name,
    disk_format: img.diskFormat,
    container_format: img.containerFormat,
    visibility: img.visibility,
    size: img.size,
  });
  if (p.glanceVirtualSize) out['virtual_size'] = img.virtualSize;
  Object.assign(out, {
    status: img.status,
    checksum: img.checksum,
    protected: img.protected,
    min_ram: img.minRam,
    min_disk: img.minDisk,
    owner: img.projectId,
  });
  if (p.glanceMultihash) {
    Object.assign(out, { os_hidden: false, os_hash_algo: img.hashValue === null ? null : 'sha512', os_hash_value: img.hashValue });
  }
  Object.assign(out, {
    id: img.id,
    created_at: img.createdAt,
    updated_at: img.updatedAt,
    tags: [...img.tags],
    self: `/v2/images/${img.id}`,
    file: `/v2/images/${img.id}/file`,
    schema: '/v2/schemas/image',
  });
  if (!p.glanceV2Nulls) for (const [k, v] of Object.entries(out)) if (v === null) delete out[k];
  return out;
}

export function v2Member(imageId: string, m: ImageMemberRecord): Record<string, unknown> {
  return { member_id: m.memberId, image_id: imageId, status: m.status, created_at: m.createdAt, updated_at: m.updatedAt, schema: '/v2/schemas/member' };
}
