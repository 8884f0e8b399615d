import type { SimServiceModule } from '../../cloud/service.js';
import type { Route } from '../../http/router.js';
import { actionRoutes } from './actions.js';
import { mountCinder, type CinderRoute, type CinderVersion } from './call.js';
import { metadataRoutes } from './metadata.js';
import { quotaRoutes } from './quotas.js';
import { snapshotRoutes } from './snapshots.js';
import { typeRoutes } from './types.js';
import { versionDocument } from './versions.js';
import { volumeRoutes } from './volumes.js';
import { zoneRoutes } from './zones.js';

/**
 * Cinder (legacy-apis.md §4) at `/volume`: `/v1/{tenant_id}` and `/v2/{tenant_id}` on legacy
 * profiles, `/v3/{project_id}` with microversions up to 3.70 on modern. Volumes (create from
 * nothing, an image, a snapshot or a volume; lifecycles on the clock), metadata, actions
 * (upload to image, the attach family, extend, reset status, bootable, force delete),
 * snapshots, types (extra specs, access), quotas, limits, zones, services. Volume and image
 * records are the store's shared tables (Nova attaches and snapshots the same volumes).
 */
export const volumeModule: SimServiceModule = {
  name: 'volume',
  create(cloud, profile) {
    // `cinder-manage db sync` of Train+ makes the default type with this description.
    for (const t of cloud.store.volumeTypes.values()) if (t.name === '__DEFAULT__' && t.description === null) t.description = 'Default Volume Type';
    const routes: CinderRoute[] = [
      ...volumeRoutes(),
      ...metadataRoutes(),
      ...actionRoutes(),
      ...snapshotRoutes(),
      ...typeRoutes(profile),
      ...quotaRoutes(),
      ...zoneRoutes(),
    ];
    const all: Route[] = [{ method: 'GET', path: '/', auth: 'none', handler: () => versionDocument(cloud, profile) }];
    for (const v of profile.cinderVersions) all.push(...mountCinder(routes, Number(v) as CinderVersion, profile));
    return [{ name: 'volume', errorStyle: 'cinder', routes: all }];
  },
};
