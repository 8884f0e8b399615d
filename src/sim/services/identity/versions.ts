import type { CloudContext } from '../../cloud/context.js';
import { json } from '../../http/reply.js';
import type { Route } from '../../http/router.js';

const V3_MEDIA = [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }];
const V2_MEDIA = [{ base: 'application/json', type: 'application/vnd.openstack.identity-v2.0+json' }];

function v3(cloud: CloudContext, base: string) {
  const modern = cloud.profile.release === 'modern';
  return {
    id: modern ? 'v3.14' : cloud.profile.release === 'juno' ? 'v3.0' : 'v3.0',
    status: 'stable',
    updated: modern ? '2020-04-07T00:00:00Z' : '2013-03-06T00:00:00Z',
    links: [{ rel: 'self', href: `${base}/v3/` }],
    'media-types': V3_MEDIA,
  };
}

function v2(base: string) {
  return {
    id: 'v2.0',
    status: 'stable',
    updated: '2014-04-17T00:00:00Z',
    links: [{ rel: 'self', href: `${base}/v2.0/` }, { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' }],
    'media-types': V2_MEDIA,
  };
}

/** `GET /` (300 Multiple Choices), `GET /v3`, `GET /v2.0`: Keystone's version documents. */
export function versionRoutes(base: () => string, cloud: CloudContext, withV3: boolean): Route[] {
  const p = cloud.profile;
  const routes: Route[] = [
    {
      method: 'GET',
      path: '/',
      auth: 'none',
      handler: () => {
        const values = [...(withV3 && p.keystoneV3 ? [v3(cloud, base())] : []), ...(p.keystoneV2 ? [v2(base())] : [])];
        return json(300, { versions: { values } }, { Location: `${base()}/${withV3 && p.keystoneV3 ? 'v3' : 'v2.0'}/` });
      },
    },
  ];
  if (withV3 && p.keystoneV3) routes.push({ method: 'GET', path: '/v3', auth: 'none', handler: () => json(200, { version: v3(cloud, base()) }) });
  if (p.keystoneV2) routes.push({ method: 'GET', path: '/v2.0', auth: 'none', handler: () => json(200, { version: v2(base()) }) });
  return routes;
}
