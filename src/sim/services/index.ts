import type { SimServiceModule } from '../cloud/service.js';
import { computeModule } from './compute/index.js';
import { identityModule } from './identity/index.js';
import { imageModule } from './image/index.js';
import { networkModule } from './network/index.js';
import { volumeModule } from './volume/index.js';

/**
 * The registration point: every service module a simulated cloud mounts. To add a service,
 * write `services/<kind>/index.ts` exporting a SimServiceModule and add it to this list (one
 * import, one entry). Order does not matter: prefixes do not overlap.
 *
 * Folders owned by the service authors: compute/ (Nova + nova-network), image/ (Glance),
 * volume/ (Cinder), network/ (Neutron).
 */
export const SERVICE_MODULES: readonly SimServiceModule[] = [identityModule, computeModule, networkModule, imageModule, volumeModule];
