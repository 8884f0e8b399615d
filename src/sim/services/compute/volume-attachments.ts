import { badRequest, notFound } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import type { ServerRecord } from '../../store/types/compute.js';
import type { VolumeRecord } from '../../store/types/volume.js';
import { checkState } from './actions.js';
import { bodyOf, str, type NovaCall, type NovaRoute } from './context.js';
import { serverOf } from './lookup.js';
import { computeState } from './state.js';
import { attachmentOn, dropAttachment, nextDevice, recordAttachment } from './volumes.js';

function view(c: NovaCall, s: ServerRecord, vol: VolumeRecord): Record<string, unknown> {
  const att = attachmentOn(vol, s.id);
  const out: Record<string, unknown> = {};
  if (c.mv < 89) out['id'] = vol.id;
  Object.assign(out, { serverId: s.id, volumeId: vol.id, device: att?.device ?? null });
  if (c.mv >= 70) out['tag'] = null;
  if (c.mv >= 79) out['delete_on_termination'] = computeState(c.store).deleteOnTermination.get(s.id)?.has(vol.id) ?? false;
  if (c.mv >= 89) Object.assign(out, { attachment_id: att?.attachmentId ?? null, bdm_uuid: att?.attachmentId ?? null });
  return out;
}

function attachedVolume(c: NovaCall, s: ServerRecord): VolumeRecord {
  const id = c.req.params['volume']!;
  const vol = s.volumes.includes(id) ? c.store.volumes.get(id) : undefined;
  if (!vol || !attachmentOn(vol, s.id)) throw notFound(`volume_id not found: ${id}`);
  return vol;
}

function list(c: NovaCall): SimReply {
  const s = serverOf(c, c.req.params['id']);
  const vols = s.volumes.map((id) => c.store.volumes.get(id)).filter((v): v is VolumeRecord => v !== undefined && attachmentOn(v, s.id) !== undefined);
  return json(200, { volumeAttachments: vols.map((v) => view(c, s, v)) });
}

/**
 * `POST /servers/{id}/os-volume_attachments`: the volume (the caller's, `available`, else 400)
 * is recorded on both sides at once and shows `attaching`, then `in-use` after `actionMs`.
 */
async function attach(c: NovaCall): Promise<SimReply> {
  const s = serverOf(c, c.req.params['id']);
  const b = await bodyOf(c, 'volumeAttachment');
  const volumeId = str(b['volumeId']);
  if (!volumeId) throw badRequest("Invalid input for field/attribute volumeAttachment. 'volumeId' is a required property");
  checkState(s, 'attach_volume', ['active', 'paused', 'stopped', 'resized', 'soft-delete', 'shelved', 'shelved_offloaded']);
  const vol = c.store.volumes.get(volumeId);
  if (!vol || (!c.auth.isAdmin && vol.projectId !== c.projectId)) throw notFound(`Volume ${volumeId} could not be found.`);
  if (vol.status !== 'available') throw badRequest(`Invalid volume: volume '${vol.id}' status must be 'available'. Currently in '${vol.status}'`);
  const device = str(b['device']) || nextDevice(c.store, s);
  recordAttachment(c.store, s, vol, device);
  vol.status = 'attaching';
  c.cloud.clock.after(c.cloud.knobs.actionMs, () => {
    if (vol.status === 'attaching' && attachmentOn(vol, s.id)) vol.status = 'in-use';
  });
  return json(200, { volumeAttachment: view(c, s, vol) });
}

/** `DELETE .../os-volume_attachments/{volume}`: 202, `detaching`, then `available` and gone from the server. */
function detach(c: NovaCall): SimReply {
  const s = serverOf(c, c.req.params['id']);
  const vol = attachedVolume(c, s);
  if (s.imageId === '' && attachmentOn(vol, s.id)?.device === '/dev/vda') throw badRequest("Can't detach root device volume");
  checkState(s, 'detach_volume', ['active', 'paused', 'stopped', 'resized', 'soft-delete', 'shelved', 'shelved_offloaded']);
  vol.status = 'detaching';
  c.cloud.clock.after(c.cloud.knobs.actionMs, () => {
    if (c.store.volumes.get(vol.id) !== vol) return;
    dropAttachment(c.store, s, vol);
    computeState(c.store).deleteOnTermination.get(s.id)?.delete(vol.id);
  });
  return empty(202);
}

/** os-volume_attachments (legacy-apis.md §2.6), sharing Cinder's volume records. */
export function volumeAttachmentRoutes(): NovaRoute[] {
  return [
    { method: 'GET', path: '/servers/{id}/os-volume_attachments', auth: 'token', handler: list },
    { method: 'POST', path: '/servers/{id}/os-volume_attachments', auth: 'token', handler: attach },
    { method: 'GET', path: '/servers/{id}/os-volume_attachments/{volume}', auth: 'token', handler: (c) => { const s = serverOf(c, c.req.params['id']); return json(200, { volumeAttachment: view(c, s, attachedVolume(c, s)) }); } },
    { method: 'DELETE', path: '/servers/{id}/os-volume_attachments/{volume}', auth: 'token', handler: detach },
  ];
}
