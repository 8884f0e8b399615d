import type { CloudContext } from '../../cloud/context.js';
import { json, type SimReply } from '../../http/reply.js';
import type { Profile } from '../../profile.js';

/** Glance's version list (`GET /`, 300 Multiple Choices): Zed's v2.0-v2.16, or legacy v2.0-2.2 + v1.0/1.1. */
export function versionDocument(cloud: CloudContext, p: Profile): SimReply {
  const base = cloud.serviceUrl('image');
  const v2 = p.glanceMultihash ? ['2.16', '2.15', '2.14', '2.9', '2.7', '2.6', '2.5', '2.4', '2.3', '2.2', '2.1', '2.0'] : ['2.2', '2.1', '2.0'];
  const versions: Array<Record<string, unknown>> = [];
  if (p.glanceV2) v2.forEach((v, i) => versions.push({ id: `v${v}`, status: i === 0 ? 'CURRENT' : 'SUPPORTED', links: [{ rel: 'self', href: `${base}/v2/` }] }));
  if (p.glanceV1) ['1.1', '1.0'].forEach((v, i) => versions.push({ id: `v${v}`, status: i === 0 ? 'CURRENT' : 'SUPPORTED', links: [{ rel: 'self', href: `${base}/v1/` }] }));
  return json(300, { versions });
}
