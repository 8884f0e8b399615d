import type { Cloud } from '../../openstack/index.js';
import type { Facts } from '../contract.js';
import { badRef, facts, orNull, type ParsedRef } from './ref.js';

/** Glance images and Cinder volumes by id, under the Inventory's field names. */
export async function glanceFacts(cloud: Cloud, ref: ParsedRef, raw: string): Promise<Facts | null> {
  if (ref.form !== 'path' || ref.collection !== 'images') throw badRef(raw, 'names no Glance collection pumphouse reads');
  const i = await orNull(() => cloud.image.get(ref.id));
  return (
    i &&
    facts({
      id: i.id,
      name: i.name,
      status: i.status,
      checksum: i.checksum,
      visibility: i.visibility,
      owner: i.owner,
      sizeBytes: i.size,
      diskFormat: i.diskFormat,
      containerFormat: i.containerFormat,
    })
  );
}

export async function cinderFacts(cloud: Cloud, ref: ParsedRef, raw: string): Promise<Facts | null> {
  if (ref.form !== 'path' || ref.collection !== 'volumes') throw badRef(raw, 'names no Cinder collection pumphouse reads');
  const volume = cloud.volume;
  if (!volume) throw badRef(raw, 'names Cinder, which this cloud does not have');
  const v = await orNull(() => volume.volumes.get(ref.id));
  return (
    v &&
    facts({
      id: v.id,
      name: v.name,
      status: v.status,
      sizeGb: v.size,
      volumeType: v.volumeType,
      bootable: v.bootable,
      projectId: v.tenantId,
      // As the planner pins it: the attached server ids, sorted, comma-joined.
      attachedTo: v.attachments.map((a) => a.serverId).sort(),
    })
  );
}
