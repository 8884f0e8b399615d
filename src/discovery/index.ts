/**
 * Discovery: the Inventory of a live cloud (and of Fuel) through the project's clients,
 * read-only, with a number of API calls that grows with kinds, pages and the manifest's
 * scope, never with the number of objects. Start with discover().
 */
export { discover, discoverCloud, type DiscoverInput, type Discovery } from './discover.js';
export { CloudDiscovery, type CallReport, type DiscoveredCloud } from './cloud-discovery.js';
export { discoverFuel, fuelInventory, type FuelReader, type FuelClusterFacts, type FuelNodeFacts, type FuelReleaseFacts, type FuelDiscoveryOptions } from './fuel.js';
export { assembleInventory, type AssembleInput } from './assemble.js';
export { CallLedger, readOnlyCloud, type LedgerEntry, type ReadOnlyCloud } from './read-only.js';
export { destinationScope, everything, sourceProjects, sourceUsers, type SourceScope } from './scope.js';
export { inferRelease } from './release.js';
export type { Survey, NeutronSurvey, NovaNetworkSurvey } from './survey.js';
export type { Details } from './details.js';
export { DEFAULT_CONCURRENCY, type CloudScope, type CloudTarget, type DiscoveryNote, type DiscoveryOptions } from './types.js';
