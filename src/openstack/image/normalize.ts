import type { Image, ImageVisibility } from '../types/image.js';
import { bool, num, numOrNull, obj, str, strMap, strOrNull, type Raw } from '../wire.js';

/** v2 fields that are not custom properties. */
const V2_CORE = new Set([
  'id', 'name', 'status', 'visibility', 'owner', 'checksum', 'size', 'virtual_size', 'disk_format', 'container_format',
  'min_disk', 'min_ram', 'protected', 'created_at', 'updated_at', 'tags', 'self', 'file', 'schema', 'direct_url',
  'locations', 'os_hash_algo', 'os_hash_value', 'os_hidden', 'stores', 'is_public', 'deleted', 'deleted_at',
]);

function visibility(v: string | undefined): ImageVisibility {
  return v === 'public' || v === 'shared' || v === 'community' ? v : 'private';
}

export function fromV2(r: Raw): Image {
  const properties: Record<string, string> = {};
  for (const [k, v] of Object.entries(r)) {
    if (V2_CORE.has(k) || v === null || v === undefined) continue;
    properties[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return {
    id: str(r['id']) ?? '',
    name: str(r['name']) ?? '',
    status: str(r['status']) ?? '',
    visibility: visibility(str(r['visibility'])),
    owner: strOrNull(r['owner']),
    checksum: strOrNull(r['checksum']),
    size: numOrNull(r['size']),
    diskFormat: strOrNull(r['disk_format']),
    containerFormat: strOrNull(r['container_format']),
    minDisk: num(r['min_disk']),
    minRam: num(r['min_ram']),
    protected: bool(r['protected']),
    properties,
    tags: Array.isArray(r['tags']) ? r['tags'].filter((t): t is string => typeof t === 'string') : [],
    createdAt: strOrNull(r['created_at']),
    updatedAt: strOrNull(r['updated_at']),
  };
}

/** v1 JSON (list detail, create and update answers). */
export function fromV1(r: Raw): Image {
  return {
    id: str(r['id']) ?? '',
    name: str(r['name']) ?? '',
    status: str(r['status']) ?? '',
    visibility: bool(r['is_public']) ? 'public' : 'private',
    owner: strOrNull(r['owner']),
    checksum: strOrNull(r['checksum']),
    size: numOrNull(r['size']),
    diskFormat: strOrNull(r['disk_format']),
    containerFormat: strOrNull(r['container_format']),
    minDisk: num(r['min_disk']),
    minRam: num(r['min_ram']),
    protected: bool(r['protected']),
    properties: strMap(obj(r['properties'])),
    tags: [],
    createdAt: strOrNull(r['created_at']),
    updatedAt: strOrNull(r['updated_at']),
  };
}

const META = 'x-image-meta-';
const PROPERTY = 'x-image-meta-property-';

/**
 * v1 HEAD answer: everything is in `x-image-meta-<field>` headers with underscores kept
 * (`x-image-meta-disk_format`), booleans as "True"/"False", custom properties in
 * `x-image-meta-property-<key>` (key lower-cased by HTTP).
 */
export function fromV1Headers(headers: Readonly<Record<string, string>>): Image {
  const fields: Record<string, string> = {};
  const properties: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (k.startsWith(PROPERTY)) properties[k.slice(PROPERTY.length)] = v;
    else if (k.startsWith(META)) fields[k.slice(META.length).replace(/-/g, '_')] = v;
  }
  return fromV1({ ...fields, properties });
}
