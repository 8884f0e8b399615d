import { ServiceApi } from '../service-api.js';
import type { Session } from '../session/session.js';
import { ensureVersionSuffix } from '../http/url.js';
import type { IdentityClient } from './identity-client.js';
import { identityV2 } from './identity-v2.js';
import { identityV3 } from './identity-v3.js';

export type * from './identity-client.js';
export { isTruncated, listLimitSetting } from './truncated.js';

/**
 * The identity client for a session: v3 at the URL the session logged in with; v2.0 on the
 * catalog's admin endpoint (the v2.0 admin API lives only there), else the auth URL.
 */
export function openIdentity(session: Session): IdentityClient {
  if (session.identityVersion === '3') {
    return identityV3(new ServiceApi(session, 'identity', () => session.authUrl));
  }
  const base = (): string =>
    ensureVersionSuffix(session.hasEndpoint('identity', { interface: 'admin' }) ? session.endpoint('identity', { interface: 'admin' }) : session.authUrl, 'v2.0');
  return identityV2(new ServiceApi(session, 'identity', base));
}
