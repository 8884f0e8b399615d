import { badRequest, forbidden } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import type { VolumeRecord } from '../../store/types/volume.js';
import { boolParam, modern, str, type CinderCall, type CinderRoute } from './call.js';
import { ATTACH_ACTIONS, connectionInfo } from './attach.js';
import { touch } from './lifecycle.js';
import { volumeOf } from './lookup.js';
import { checkQuota } from './quotas.js';
import { uploadToImage } from './upload.js';
import { startDelete } from './volumes.js';

/** Statuses os-reset_status accepts. */
const STATUSES = ['creating', 'available', 'deleting', 'error', 'error_deleting', 'attaching', 'in-use', 'detaching', 'error_attaching', 'error_detaching', 'maintenance', 'reserved', 'uploading', 'downloading', 'backing-up', 'restoring-backup', 'error_restoring', 'extending', 'error_extending', 'retyping'];

type Action = (c: CinderCall, v: VolumeRecord, arg: Record<string, unknown>) => SimReply | Promise<SimReply>;

const accepted = (): SimReply => empty(202, { 'Content-Type': 'text/html; charset=UTF-8' });

function adminOnly(c: CinderCall): void {
  if (!c.isAdmin) throw forbidden('Policy does not allow this operation to be performed.');
}

/** `os-extend {new_size}`: bigger only, `available` only (in-use from 3.42), quota checked; `extending` then done. */
const extend: Action = (c, v, arg) => {
  const n = typeof arg['new_size'] === 'string' ? Number(arg['new_size']) : arg['new_size'];
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw badRequest(`Invalid input received: New size for extend must be specified as an integer.`);
  const ok = v.status === 'available' || (v.status === 'in-use' && c.mv >= 42);
  if (!ok) throw badRequest(`Invalid volume: Volume status must be 'available'${c.mv >= 42 ? " or 'in-use'" : ''} to extend, currently ${v.status}.`);
  if (n <= v.size) throw badRequest(`Invalid input received: New size for extend must be greater than current size. (current: ${v.size}, extended: ${n}).`);
  checkQuota(c, v.projectId, { gigabytes: n - v.size });
  const back = v.status;
  v.status = 'extending';
  touch(c.store, v);
  c.cloud.clock.after(c.cloud.knobs.actionMs, () => {
    if (c.store.volumes.get(v.id) !== v || v.status !== 'extending') return;
    v.size = n;
    v.status = back;
    touch(c.store, v);
  });
  return accepted();
};

/** `os-reset_status` (admin): any known status, optionally attach_status and migration_status. */
const resetStatus: Action = (c, v, arg) => {
  adminOnly(c);
  const status = str(arg['status']);
  const attach = str(arg['attach_status']);
  if (status === undefined && attach === undefined) throw badRequest('Must specify \'status\', \'attach_status\' or \'migration_status\' for update.');
  if (status !== undefined && !STATUSES.includes(status)) throw badRequest(`Must specify a valid status`);
  if (attach !== undefined && attach !== 'attached' && attach !== 'detached') throw badRequest('Must specify a valid attach status');
  if (status !== undefined) v.status = status;
  if (attach !== undefined) v.attachStatus = attach;
  if (modern(c) && arg['migration_status'] !== undefined) v.migrationStatus = str(arg['migration_status']) ?? null;
  touch(c.store, v);
  return accepted();
};

/** `os-set_bootable` (Juno+): 200. */
const setBootable: Action = (c, v, arg) => {
  if (arg['bootable'] === undefined) throw badRequest('Must specify bootable in request.');
  v.bootable = boolParam(arg['bootable'], 'bootable');
  touch(c.store, v);
  return empty(200, { 'Content-Type': 'text/html; charset=UTF-8' });
};

/** `os-force_delete` (admin): deletes whatever the status, unless attached. */
const forceDelete: Action = (c, v) => {
  adminOnly(c);
  if (v.attachments.length > 0) throw badRequest('Invalid volume: Volume must not be attached to be deleted.');
  startDelete(c, v);
  return accepted();
};

function actions(c: CinderCall): Record<string, Action> {
  const out: Record<string, Action> = {
    'os-volume_upload_image': uploadToImage,
    'os-extend': extend,
    'os-reset_status': resetStatus,
    'os-force_delete': forceDelete,
    'os-initialize_connection': (cc, v) => json(200, connectionInfo(cc, v)),
    'os-terminate_connection': () => accepted(),
  };
  for (const [name, act] of Object.entries(ATTACH_ACTIONS)) {
    out[name] = (cc, v, arg) => {
      if (name === 'os-force_detach') adminOnly(cc);
      act(cc, v, arg);
      return accepted();
    };
  }
  if (c.profile.cinderSetBootable) out['os-set_bootable'] = setBootable;
  return out;
}

/** `POST /volumes/{id}/action {"<name>": {...}}`: an unknown action is Cinder's 400. */
async function dispatch(c: CinderCall): Promise<SimReply> {
  const v = volumeOf(c, c.req.params['id']);
  const b = await c.req.json<Record<string, unknown>>();
  const name = Object.keys(b ?? {})[0];
  const act = name === undefined ? undefined : actions(c)[name];
  if (!act) {
    throw badRequest(modern(c) ? `There is no such action: ${name ?? 'None'}. Verify the request body and Content-Type header and try again.` : `There is no such action: ${name ?? 'None'}`);
  }
  const raw = b[name!];
  const arg = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  return act(c, v, arg);
}

export function actionRoutes(): CinderRoute[] {
  return [{ method: 'POST', path: '/volumes/{id}/action', handler: dispatch }];
}
