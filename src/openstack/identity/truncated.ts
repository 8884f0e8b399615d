import { PumphouseError } from '../../errors/index.js';
import type { Query } from '../http/url.js';
import type { Raw } from '../wire.js';

/**
 * The keystone.conf section whose `list_limit` cuts each v3 list (each falls back to
 * `[DEFAULT] list_limit`); legacy-apis.md §1.3, Keystone's list truncation.
 */
const SECTION: Readonly<Record<string, string>> = {
  projects: 'resource',
  domains: 'resource',
  users: 'identity',
  groups: 'identity',
  roles: 'role',
  role_assignments: 'assignment',
};

/** The keystone.conf setting that cut `list`, as an operator would look it up. */
export function listLimitSetting(list: string): string {
  const section = SECTION[list];
  return section ? `[${section}] list_limit (or [DEFAULT] list_limit)` : '[DEFAULT] list_limit';
}

/**
 * Keystone v3 answers `"truncated": true` when its `list_limit` cut a list (Icehouse+; a list
 * of exactly the limit is whole and says nothing). A silently partial list would make callers
 * miss objects (discovery, marker lookups, cleanup), so it is an error, PH_LIST_TRUNCATED, that
 * names the list, its filters and the setting; callers that can narrow the query (discovery:
 * per domain, per project) catch it and do.
 */
export function checkTruncated(cloud: string, path: string, list: string, query: Query | undefined, body: Raw): void {
  if (body['truncated'] !== true) return;
  const returned = Array.isArray(body[list]) ? body[list].length : 0;
  const filters = Object.entries(query ?? {})
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${String(v)}`);
  const setting = listLimitSetting(list);
  throw new PumphouseError(
    'PH_LIST_TRUNCATED',
    `${cloud}: Keystone cut the ${list} list${filters.length ? ` (${filters.join(', ')})` : ''} after ${returned} entries ("truncated": true): its ${setting} in keystone.conf is lower than the number of ${list.replace('_', ' ')}; raise it (or unset it) so that every object is seen`,
    { details: { service: 'identity', method: 'GET', path, list, filters, returned, setting } },
  );
}

/** True for the error checkTruncated throws. */
export function isTruncated(err: unknown): err is PumphouseError {
  return PumphouseError.is(err) && err.code === 'PH_LIST_TRUNCATED';
}
