import { PumphouseError } from '../errors/index.js';
import { isTruncated, listLimitSetting, type IdentityClient, type ProjectFilter } from '../openstack/index.js';
import type { DiscoveryNote } from './types.js';

/**
 * Keystone v3 lists that its `list_limit` cut (`"truncated": true`, PH_LIST_TRUNCATED from the
 * client) are read again in narrower pieces, as an operator expects discovery to cope rather
 * than stop: projects and users per domain; role assignments per project in scope (details.ts).
 * A piece that is still cut, or a list that cannot be narrowed (one domain), stops discovery
 * with PH_LIST_TRUNCATED naming the list and the keystone.conf setting. Each fallback leaves a
 * warning note: the limit is in force, and the reads cost more calls.
 */
export async function wholeList<T>(
  identity: IdentityClient,
  list: 'projects' | 'users',
  read: (filter?: ProjectFilter) => Promise<T[]>,
  notes: DiscoveryNote[],
): Promise<T[]> {
  try {
    return await read();
  } catch (err) {
    if (!isTruncated(err) || identity.version !== '3') throw err;
    const domains = await identity.domains.list();
    if (domains.length < 2) {
      throw new PumphouseError('PH_LIST_TRUNCATED', `${err.message}. Discovery cannot read it in smaller pieces: the cloud has ${domains.length === 1 ? 'one domain' : 'no domain'} to list it by`, {
        details: { ...err.details, fallback: 'per domain: not possible' },
        cause: err,
      });
    }
    const per = await Promise.all(domains.map((d) => read({ domainId: d.id })));
    notes.push(cutNote(list, `read per domain instead (${domains.length} lists)`));
    return per.flat();
  }
}

/** The note left when a cut list was read in pieces. */
export function cutNote(list: string, how: string): DiscoveryNote {
  return {
    severity: 'warning',
    summary: `Keystone cut the ${list} list short: ${listLimitSetting(list)} in keystone.conf; discovery ${how}`,
    detail: 'raising or unsetting the limit makes discovery cheaper; other tools reading this cloud may be missing objects',
  };
}
