/**
 * OpenStack clients on undici: one Session per cloud (Keystone v2.0/v3, catalog, token
 * renewal, retries, timeouts, typed errors) and one client per service answering
 * normalized records (see types/). Start with openCloud().
 */
export type { CloudCredentials } from './credentials.js';
export { openCloud, type Cloud, type CloudCapabilities } from './cloud.js';
export { Session, type SessionOptions } from './session/session.js';
export type { CloudRequest, CloudResponse, CloudStreamResponse, CallInfo, HttpMethod } from './session/request.js';
export type { CatalogEntry, EndpointFilter, EndpointInterface } from './session/catalog.js';
export type { IdentityVersion } from './session/identity-discovery.js';
export { CloudHttpError, CloudTransportError, isCloudHttpError, isNotFound, isAmbiguous, type CloudCallFacts } from './errors.js';
export { parseErrorBody, type CloudFault } from './http/error-body.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './http/retry-policy.js';
export { DEFAULT_TIMEOUTS, type Timeouts } from './http/timeouts.js';
export type { Query, QueryValue } from './http/url.js';
export { ServiceApi, type CallOptions } from './service-api.js';
export { pages, type ListSpec, type Paging } from './pagination.js';

export { openIdentity, isTruncated, listLimitSetting } from './identity/index.js';
export type {
  IdentityClient,
  ProjectsApi,
  UsersApi,
  RolesApi,
  RoleAssignmentsApi,
  ProjectFilter,
  RoleAssignmentFilter,
} from './identity/identity-client.js';
export { ComputeClient } from './compute/compute-client.js';
export type { Servers, LiveMigrateOptions, EvacuateOptions } from './compute/servers.js';
export type { Flavors } from './compute/flavors.js';
export type { Keypairs, KeypairInput, KeypairOwner } from './compute/keypairs.js';
export type { Hypervisors, HypervisorServers, ComputeServices, ServiceRef, MigrationFilter } from './compute/hosts.js';
export type { ServerGroups } from './compute/server-groups.js';
export type { QuotaSets } from './compute/quotas.js';
export { compareMicroversions } from './compute/microversion.js';
export { NovaNetworkClient } from './nova-network/nova-network-client.js';
export { imageClient, glanceVersion, type ImageClient, type ImageDownload, type TransferOptions } from './image/index.js';
export { VolumeClient, type VolumeFilter, type UploadToImageOptions } from './volume/volume-client.js';
export { pickVolumeEndpoint, type VolumeEndpoint } from './volume/endpoint.js';
export { NetworkClient, type RouterInterface, type TaggableCollection } from './network/network-client.js';
export type { NeutronCollection } from './network/collection.js';
export type * from './network/inputs.js';
export type * from './types/index.js';
