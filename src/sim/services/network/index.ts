import type { CloudContext } from '../../cloud/context.js';
import type { SimServiceModule } from '../../cloud/service.js';
import { notFound } from '../../http/errors.js';
import { json } from '../../http/reply.js';
import type { Route } from '../../http/router.js';
import type { Profile } from '../../profile.js';
import { v2Routes, type NeutronRoute } from './call.js';
import { extensionsOf } from './extensions.js';
import { floatingIpRoutes } from './floating-ips.js';
import { networkRoutes } from './networks.js';
import { portRoutes } from './ports.js';
import { quotaRoutes } from './quotas.js';
import { rbacPolicyRoutes } from './rbac-policies.js';
import { routerInterfaceRoutes } from './router-interfaces.js';
import { routerRoutes } from './routers.js';
import { securityGroupRuleRoutes } from './security-group-rules.js';
import { securityGroupRoutes } from './security-groups.js';
import { subnetRoutes } from './subnets.js';
import { tagRoutes } from './tags.js';

export { ensureDefaultGroup } from './default-group.js';
export { RangesPool } from './addresses.js';

const COLLECTIONS = ['networks', 'subnets', 'ports', 'routers', 'floatingips', 'security-groups', 'security-group-rules', 'quotas', 'extensions'];

function versionRoutes(cloud: CloudContext, p: Profile): Route[] {
  const base = () => cloud.serviceUrl('network');
  const routes: Route[] = [
    { method: 'GET', path: '/', auth: 'none', handler: () => json(200, { versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ rel: 'self', href: `${base()}/v2.0/` }] }] }) },
  ];
  // Legacy Neutron answered `GET /v2.0` with its resource list; Zed answers 404.
  if (!p.neutronModernApi) {
    routes.push({
      method: 'GET',
      path: '/v2.0',
      auth: 'token',
      handler: () => json(200, { resources: COLLECTIONS.map((c) => ({ links: [{ href: `${base()}/v2.0/${c}`, rel: 'self' }], name: c.replace(/s$/, '').replace(/-/g, '_'), collection: c })) }),
    });
  }
  return routes;
}

function extensionRoutes(p: Profile): NeutronRoute[] {
  return [
    { method: 'GET', path: '/extensions', handler: () => json(200, { extensions: extensionsOf(p) }) },
    {
      method: 'GET',
      path: '/extensions/{alias}',
      handler: (c) => {
        const e = extensionsOf(p).find((x) => x.alias === c.req.params['alias']);
        if (!e) throw notFound(`Extension with alias ${c.req.params['alias']} does not exist`);
        return json(200, { extension: e });
      },
    },
  ];
}

/**
 * Neutron v2.0 (legacy-apis.md §5) on Neutron profiles, mounted at `/network`; nothing on
 * nova-network profiles. Records are the store's shared tables: Nova's server create binds the
 * same port records (device_id, `compute:<az>`, binding:host_id, ACTIVE) that this module
 * renders, and Nova's addresses read the floating IPs made here.
 */
export const networkModule: SimServiceModule = {
  name: 'network',
  create(cloud, profile) {
    if (!profile.neutron) return [];
    const neutron: NeutronRoute[] = [
      ...extensionRoutes(profile),
      ...networkRoutes(),
      ...subnetRoutes(),
      ...portRoutes(),
      ...routerInterfaceRoutes(),
      ...routerRoutes(),
      ...floatingIpRoutes(),
      ...securityGroupRoutes(),
      ...securityGroupRuleRoutes(),
      ...quotaRoutes(profile.neutronModernApi),
      ...(profile.neutronModernApi ? tagRoutes() : []),
      ...(profile.neutronRbac ? rbacPolicyRoutes() : []),
    ];
    return [{ name: 'network', errorStyle: 'neutron', routes: [...versionRoutes(cloud, profile), ...v2Routes(neutron)] }];
  },
};
