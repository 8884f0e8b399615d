import type { ErrorStyle } from '../http/errors.js';
import type { Route } from '../http/router.js';
import type { Profile } from '../profile.js';
import type { CloudContext, ServiceName } from './context.js';

/**
 * One simulated OpenStack service mounted under `/<name>` of a cloud's server. The framework
 * strips the prefix, counts the request, applies latency and faults, checks the token for
 * `auth: 'token' | 'admin'` routes, calls the handler and renders thrown SimHttpErrors in
 * `errorStyle`.
 */
export interface SimService {
  readonly name: ServiceName;
  /** Error body format; a function when it depends on the path (e.g. `/v1` vs `/v2`). */
  readonly errorStyle: ErrorStyle | ((path: string) => ErrorStyle);
  /** The route table, built once when the cloud starts. */
  readonly routes: readonly Route[];
}

/**
 * A service module: given a cloud, its service(s), or none when the profile has no such service
 * (e.g. Neutron on a nova-network profile). Registered in src/sim/services/index.ts.
 */
export interface SimServiceModule {
  readonly name: string;
  create(cloud: CloudContext, profile: Profile): readonly SimService[];
}
