import { PumphouseError } from '../../errors/index.js';
import type { FuelClient } from '../../fuel/index.js';
import type { Facts } from '../contract.js';
import { badRef, facts, orNull, type ParsedRef } from './ref.js';

/** Fuel nodes by id: status, environment, online, and the sorted lower-case MAC set. */
export async function fuelFacts(fuel: unknown, ref: ParsedRef, raw: string): Promise<Facts | null> {
  if (ref.form !== 'path' || ref.collection !== 'nodes') throw badRef(raw, 'names no Fuel collection pumphouse reads');
  const id = Number(ref.id);
  if (!Number.isInteger(id)) throw badRef(raw, 'names no Fuel node id');
  const n = await orNull(() => asFuel(fuel).node(id));
  return (
    n &&
    facts({
      id: n.id,
      hostname: n.hostname,
      status: n.status,
      clusterId: n.clusterId,
      online: n.online,
      macs: [...n.macs].map((m) => m.toLowerCase()).sort(),
      roles: [...n.roles],
    })
  );
}

// CloudAccess.fuel() is typed unknown until the contract names the Nailgun client.
function asFuel(fuel: unknown): Pick<FuelClient, 'node'> {
  if (typeof fuel === 'object' && fuel !== null && typeof (fuel as { node?: unknown }).node === 'function') return fuel as Pick<FuelClient, 'node'>;
  throw new PumphouseError('PH_INTERNAL', 'the Fuel access of this apply is not a Nailgun client', { source: 'internal' });
}
