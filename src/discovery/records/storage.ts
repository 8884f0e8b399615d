import type * as os from '../../openstack/index.js';
import type { Image, Volume } from '../../inventory/index.js';
import { descriptionMarker, markerField, splitEntries } from './marks.js';
import { byCodeUnits } from '../../json/code-unit-order.js';

export function toImage(i: os.Image): Image {
  const { marker, rest } = splitEntries(i.properties, 'image');
  return {
    id: i.id,
    name: i.name,
    visibility: i.visibility,
    owner: i.owner,
    checksum: i.checksum,
    sizeBytes: i.size,
    status: i.status,
    diskFormat: i.diskFormat,
    containerFormat: i.containerFormat,
    minDiskGb: i.minDisk,
    minRamMb: i.minRam,
    protected: i.protected,
    properties: rest,
    ...(i.tags.length > 0 ? { tags: [...new Set(i.tags)].sort(byCodeUnits) } : {}),
    ...markerField(marker),
  };
}

/** Volume metadata carries the marker; a description suffix is read too (hand-made copies). */
export function toVolume(v: os.Volume): Volume {
  const split = splitEntries(v.metadata, 'volume');
  const described = descriptionMarker(v.description, 'volume');
  const marker = split.marker ?? described.marker;
  return {
    id: v.id,
    name: v.name,
    description: described.description,
    projectId: v.tenantId ?? '',
    sizeGb: v.size,
    volumeType: v.volumeType,
    bootable: v.bootable,
    status: v.status,
    availabilityZone: v.availabilityZone,
    attachments: v.attachments.map((a) => ({ serverId: a.serverId, device: a.device })),
    metadata: split.rest,
    sourceImageId: v.sourceImageId,
    ...(v.encrypted ? { encrypted: true as const } : {}),
    ...markerField(marker),
  };
}
