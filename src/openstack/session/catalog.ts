import { PumphouseError } from '../../errors/index.js';
import { objs, str } from '../wire.js';

export type EndpointInterface = 'public' | 'internal' | 'admin';

/** One URL of one service, whatever catalog shape it came from. */
export interface CatalogEntry {
  readonly type: string;
  readonly name: string | undefined;
  readonly interface: EndpointInterface;
  readonly region: string | undefined;
  readonly url: string;
}

export interface EndpointFilter {
  readonly interface?: EndpointInterface;
  readonly region?: string;
}

const INTERFACES: readonly EndpointInterface[] = ['public', 'internal', 'admin'];

/**
 * v2.0 `serviceCatalog`: one entry per service and region with `publicURL`, `internalURL`
 * and `adminURL` keys (legacy-apis.md §1.1).
 */
export function catalogFromV2(serviceCatalog: unknown): CatalogEntry[] {
  const out: CatalogEntry[] = [];
  for (const svc of objs(serviceCatalog)) {
    const type = str(svc['type']);
    if (!type) continue;
    for (const ep of objs(svc['endpoints'])) {
      for (const iface of INTERFACES) {
        const url = str(ep[`${iface}URL`]);
        if (url) out.push({ type, name: str(svc['name']), interface: iface, region: str(ep['region']) ?? str(ep['region_id']), url });
      }
    }
  }
  return out;
}

/**
 * v3 `catalog`: endpoints with `interface` and `url`; Havana/Icehouse give only `region`,
 * Juno and later also `region_id` (legacy-apis.md §1.3). `region_id` wins when both exist.
 */
export function catalogFromV3(catalog: unknown): CatalogEntry[] {
  const out: CatalogEntry[] = [];
  for (const svc of objs(catalog)) {
    const type = str(svc['type']);
    if (!type) continue;
    for (const ep of objs(svc['endpoints'])) {
      const iface = str(ep['interface']);
      const url = str(ep['url']);
      if (!url || !INTERFACES.includes(iface as EndpointInterface)) continue;
      out.push({ type, name: str(svc['name']), interface: iface as EndpointInterface, region: str(ep['region_id']) ?? str(ep['region']), url });
    }
  }
  return out;
}

// Keystone substitutes these when it builds a scoped token; an unscoped token or a
// misconfigured cloud can still hand them out raw.
const TEMPLATE = /[%$]\((tenant_id|project_id)\)s/g;

/** The service catalog of one token, with lookup by type, interface and region. */
export class Catalog {
  private readonly found = new Map<string, CatalogEntry | undefined>();

  constructor(
    readonly entries: readonly CatalogEntry[],
    private readonly projectId: string | undefined,
    private readonly defaults: EndpointFilter,
    private readonly cloud: string,
  ) {}

  /** The entry for a service type, or undefined. Interface and region default to the cloud's settings. */
  find(type: string, filter: EndpointFilter = {}): CatalogEntry | undefined {
    const iface = filter.interface ?? this.defaults.interface ?? 'public';
    const region = filter.region ?? this.defaults.region;
    // Every call asks for its service's URL: remember the answer (a token's catalog never changes;
    // a renewed token gets a new Catalog).
    const key = `${type}\n${iface}\n${region ?? ''}\n${region === undefined ? 0 : 1}`;
    if (this.found.has(key)) return this.found.get(key);
    const hit = this.entries.find((e) => e.type === type && e.interface === iface && (region === undefined || e.region === region));
    const entry = !hit ? undefined : this.projectId ? { ...hit, url: hit.url.replace(TEMPLATE, this.projectId) } : hit;
    this.found.set(key, entry);
    return entry;
  }

  has(type: string, filter: EndpointFilter = {}): boolean {
    return this.find(type, filter) !== undefined;
  }

  /** URL of a service; throws PH_CATALOG_MISSING naming what exists instead. */
  url(type: string, filter: EndpointFilter = {}): string {
    const hit = this.find(type, filter);
    if (hit) return hit.url;
    const iface = filter.interface ?? this.defaults.interface ?? 'public';
    const region = filter.region ?? this.defaults.region;
    const same = this.entries.filter((e) => e.type === type);
    const seen = same.map((e) => `${e.interface}${e.region ? `@${e.region}` : ''}`).join(', ');
    throw new PumphouseError(
      'PH_CATALOG_MISSING',
      `${this.cloud}: the service catalog has no ${iface} endpoint of type "${type}"` +
        (region ? ` in region "${region}"` : '') +
        (same.length ? ` (it has: ${seen})` : this.entries.length === 0 ? ' (the catalog is empty: is the token scoped to a project?)' : ''),
      { details: { cloud: this.cloud, service_type: type, interface: iface, region } },
    );
  }
}
