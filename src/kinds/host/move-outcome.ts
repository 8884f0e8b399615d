import { PumphouseError } from '../../errors/index.js';
import { isNotFound, type Cloud, type Server } from '../../openstack/index.js';
import { capacityError, roomElsewhere, saysNoValidHost } from './capacity.js';
import type { Evacuation } from './live-migrate.js';

/** The server now, or null when it was deleted. */
export async function serverOrNull(cloud: Cloud, id: string): Promise<Server | null> {
  try {
    return await cloud.compute.servers.get(id);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/**
 * Why Nova put the server back on the host after accepting a move (`live migration` or `cold
 * migration`): PH_CAPACITY when no other host has room for it, else PH_CLOUD_OBJECT_FAILED
 * pointing at the server's events.
 */
export async function rolledBack(e: Evacuation, cloud: Cloud, server: Server, move: string): Promise<PumphouseError> {
  if (saysNoValidHost(server.fault?.message)) return capacityError(e.address, server, e.host, server.fault!.message);
  const room = await roomElsewhere(cloud, e.host, server).catch(() => 'unknown' as const);
  if (room === 'none') return capacityError(e.address, server, e.host, `Nova rolled the ${move} back and no other enabled host has room for its flavor`);
  return new PumphouseError(
    'PH_CLOUD_OBJECT_FAILED',
    `${e.address}: Nova rolled back the ${move} of server ${server.name} (${server.id}) off host ${e.host}; it is ${server.status} there again` +
      ` (see \`openstack server event list ${server.id}\` for the reason)`,
    { address: e.address, details: { server_id: server.id, host: e.host, room } },
  );
}

/** PH_PRECONDITION_FAILED: the server is in a state no move of ours takes. */
export function unmovable(e: Evacuation, server: Server, what: string): PumphouseError {
  return new PumphouseError('PH_PRECONDITION_FAILED', `${e.address}: server ${server.name} (${server.id}) on host ${e.host} ${what}: neither live nor cold migration can move it`, {
    address: e.address,
    details: { server_id: server.id, host: e.host, status: server.status },
  });
}

/** PH_CLOUD_OBJECT_FAILED: the server went into ERROR while it moved. */
export function wentError(e: Evacuation, server: Server, move: string, message: string): PumphouseError {
  return new PumphouseError('PH_CLOUD_OBJECT_FAILED', `${e.address}: server ${server.name} (${server.id}) went into ERROR during its ${move} off host ${e.host}: ${message}`, {
    address: e.address,
    details: { server_id: server.id, host: e.host },
  });
}
