import { PumphouseError } from '../../errors/index.js';
import { objs, obj, str, arr } from '../wire.js';
import type { CloudRequest, CloudResponse } from './request.js';

export type IdentityVersion = '2.0' | '3';

/**
 * Which Keystone API to log in with, from the auth URL as the operator wrote it:
 * `.../v2.0` and `.../v3` are taken at their word; anything else is asked for its version
 * document (Keystone answers 300 Multiple Choices) and v3 is preferred.
 * Costs one call for an unversioned URL, none otherwise.
 */
export async function discoverIdentity(
  call: (req: CloudRequest) => Promise<CloudResponse>,
  authUrl: string,
  cloud: string,
): Promise<{ readonly version: IdentityVersion; readonly base: string }> {
  const url = authUrl.replace(/\/+$/, '');
  if (/\/v2\.0$/.test(url)) return { version: '2.0', base: url };
  if (/\/v3$/.test(url)) return { version: '3', base: url };
  const res = await call({ service: 'identity', method: 'GET', url: `${url}/`, authenticated: false, okStatuses: [300] });
  const doc = obj(res.data);
  // Keystone: {"versions": {"values": [...]}}; a versioned URL answers {"version": {...}}.
  const versions = [...objs(obj(doc['versions'])['values']), ...objs(arr(doc['versions'])), ...(doc['version'] ? [obj(doc['version'])] : [])];
  const usable = versions.filter((v) => !/deprecated|removed/i.test(str(v['status']) ?? ''));
  const ids = usable.map((v) => str(v['id']) ?? '');
  if (ids.some((id) => id.startsWith('v3'))) return { version: '3', base: `${url}/v3` };
  if (ids.some((id) => id.startsWith('v2.0'))) return { version: '2.0', base: `${url}/v2.0` };
  // Deprecated v2.0 is still better than nothing.
  const all = versions.map((v) => str(v['id']) ?? '');
  if (all.some((id) => id.startsWith('v2.0'))) return { version: '2.0', base: `${url}/v2.0` };
  throw new PumphouseError('PH_CLOUD_BAD_RESPONSE', `${cloud}: ${url} does not list a Keystone v3 or v2.0 API (found: ${all.join(', ') || 'nothing'})`, {
    details: { cloud, auth_url: url },
  });
}
