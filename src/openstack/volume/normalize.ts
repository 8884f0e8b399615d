import type { Volume, VolumeSnapshot, VolumeType } from '../types/volume.js';
import { bool, num, obj, objs, str, strMap, strOrNull, type Raw } from '../wire.js';

/** v2/v3 `name`/`description`; v1 `display_name`/`display_description`. */
export function toVolume(r: Raw): Volume {
  const imageMetadata = strMap(r['volume_image_metadata']);
  return {
    id: str(r['id']) ?? '',
    name: str(r['name']) ?? str(r['display_name']) ?? '',
    description: str(r['description']) ?? str(r['display_description']) ?? '',
    size: num(r['size']),
    status: str(r['status']) ?? '',
    volumeType: strOrNull(r['volume_type']),
    bootable: bool(r['bootable']),
    encrypted: bool(r['encrypted']),
    attachments: objs(r['attachments']).map((a) => ({
      serverId: str(a['server_id']) ?? '',
      attachmentId: str(a['attachment_id']) ?? str(a['id']) ?? '',
      device: strOrNull(a['device']),
      hostName: strOrNull(a['host_name']),
    })),
    metadata: strMap(r['metadata']),
    tenantId: strOrNull(r['os-vol-tenant-attr:tenant_id']),
    userId: strOrNull(r['user_id']),
    snapshotId: strOrNull(r['snapshot_id']),
    sourceVolumeId: strOrNull(r['source_volid']),
    sourceImageId: imageMetadata['image_id'] ?? null,
    imageMetadata,
    availabilityZone: strOrNull(r['availability_zone']),
    host: strOrNull(r['os-vol-host-attr:host']),
    createdAt: strOrNull(r['created_at']),
  };
}

export function toSnapshot(r: Raw): VolumeSnapshot {
  return {
    id: str(r['id']) ?? '',
    name: str(r['name']) ?? str(r['display_name']) ?? '',
    description: str(r['description']) ?? str(r['display_description']) ?? '',
    status: str(r['status']) ?? '',
    size: num(r['size']),
    volumeId: str(r['volume_id']) ?? '',
    tenantId: strOrNull(r['os-extended-snapshot-attributes:project_id']),
    metadata: strMap(r['metadata']),
    createdAt: strOrNull(r['created_at']),
  };
}

export function toVolumeType(r: Raw): VolumeType {
  const pub = r['os-volume-type-access:is_public'] ?? r['is_public'];
  return {
    id: str(r['id']) ?? '',
    name: str(r['name']) ?? '',
    description: strOrNull(r['description']),
    isPublic: pub === undefined ? true : bool(pub, true),
    extraSpecs: strMap(obj(r['extra_specs'])),
  };
}
