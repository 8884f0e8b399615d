import { empty, json, type SimReply } from '../../http/reply.js';
import type { SimStore } from '../../store/store.js';
import type { ServerRecord } from '../../store/types/compute.js';
import { AddressBook } from './addresses.js';
import type { NovaCall } from './context.js';
import { serverOf } from './lookup.js';
import { unplugNics } from './nics.js';
import { serverView } from './render-server.js';
import { computeState, rememberDeleted } from './state.js';
import { POWER } from './status.js';
import { dropAttachment } from './volumes.js';

/** `GET /servers/{id}`. */
export function showServer(c: NovaCall): SimReply {
  const s = serverOf(c, c.req.params['id']);
  return json(200, { server: serverView(c, s, new AddressBook(c.store, new Set([s.id]))) });
}

/** `GET /servers/{id}/ips`: the addresses map alone. */
export function serverIps(c: NovaCall): SimReply {
  const s = serverOf(c, c.req.params['id']);
  return json(200, { addresses: new AddressBook(c.store, new Set([s.id])).addressesOf(s) });
}

/**
 * `DELETE /servers/{id}`: 204 at once, task_state `deleting`, gone (404) after `deleteMs`.
 * Deleting a server already being deleted is accepted again.
 */
export function deleteServer(c: NovaCall): SimReply {
  const s = serverOf(c, c.req.params['id']);
  if (s.taskState !== 'deleting') {
    s.taskState = 'deleting';
    s.updatedAt = c.store.now();
    c.cloud.clock.after(c.cloud.knobs.deleteMs, () => destroyServer(c.store, s));
  }
  return empty(204);
}

/**
 * What Nova does when a server goes away: deletes the ports it made (keeps and unbinds the
 * others), frees fixed IPs, detaches volumes (deleting those marked delete_on_termination),
 * leaves server groups, and keeps a soft-deleted row for `changes-since`.
 */
export function destroyServer(store: SimStore, s: ServerRecord): void {
  if (store.servers.get(s.id) !== s) return;
  unplugNics(store, s);
  const st = computeState(store);
  const dot = st.deleteOnTermination.get(s.id);
  for (const id of [...s.volumes]) {
    const vol = store.volumes.get(id);
    if (!vol) continue;
    dropAttachment(store, s, vol);
    if (dot?.has(id) && vol.attachments.length === 0) {
      store.blobs.release(vol.data);
      store.volumes.delete(id);
    }
  }
  for (const g of store.serverGroups.values()) {
    const i = g.members.indexOf(s.id);
    if (i >= 0) g.members.splice(i, 1);
  }
  st.deleteOnTermination.delete(s.id);
  st.adminPass.delete(s.id);
  s.vmState = 'deleted';
  s.taskState = null;
  s.powerState = POWER.nostate;
  s.updatedAt = store.now();
  store.servers.delete(s.id);
  rememberDeleted(store, s);
}
