import type { CloudContext } from '../../cloud/context.js';
import { json, type SimReply } from '../../http/reply.js';
import type { Profile } from '../../profile.js';

/** Cinder's version list at its root (300): v1 and v2 on legacy clouds, v3 with its microversion range on modern. */
export function versionDocument(cloud: CloudContext, p: Profile): SimReply {
  const base = cloud.serviceUrl('volume');
  const doc = (n: string, status: string, extra: Record<string, unknown> = {}) => ({
    id: `v${n}.0`, status, ...extra, updated: '2014-06-28T12:20:21Z',
    links: [{ rel: 'describedby', type: 'text/html', href: 'https://docs.openstack.org/' }, { rel: 'self', href: `${base}/v${n}/` }],
    'media-types': [{ base: 'application/json', type: `application/vnd.openstack.volume+json;version=${n}` }],
  });
  const versions = p.cinderVersions.map((v) => (v === '3' ? doc('3', 'CURRENT', { version: p.cinderMaxMicroversion ?? '3.0', min_version: '3.0' }) : doc(v, v === '1' ? 'SUPPORTED' : 'CURRENT', { version: '', min_version: '' })));
  return json(300, { versions });
}
