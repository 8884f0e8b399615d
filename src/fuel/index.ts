export type { FuelCredentials } from './credentials.js';
export { FuelClient, openFuel, type FuelCallOptions, type FuelNodeUpdate } from './client.js';
export type { FuelClientOptions, FuelRetryInfo } from './connection.js';
export { FuelHttpError, FuelTransportError, FuelTaskError, type FuelCallFacts } from './errors.js';
export { DEFAULT_FUEL_RETRY, type FuelRetryPolicy } from './retry.js';
export { parseFuelErrorBody } from './error-body.js';
export { nodeHasName, pickNodeByName, pickNodeByMacs, hasMacs, macSet } from './node-match.js';
export { waitForTask, waitForNode, waitForRediscovery, type WaitOptions, type TaskWaitOptions, type NodeWaitOptions } from './waits.js';
export { nicLayoutOf, diskLayoutOf, interfacesWithLayout, disksWithLayout, type NicLayout, type DiskLayout } from './layout.js';
export type {
  FuelNode,
  FuelNodeStatus,
  FuelNic,
  FuelCluster,
  FuelClusterStatus,
  FuelTask,
  FuelTaskStatus,
  FuelRelease,
  FuelInterface,
  FuelNetworkRef,
  FuelDisk,
  FuelNetworkGroup,
  FuelNetworkConfiguration,
  FuelVersion,
} from './types.js';
