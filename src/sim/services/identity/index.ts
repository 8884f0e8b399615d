import type { SimService, SimServiceModule } from '../../cloud/service.js';
import type { Route } from '../../http/router.js';
import { v2AdminRoutes } from './v2-admin.js';
import { v2TokenRoutes } from './v2-tokens.js';
import { v3AuthRoutes } from './v3-auth.js';
import { v3GrantRoutes } from './v3-grants.js';
import { v3ResourceRoutes } from './v3-resources.js';
import { versionRoutes } from './versions.js';

/**
 * Keystone. `/identity` is the public endpoint (port 5000): v3, and on legacy profiles v2.0
 * tokens and the caller's own tenants. `/identity-admin` is the legacy admin endpoint (port
 * 35357): the v2.0 admin API and v3. Modern profiles serve v3 only (v2.0 gives 404).
 */
export const identityModule: SimServiceModule = {
  name: 'identity',
  create(cloud, profile) {
    const v3: Route[] = profile.keystoneV3 ? [...v3AuthRoutes(), ...v3ResourceRoutes(), ...v3GrantRoutes()] : [];
    const services: SimService[] = [
      {
        name: 'identity',
        errorStyle: 'keystone',
        routes: [...versionRoutes(() => cloud.serviceUrl('identity'), cloud, true), ...(profile.keystoneV2 ? v2TokenRoutes(true) : []), ...v3],
      },
    ];
    if (profile.keystoneV2) {
      services.push({
        name: 'identity-admin',
        errorStyle: 'keystone',
        routes: [...versionRoutes(() => cloud.serviceUrl('identity-admin'), cloud, true), ...v2TokenRoutes(false), ...v2AdminRoutes(), ...v3],
      });
    }
    return services;
  },
};
