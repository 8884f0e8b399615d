import type { Profile } from '../../profile.js';
import type { ImageRecord } from '../../store/types/image.js';

/** v1 timestamps: ISO without a zone (`2014-05-01T12:00:00`). */
const v1Time = (t: string) => t.replace(/Z$/, '');

/**
 * The full v1 image (legacy-apis.md §3.1): detail list items and create/update answers.
 * `is_public` is a boolean here (a "True"/"False" string only in headers); shared and
 * community visibilities do not exist in v1 and show as not public.
 */
export function v1Image(p: Profile, img: ImageRecord): Record<string, unknown> {
  return {
    id: img.id,
    name: img.name,
    status: img.status,
    is_public: img.visibility === 'public',
    disk_format: img.diskFormat,
    container_format: img.containerFormat,
    size: img.size ?? 0,
    ...(p.glanceVirtualSize ? { virtual_size: img.virtualSize } : {}),
    checksum: img.checksum,
    min_ram: img.minRam,
    min_disk: img.minDisk,
    owner: img.projectId,
    protected: img.protected,
    created_at: v1Time(img.createdAt),
    updated_at: v1Time(img.updatedAt),
    deleted: img.status === 'deleted',
    deleted_at: null,
    properties: { ...img.properties },
  };
}

/** `GET /v1/images` items: the summary. */
export function v1Summary(img: ImageRecord): Record<string, unknown> {
  return { id: img.id, name: img.name, disk_format: img.diskFormat, container_format: img.containerFormat, size: img.size ?? 0, checksum: img.checksum };
}

/**
 * HEAD/GET metadata headers: `x-image-meta-<field>` with the field name as stored (underscores
 * kept), `str()` of each value (booleans `True`/`False`), null values left out, custom
 * properties as `x-image-meta-property-<key>`, and `ETag` = the checksum.
 */
export function v1Headers(p: Profile, img: ImageRecord, url: string): Record<string, string> {
  const out: Record<string, string> = {};
  const meta = v1Image(p, img);
  for (const [k, v] of Object.entries(meta)) {
    if (k === 'properties' || v === null || v === undefined) continue;
    out[`x-image-meta-${k}`] = typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);
  }
  for (const [k, v] of Object.entries(img.properties)) out[`x-image-meta-property-${k}`] = v;
  if (img.checksum) out['ETag'] = img.checksum;
  out['Location'] = url;
  return out;
}
