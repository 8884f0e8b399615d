import { PumphouseError, toPumphouseError } from '../../errors/index.js';
import { markerEntries } from '../../inventory/marker.js';
import type { ServerInput } from '../../openstack/index.js';
import type { StepResult } from '../contract.js';
import type { AfterValues } from '../common/after.js';
import { createOnce } from '../common/create-once.js';
import { markerOf } from '../common/marker.js';
import { afterValues, recordedString, type DataStep } from '../image/data-step.js';
import { withOwnersKeypair, type KeypairLocks } from './boot-keypair.js';
import { deleteServer, findServerCopy } from './server-copy.js';
import { changePower, waitServer } from './source-power.js';

/** Output of `snapshot`/`transfer` when the destination server exists already. */
export const NO_IMAGE = 'none';

/**
 * `boot`: the destination server, booted in the tenant's project (tenant-scoped admin
 * token: Nova finds the project's networks and groups) on the ports the port actions made
 * (same fixed IPs and MACs), with the mapped flavor, the copied snapshot image or the
 * migrated root volume, the owner's keypair (lent to the admin for the request, see
 * withOwnersKeypair), the metadata and the marker; waits until it is ACTIVE, then brings it
 * to the planned power state (SHUTOFF when the source was). A marked server found from an
 * earlier run is adopted (waited for if still building); one in ERROR is deleted (freeing
 * its ports) and booted again; one that goes into ERROR now is deleted and the step fails
 * with Nova's fault.
 */
export async function bootServer(s: DataStep, locks: KeypairLocks): Promise<StepResult> {
  const a = await afterValues(s);
  const projectId = a.str('project_id');
  const name = a.str('name');
  const destination = await s.ctx.clouds.destination();
  const scoped = await s.ctx.clouds.scoped('destination', projectId);
  const timeoutS = s.settings.bootTimeoutS;
  let found = await findServerCopy(s, destination, projectId, name);
  if (found?.status === 'ERROR') {
    await deleteServer(s, destination, found.id, timeoutS);
    found = undefined;
  }
  let id = found?.id;
  if (!id) {
    const input = bootInput(s, a);
    await s.ctx.remember({ name });
    const key = { name: a.optStr('key_name'), ownerId: a.optStr('keypair_user_id') };
    const made = await withOwnersKeypair(s, locks, scoped, destination, key, () =>
      createOnce(
        async () => (await findServerCopy(s, destination, projectId, name))?.id,
        async () => (await scoped.compute.servers.create(input)).id,
      ),
    );
    id = made.value;
    await s.ctx.remember({ name, server_id: id });
  }
  const servers = destination.compute.servers;
  let sv;
  try {
    sv = await waitServer(s, servers, id, `destination server ${id} to boot`, found ? ['ACTIVE', 'SHUTOFF'] : ['ACTIVE'], timeoutS);
  } catch (err) {
    // A server in ERROR holds the ports: delete it, so that the next attempt can boot on them.
    if (toPumphouseError(err).code === 'PH_CLOUD_OBJECT_FAILED') await deleteServer(s, destination, id, timeoutS).catch(() => undefined);
    throw err;
  }
  const planned = a.optStr('status') === 'SHUTOFF' ? 'SHUTOFF' : 'ACTIVE';
  if (planned === 'SHUTOFF' && sv.status === 'ACTIVE') sv = await changePower(s, servers, id, 'stop', timeoutS, 'destination');
  if (planned === 'ACTIVE' && sv.status === 'SHUTOFF') sv = await changePower(s, servers, id, 'start', timeoutS, 'destination');
  return { destinationId: id, outputs: { status: sv.status, ...(sv.host ? { host: sv.host } : {}) } };
}

function bootInput(s: DataStep, a: AfterValues): ServerInput {
  const ports = a.strings('ports');
  const groups = a.strings('security_groups');
  const keyName = a.optStr('key_name');
  const common = {
    name: a.str('name'),
    flavorId: a.str('flavor_id'),
    metadata: { ...a.stringMap('metadata'), ...markerEntries(markerOf(s.ctx)) },
    ...(ports.length > 0 ? { networks: ports.map((port) => ({ port })) } : {}),
    // Groups belong to the ports the server boots on (the port actions set them); Nova
    // applies requested groups only to ports it makes itself.
    ...(ports.length === 0 && groups.length > 0 ? { securityGroups: groups } : {}),
    ...(keyName ? { keyName } : {}),
    ...(a.bool('config_drive', false) ? { configDrive: true } : {}),
    ...(a.optStr('server_group') ? { serverGroupId: a.str('server_group') } : {}),
  };
  if (a.optStr('boot_from') === 'volume') {
    const root = a.str('root_volume_id');
    return {
      ...common,
      blockDevices: [{ bootIndex: 0, uuid: root, sourceType: 'volume', destinationType: 'volume', deleteOnTermination: false }],
    };
  }
  const imageId = recordedString(s, 'boot_image_id');
  if (!imageId || imageId === NO_IMAGE) {
    throw new PumphouseError('PH_INTERNAL', `${s.address}: no copied snapshot to boot from (transfer recorded none)`, { address: s.address, source: 'internal' });
  }
  return { ...common, imageId };
}
