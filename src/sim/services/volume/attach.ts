import { badRequest } from '../../http/errors.js';
import type { VolumeRecord } from '../../store/types/volume.js';
import { str, type CinderCall } from './call.js';
import { touch } from './lifecycle.js';

/**
 * The attach family Nova calls inside a volume attach (legacy-apis.md §4): os-reserve
 * (`available` -> `attaching`), os-attach (records the attachment: `in-use`), os-unreserve,
 * os-begin_detaching (`in-use` -> `detaching`), os-roll_detaching, os-detach (drops it:
 * `available` when none is left), os-force_detach. They change the volume only, as Cinder
 * does: Nova learns about attachments through its own API, not from these calls.
 */
export const ATTACH_ACTIONS: Readonly<Record<string, (c: CinderCall, v: VolumeRecord, arg: Record<string, unknown>) => number>> = {
  'os-reserve': (c, v) => {
    if (v.status !== 'available') throw badRequest('Invalid volume: Volume status must be available to reserve.');
    v.status = 'attaching';
    touch(c.store, v);
    return 202;
  },
  'os-unreserve': (c, v) => {
    if (v.status === 'attaching') {
      v.status = v.attachments.length ? 'in-use' : 'available';
      touch(c.store, v);
    }
    return 202;
  },
  'os-attach': (c, v, arg) => {
    const server = str(arg['instance_uuid']);
    const host = str(arg['host_name']) ?? null;
    const device = str(arg['mountpoint']);
    if (!device) throw badRequest('Invalid input received: mountpoint must be given.');
    if (!server && !host) throw badRequest('Invalid request to attach volume to an invalid target');
    if (v.status !== 'available' && v.status !== 'attaching') throw badRequest(`Invalid volume: Volume status must be available or attaching, but current status is: ${v.status}.`);
    v.attachments = [...v.attachments, { attachmentId: c.store.ids.uuid(), serverId: server ?? '', device, hostName: host }];
    v.status = 'in-use';
    v.attachStatus = 'attached';
    touch(c.store, v);
    return 202;
  },
  'os-begin_detaching': (c, v) => {
    if (v.status !== 'in-use' || v.attachStatus !== 'attached') {
      throw badRequest("Invalid volume: Unable to detach volume. Volume status must be 'in-use' and attach_status must be 'attached' to detach.");
    }
    v.status = 'detaching';
    touch(c.store, v);
    return 202;
  },
  'os-roll_detaching': (c, v) => {
    if (v.status === 'detaching') {
      v.status = 'in-use';
      touch(c.store, v);
    }
    return 202;
  },
  'os-detach': (c, v, arg) => {
    const which = str(arg['attachment_id']);
    if (which && !v.attachments.some((a) => a.attachmentId === which)) throw badRequest(`Invalid volume: Volume ${v.id} is not attached with attachment ${which}.`);
    if (!which && v.attachments.length > 1) throw badRequest('Invalid volume: Volume is attached to more than one instance; give an attachment_id.');
    v.attachments = which ? v.attachments.filter((a) => a.attachmentId !== which) : [];
    detached(c, v);
    return 202;
  },
  'os-force_detach': (c, v) => {
    v.attachments = [];
    detached(c, v);
    return 202;
  },
};

function detached(c: CinderCall, v: VolumeRecord): void {
  if (v.attachments.length === 0) {
    v.status = 'available';
    v.attachStatus = 'detached';
  } else v.status = 'in-use';
  touch(c.store, v);
}

/** os-initialize_connection: what a hypervisor needs to reach the volume (an iSCSI target here). */
export function connectionInfo(c: CinderCall, v: VolumeRecord): Record<string, unknown> {
  return {
    connection_info: {
      driver_volume_type: 'iscsi',
      data: {
        target_discovered: false, target_iqn: `iqn.2010-10.org.openstack:volume-${v.id}`, target_portal: `127.0.0.1:3260`, target_lun: 0,
        volume_id: v.id, access_mode: 'rw', encrypted: v.encrypted, ...(c.profile.cinderMaxMicroversion !== null ? { discard: false } : {}),
      },
    },
  };
}
