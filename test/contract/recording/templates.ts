/**
 * Replaces the data in paths, query values, header values and object keys with
 * placeholders, so that recordings hold structure only: `{project_id}`, `{id}` (uuids, hex
 * ids, integer ids in paths), `{name}` (names the suite made and host names), `{ip}`,
 * `{fingerprint}`, `{endpoint}` (scheme, host and port of a URL).
 */
export interface Volatile {
  /** The admin project id (Cinder and legacy Nova URLs carry it). */
  readonly projectIds: readonly string[];
  /** Prefix of every name the contract suite makes (`phc-`). */
  readonly namePrefix: string;
  /** Host and hypervisor names of the cloud (`source-compute-1`, ...). */
  readonly hosts: readonly string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX32 = /^[0-9a-f]{32}$/i;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const REQ_ID = /^req-[0-9a-f-]{36}$/;
const FINGERPRINT = /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/;

/** The placeholder for one piece of data, or the piece itself when it is structure. */
export function templateValue(value: string, v: Volatile): string {
  if (v.projectIds.includes(value)) return '{project_id}';
  if (UUID.test(value) || HEX32.test(value)) return '{id}';
  if (REQ_ID.test(value)) return 'req-{uuid}';
  if (value.startsWith(v.namePrefix)) return '{name}';
  if (IPV4.test(value)) return '{ip}';
  if (FINGERPRINT.test(value)) return '{fingerprint}';
  if (v.hosts.includes(value)) return '{name}';
  return value;
}

const INTEGER = /^\d+$/;

/** A URL path with each data segment replaced (`/v3/{project_id}/volumes/{id}`). */
export function templatePath(path: string, v: Volatile): string {
  return path
    .split('/')
    .map((seg) => (seg === '' ? seg : INTEGER.test(seg) ? '{id}' : templateValue(decodeURIComponent(seg), v)))
    .join('/');
}

/** `key=value` pairs, sorted, values templated; repeated keys kept. */
export function templateQuery(search: URLSearchParams, v: Volatile): string[] {
  return [...search.entries()].map(([k, val]) => `${k}=${templateValue(val, v)}`).sort();
}

/** An absolute URL as `{endpoint}` + templated path (Location headers, links). */
export function templateUrl(url: string, v: Volatile): string {
  try {
    const u = new URL(url);
    const q = templateQuery(u.searchParams, v);
    return `{endpoint}${templatePath(u.pathname, v)}${q.length ? `?${q.join('&')}` : ''}`;
  } catch {
    return templatePath(url, v);
  }
}
