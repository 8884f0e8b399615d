import type { SimStore } from '../../store/store.js';
import type { ServerRecord } from '../../store/types/compute.js';
import type { DataRef } from '../../store/types/image.js';
import type { VolumeAttachment, VolumeRecord } from '../../store/types/volume.js';

/** The device an attachment gets: the next free `/dev/vdX` after the root disk. */
export function nextDevice(store: SimStore, server: ServerRecord): string {
  const used = new Set<string>(['/dev/vda']);
  for (const id of server.volumes) {
    for (const a of store.volumes.get(id)?.attachments ?? []) if (a.serverId === server.id) used.add(a.device);
  }
  for (let i = 1; i < 26; i++) {
    const dev = `/dev/vd${String.fromCharCode(97 + i)}`;
    if (!used.has(dev)) return dev;
  }
  return '/dev/vdz';
}

/** The attachment record of a volume on a server, if attached there. */
export function attachmentOn(vol: VolumeRecord, serverId: string): VolumeAttachment | undefined {
  return vol.attachments.find((a) => a.serverId === serverId);
}

/**
 * Records an attachment on both sides of the shared store (Cinder's volume: `in-use` with the
 * attachment; Nova's server: the volume id), as the end of an attach does.
 */
export function recordAttachment(store: SimStore, server: ServerRecord, vol: VolumeRecord, device: string): VolumeAttachment {
  const existing = attachmentOn(vol, server.id);
  if (existing) return existing;
  const att: VolumeAttachment = { attachmentId: store.ids.uuid(), serverId: server.id, device, hostName: server.host };
  vol.attachments.push(att);
  vol.status = 'in-use';
  vol.attachStatus = 'attached';
  vol.updatedAt = store.now();
  if (!server.volumes.includes(vol.id)) server.volumes.push(vol.id);
  return att;
}

/** Removes an attachment on both sides; the volume is `available` again when nothing else holds it. */
export function dropAttachment(store: SimStore, server: ServerRecord, vol: VolumeRecord): void {
  vol.attachments = vol.attachments.filter((a) => a.serverId !== server.id);
  if (vol.attachments.length === 0) {
    vol.status = 'available';
    vol.attachStatus = 'detached';
  }
  vol.updatedAt = store.now();
  server.volumes = server.volumes.filter((id) => id !== vol.id);
}

/** Points a server's attachments at its (new) host after a move. */
export function moveAttachments(store: SimStore, server: ServerRecord): void {
  for (const id of server.volumes) {
    const vol = store.volumes.get(id);
    if (!vol) continue;
    vol.attachments = vol.attachments.map((a) => (a.serverId === server.id ? { ...a, hostName: server.host } : a));
  }
}

/** A Cinder volume Nova asked for at boot (image, snapshot or blank source), `creating`. */
export function bootVolume(
  store: SimStore,
  v: { readonly projectId: string; readonly userId: string; readonly size: number; readonly az: string; readonly data: DataRef; readonly imageMetadata: Record<string, string> | null; readonly snapshotId: string | null },
): VolumeRecord {
  const now = store.now();
  const type = store.volumeTypes.all()[0];
  return store.volumes.insert({
    id: store.ids.uuid(), name: '', description: null, projectId: v.projectId, userId: v.userId, size: v.size, status: 'creating', attachStatus: 'detached',
    attachments: [], volumeTypeId: type?.id ?? null, availabilityZone: v.az, bootable: v.imageMetadata !== null, snapshotId: v.snapshotId, sourceVolId: null,
    imageMetadata: v.imageMetadata, metadata: {}, host: `${store.name}-controller@lvm#LVM`, migrationStatus: null, encrypted: false, multiattach: false,
    createdAt: now, updatedAt: now, data: v.data,
  });
}
