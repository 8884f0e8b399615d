import type { SimService, SimServiceModule } from '../../cloud/service.js';
import { badRequest } from '../../http/errors.js';
import { json } from '../../http/reply.js';
import type { Route } from '../../http/router.js';
import type { Profile } from '../../profile.js';
import { BASIC_ACTIONS, serverActions } from './actions.js';
import { aggregateRoutes } from './aggregates.js';
import { AddressBook } from './addresses.js';
import { createServer } from './boot.js';
import { bodyOf, mountNova, str, type NovaRoute } from './context.js';
import { flavorRoutes } from './flavors.js';
import { hypervisorRoutes } from './hypervisors.js';
import { interfaceRoutes } from './interfaces.js';
import { keypairRoutes } from './keypairs.js';
import { serverOf } from './lookup.js';
import { migrationRoutes } from './migrations.js';
import { coldMigrate, confirmResize, evacuate, liveMigrate } from './moves.js';
import { addNovaNetworkDefaults } from './nova-network/defaults.js';
import { fixedIpRoutes } from './nova-network/fixed-ips.js';
import { addFloatingIp, floatingIpRoutes, removeFloatingIp } from './nova-network/floating-ips.js';
import { networkRoutes } from './nova-network/networks.js';
import { addSecurityGroup, removeSecurityGroup, securityGroupRoutes } from './nova-network/security-groups.js';
import { quotaRoutes } from './quotas.js';
import { serverView } from './render-server.js';
import { serverGroupRoutes } from './server-groups.js';
import { listServers } from './server-list.js';
import { serverMetadataRoutes } from './server-metadata.js';
import { deleteServer, serverIps, showServer } from './servers.js';
import { addControllerServices, serviceRoutes } from './services.js';
import { createImage } from './snapshot.js';
import { discoveryRoutes, versionRoutes } from './versions.js';
import { volumeAttachmentRoutes } from './volume-attachments.js';

const ACTIONS = {
  ...BASIC_ACTIONS,
  createImage,
  'os-migrateLive': liveMigrate,
  migrate: coldMigrate,
  confirmResize,
  evacuate,
  addFloatingIp,
  removeFloatingIp,
  addSecurityGroup,
  removeSecurityGroup,
};

/** The compute routes of a profile, relative to an API root (extensions the release lacks are left out: 404). */
export function computeRoutes(profile: Profile): NovaRoute[] {
  return [
    { method: 'GET', path: '/servers', auth: 'token', handler: listServers(false) },
    { method: 'GET', path: '/servers/detail', auth: 'token', handler: listServers(true) },
    { method: 'POST', path: '/servers', auth: 'token', handler: createServer },
    { method: 'GET', path: '/servers/{id}', auth: 'token', handler: showServer },
    {
      method: 'PUT',
      path: '/servers/{id}',
      auth: 'token',
      handler: async (c) => {
        const s = serverOf(c, c.req.params['id']);
        const b = await bodyOf(c, 'server');
        const name = str(b['name']);
        if (b['name'] !== undefined && (name === undefined || name.trim() === '')) throw badRequest('Server name is not defined');
        if (name !== undefined) s.name = name;
        if (str(b['accessIPv4']) !== undefined) s.accessIPv4 = str(b['accessIPv4'])!;
        if (str(b['accessIPv6']) !== undefined) s.accessIPv6 = str(b['accessIPv6'])!;
        if (c.mv >= 19 && 'description' in b) s.description = str(b['description']) ?? null;
        s.updatedAt = c.store.now();
        return json(200, { server: serverView(c, s, new AddressBook(c.store, new Set([s.id]))) });
      },
    },
    { method: 'DELETE', path: '/servers/{id}', auth: 'token', handler: deleteServer },
    { method: 'POST', path: '/servers/{id}/action', auth: 'token', handler: serverActions(ACTIONS) },
    { method: 'GET', path: '/servers/{id}/ips', auth: 'token', handler: serverIps },
    ...serverMetadataRoutes(),
    ...volumeAttachmentRoutes(),
    ...interfaceRoutes(),
    ...flavorRoutes(),
    ...keypairRoutes(),
    ...quotaRoutes(),
    ...hypervisorRoutes(),
    ...serviceRoutes(),
    ...aggregateRoutes(),
    ...(profile.novaServerGroups ? serverGroupRoutes() : []),
    ...migrationRoutes(),
    ...networkRoutes(),
    ...fixedIpRoutes(),
    ...floatingIpRoutes(),
    ...securityGroupRoutes(),
    ...discoveryRoutes(),
  ];
}

/**
 * Nova, nova-network included, for every profile: `/compute/v2/{tenant_id}` on legacy clouds,
 * Juno's experimental `/compute/v2.1/{tenant_id}` (no microversions), modern `/compute/v2.1`
 * with microversions up to the profile's maximum. Errors in Nova's fault style. On start it
 * adds the controller's services (scheduler, conductor, nova-network) and, on a VLAN cloud
 * without networks, the unassociated networks a deployment creates.
 */
export const computeModule: SimServiceModule = {
  name: 'compute',
  create(cloud, profile) {
    addControllerServices(cloud.store, cloud.name);
    addNovaNetworkDefaults(cloud.store);
    const routes = computeRoutes(profile);
    const mounted: Route[] = versionRoutes(profile, (root, r) => mountNova(r, root, profile));
    for (const root of profile.novaVersions) mounted.push(...mountNova(routes, root, profile));
    const service: SimService = { name: 'compute', errorStyle: 'nova', routes: mounted };
    return [service];
  },
};
