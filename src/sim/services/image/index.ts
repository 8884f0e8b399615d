import type { SimServiceModule } from '../../cloud/service.js';
import type { Route } from '../../http/router.js';
import { mountGlance, type GlanceRoute } from './call.js';
import { v1ImageRoutes } from './v1-images.js';
import { v1MemberRoutes } from './v1-members.js';
import { v2DataRoutes } from './v2-data.js';
import { v2ImageRoutes } from './v2-images.js';
import { v2MemberRoutes } from './v2-members.js';
import { v2PatchRoutes } from './v2-patch.js';
import { versionDocument } from './versions.js';

export { activate, insertImage, releaseData, rememberSums, stillThere, sumsOf, type DataSums, type NewImage } from './data.js';

/**
 * Glance (legacy-apis.md §3) at `/image`: v1 on legacy profiles (`x-image-meta-*` headers),
 * v2 on every profile (JSON-patch, streamed `/file`), members, tags. Images are the store's
 * shared records: Nova's createImage and Cinder's upload-to-image write the same table. Errors
 * are webob pages (errors.ts), so routes are mounted through `mountGlance`.
 */
export const imageModule: SimServiceModule = {
  name: 'image',
  create(cloud, profile) {
    const routes: GlanceRoute[] = [];
    if (profile.glanceV2) routes.push(...v2ImageRoutes(), ...v2PatchRoutes(), ...v2DataRoutes(), ...v2MemberRoutes());
    if (profile.glanceV1) routes.push(...v1ImageRoutes(), ...v1MemberRoutes());
    const all: Route[] = [{ method: 'GET', path: '/', auth: 'none', handler: () => versionDocument(cloud, profile) }, ...mountGlance(routes, profile)];
    return [{ name: 'image', errorStyle: 'glance', routes: all }];
  },
};
