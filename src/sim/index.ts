/** The OpenStack simulator: public names for tests, `pumphouse sim`, and service modules. */
export { startSimulator, startSimCloud, DEFAULT_SOURCE, DEFAULT_DESTINATION, type SimOptions, type Simulator, type FuelSpec } from './simulator.js';
export { SimCloud, type CloudSpec, type SimCloudOptions } from './cloud/sim-cloud.js';
export type { CloudContext, ServiceName } from './cloud/context.js';
export type { SimService, SimServiceModule } from './cloud/service.js';
export { buildCatalog, renderV2Catalog, renderV3Catalog, scopeCatalog, type CatalogService } from './cloud/catalog.js';
export { profileFor, parseProfile, SIM_RELEASES, SIM_NETWORKS, type Profile, type SimRelease, type SimNetwork } from './profile.js';
export { DEFAULT_KNOBS, mergeKnobs, type SimKnobs, type FaultRules, type FaultSpec } from './knobs.js';
export { SimClock } from './clock.js';
export { SimRandom } from './random.js';
export type { SimStats, SimLoggedRequest } from './stats.js';
export * from './http/index.js';
export * from './store/index.js';
export { TokenStore, isoMicros, isoSeconds, type TokenRecord } from './auth/tokens.js';
export { hashPassword, verifyPasswordHash, type HashCost, type HashScheme } from './auth/passwords.js';
export * from './generator/index.js';
