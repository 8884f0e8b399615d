export type { CloudCredentials } from './credentials.js';
export { Session, type SessionOptions } from './session/session.js';
export type { CloudRequest, CloudResponse, CloudStreamResponse, CallInfo, HttpMethod } from './session/request.js';
export type { CatalogEntry, EndpointFilter, EndpointInterface } from './session/catalog.js';
export { CloudHttpError, CloudTransportError, isCloudHttpError, isNotFound, isAmbiguous, type CloudCallFacts } from './errors.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './http/retry-policy.js';
export { DEFAULT_TIMEOUTS, type Timeouts } from './http/timeouts.js';
