import { badRequest } from '../../http/errors.js';
import { json } from '../../http/reply.js';
import { nextHref } from '../../http/pagination.js';
import type { ServerRecord } from '../../store/types/compute.js';
import { AddressBook } from './addresses.js';
import { policyRefusal, type NovaCall, type NovaHandler } from './context.js';
import { serverSummary, serverView } from './render-server.js';
import { computeState, newerFirst, ServerIndex } from './state.js';
import { statusFilter } from './status.js';

/** `osapi_max_limit`: the largest page Nova hands out. */
export const MAX_LIMIT = 1000;

type Keep = (s: ServerRecord) => boolean;

/**
 * `GET /servers` and `GET /servers/detail` (legacy-apis.md §2.1): the token project's servers,
 * or every project's with `all_tenants` (admin); filters `tenant_id`/`project_id`, `host`
 * (admin), `name` (a regular expression, as Nova's), `status`, `flavor`, `image`, `ip`,
 * `changes-since` (which also lists deleted servers); newest first; `limit` (at most 1000) and
 * `marker`, with a `servers_links` next link whenever the page is full. An unknown marker is a 400.
 */
export function listServers(detail: boolean): NovaHandler {
  return (c) => {
    const q = c.req.query;
    const admin = c.auth.isAdmin;
    const keep: Keep[] = [];
    let book: AddressBook | undefined;

    const allTenantsRaw = q.get('all_tenants');
    let allTenants = allTenantsRaw !== null && !['0', 'false', 'f', 'off', 'no'].includes(allTenantsRaw.toLowerCase());
    if (allTenants && !admin) {
      if (c.microversions) throw policyRefusal(c, 'os_compute_api:servers:index:get_all_tenants');
      allTenants = false;
    }
    const tenantFilter = q.get('project_id') ?? q.get('tenant_id');
    // Since Newton an admin's tenant_id filter implies all_tenants; older releases need both.
    if (admin && tenantFilter !== null && c.microversions) allTenants = true;
    if (!allTenants) keep.push((s) => s.projectId === c.projectId);
    else if (tenantFilter !== null) keep.push((s) => s.projectId === tenantFilter);

    const host = q.get('host');
    if (host !== null && admin) keep.push((s) => s.host === host);
    const name = q.get('name');
    if (name !== null) keep.push(nameFilter(name));
    const status = q.get('status');
    if (status !== null) keep.push(statusFilter(status));
    const flavor = q.get('flavor');
    if (flavor !== null) keep.push((s) => s.flavorId === flavor);
    const image = q.get('image');
    if (image !== null) keep.push((s) => s.imageId === image);
    const ip = q.get('ip');
    if (ip !== null) {
      const re = regex(ip);
      const all = (book = AddressBook.reading(c.store));
      keep.push((s) => Object.values(all.addressesOf(s)).some((list) => list.some((a) => a['OS-EXT-IPS:type'] === 'fixed' && re(a.addr))));
    }

    const state = computeState(c.store);
    let ordered: readonly ServerRecord[] = state.index.ordered(c.store);
    const since = q.get('changes-since');
    if (since !== null) {
      const t = Date.parse(since);
      if (Number.isNaN(t)) throw badRequest(`Invalid filter field: changes-since.`);
      const changed = (s: ServerRecord) => Date.parse(s.updatedAt) >= t;
      ordered = [...ordered.filter(changed), ...state.deleted.filter(changed)].sort(newerFirst);
    }

    const limit = limitOf(q.get('limit'));
    const markerId = q.get('marker');
    let start = 0;
    if (markerId !== null && markerId !== '') {
      const marker = c.store.servers.get(markerId) ?? state.deleted.find((d) => d.id === markerId);
      if (!marker) throw badRequest(`marker [${markerId}] not found`);
      start = ServerIndex.after(ordered, marker);
    }
    const page: ServerRecord[] = [];
    for (let i = start; i < ordered.length && page.length < limit; i++) {
      const s = ordered[i]!;
      if (keep.every((k) => k(s))) page.push(s);
    }
    // The store's index of every address, built once for a whole walk through the pages.
    const pageBook = book ?? AddressBook.reading(c.store);
    const body: Record<string, unknown> = { servers: page.map((s) => (detail ? serverView(c, s, pageBook) : serverSummary(c, s))) };
    const last = page.at(-1);
    if (page.length === limit && last) body['servers_links'] = [{ rel: 'next', href: nextHref(`${c.apiUrl}/servers${detail ? '/detail' : ''}`, q, last.id) }];
    return json(200, body);
  };
}

/** `limit` as Nova reads it: an integer >= 0, capped at osapi_max_limit. */
export function limitOf(raw: string | null): number {
  if (raw === null || raw === '') return MAX_LIMIT;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw badRequest('limit param must be an integer');
  if (n < 0) throw badRequest('limit param must be positive');
  return Math.min(n, MAX_LIMIT);
}

function regex(pattern: string): (value: string) => boolean {
  try {
    const re = new RegExp(pattern);
    return (v) => re.test(v);
  } catch {
    return (v) => v.includes(pattern);
  }
}

function nameFilter(pattern: string): Keep {
  const test = regex(pattern);
  return (s) => test(s.name);
}
