import type { FuelClient } from '../../fuel/index.js';
import type { Facts } from '../contract.js';
import { badRef, facts, orNull, type ParsedRef } from './ref.js';

/** Fuel nodes by id: status, environment, online, and the sorted lower-case MAC set. */
export async function fuelFacts(fuel: Pick<FuelClient, 'node'>, ref: ParsedRef, raw: string): Promise<Facts | null> {
  if (ref.form !== 'path' || ref.collection !== 'nodes') throw badRef(raw, 'names no Fuel collection pumphouse reads');
  const id = Number(ref.id);
  if (!Number.isInteger(id)) throw badRef(raw, 'names no Fuel node id');
  const n = await orNull(() => fuel.node(id));
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

