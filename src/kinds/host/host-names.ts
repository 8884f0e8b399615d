import type { Cloud, ComputeService, Hypervisor, Server } from '../../openstack/index.js';

/**
 * Exact host-name comparison (case and a trailing dot ignored). Never a substring or a
 * pattern: Nova's `/os-hypervisors/<pattern>/servers` took `node-1` for `node-10` in the
 * original tool (pumphouse-original.md §5.1, §11).
 */
export function sameHost(a: string | null | undefined, b: string): boolean {
  if (a === null || a === undefined) return false;
  const norm = (s: string) => s.trim().toLowerCase().replace(/\.$/, '');
  return norm(a) !== '' && norm(a) === norm(b);
}

/** True when `name` equals one of `names` exactly. */
export function oneOfHosts(name: string | null | undefined, names: readonly string[]): boolean {
  return names.some((n) => sameHost(name, n));
}

/**
 * Every server on `host`, all projects. Nova's `host` filter is an exact database match, but
 * the result is filtered again here so that no release's looser filter can widen it.
 */
export async function serversOnHost(cloud: Cloud, host: string): Promise<Server[]> {
  const listed = await cloud.compute.servers.list({ allTenants: true, host });
  return listed.filter((s) => sameHost(s.host, host)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The services of exactly these host names (any binary unless given). */
export async function servicesOf(cloud: Cloud, names: readonly string[], binary?: string): Promise<ComputeService[]> {
  const out: ComputeService[] = [];
  const seen = new Set<string>();
  for (const name of new Set(names)) {
    for (const s of await cloud.compute.services.list({ host: name, ...(binary ? { binary } : {}) })) {
      const key = `${s.id ?? ''}/${s.binary}/${s.host}`;
      if (!oneOfHosts(s.host, names) || (binary && s.binary !== binary) || seen.has(key)) continue;
      seen.add(key);
      out.push(s);
    }
  }
  return out;
}

/** Hypervisors whose hostname or service host is exactly one of `names`. */
export async function hypervisorsOf(cloud: Cloud, names: readonly string[]): Promise<Hypervisor[]> {
  return (await cloud.compute.hypervisors.list()).filter((h) => oneOfHosts(h.hostname, names) || oneOfHosts(h.servicehost, names));
}
