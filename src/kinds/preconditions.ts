import type { Precondition } from '../plan/index.js';
import type { Facts, PreconditionReader, ServiceContext } from './contract.js';
import { cinderFacts, glanceFacts } from './preconditions/data.js';
import { fuelFacts } from './preconditions/fuel.js';
import { keystoneFacts } from './preconditions/keystone.js';
import { neutronFacts } from './preconditions/neutron.js';
import { novaFacts } from './preconditions/nova.js';
import { badRef, parseRef } from './preconditions/ref.js';

/**
 * Reads the facts behind every precondition ref the planner writes, afresh from the cloud
 * the precondition names (the admin session; Fuel through the apply's Nailgun client).
 * Facts use the Inventory's field names (`ramMb`, `macAddress`, `attachedTo`...), which is
 * what the planner pins; lists are comma-joined as the planner joins them. Services:
 * `keystone`, `nova` (nova-network included), `neutron`, `glance`, `cinder`, `fuel`.
 */
export function preconditionReader(): PreconditionReader {
  return {
    async read(p: Precondition, ctx: ServiceContext): Promise<Facts | null> {
      const ref = parseRef(p.ref);
      if (p.cloud === 'fuel' || ref.service === 'fuel') {
        if (ref.service !== 'fuel' || p.cloud !== 'fuel') throw badRef(p.ref, `is read from the ${p.cloud} side, which does not hold it`);
        return fuelFacts(await ctx.clouds.fuel(), ref, p.ref);
      }
      const cloud = p.cloud === 'source' ? await ctx.clouds.source() : await ctx.clouds.destination();
      switch (ref.service) {
        case 'keystone':
          return keystoneFacts(cloud, ref, p.ref);
        case 'nova':
          return novaFacts(cloud, ref, p.ref);
        case 'neutron':
          return neutronFacts(cloud, ref, p.ref);
        case 'glance':
          return glanceFacts(cloud, ref, p.ref);
        case 'cinder':
          return cinderFacts(cloud, ref, p.ref);
        default:
          throw badRef(p.ref, 'names a service pumphouse does not read');
      }
    },
  };
}
