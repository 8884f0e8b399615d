import type { SimService, SimServiceModule } from '../../cloud/service.js';
import { versionRoutes } from './versions.js';

/**
 * Keystone. `/identity` is the public endpoint (port 5000): v3, and on legacy profiles v2.0
 * tokens and the caller's own tenants. `/identity-admin` is the legacy admin endpoint (port
 * 35357): the v2.0 admin API and v3. Modern profiles serve v3 only (v2.0 gives 404).
 */
export const identityModule: SimServiceModule = {
  name: 'identity',
  create(cloud, profile) {
    const services: SimService[] = [
      { name: 'identity', errorStyle: 'keystone', routes: [...versionRoutes(() => cloud.serviceUrl('identity'), cloud, true)] },
    ];
    if (profile.keystoneV2) {
      services.push({ name: 'identity-admin', errorStyle: 'keystone', routes: [...versionRoutes(() => cloud.serviceUrl('identity-admin'), cloud, true)] });
    }
    return services;
  },
};
