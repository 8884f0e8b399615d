import type { CloudContext } from '../cloud/context.js';
import type { AuthContext, SimRequest } from '../http/request.js';
import type { Profile } from '../profile.js';
import type { SimStore } from '../store/store.js';

/**
 * What the handlers of every simulated OpenStack service get about one request; each
 * service's call type (NovaCall, CinderCall, GlanceCall, NeutronCall) adds its own facts.
 */
export interface ServiceCall {
  readonly req: SimRequest;
  readonly cloud: CloudContext;
  readonly store: SimStore;
  readonly profile: Profile;
  /** The token's caller (routes with `auth: 'none'` never read it). */
  readonly auth: AuthContext;
  /**
   * The project the request acts in: the token's (`''` for a token without one), whatever
   * tenant the URL names (Nova and Cinder ignore it).
   */
  readonly projectId: string;
}
