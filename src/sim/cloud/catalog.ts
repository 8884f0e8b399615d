import type { Profile } from '../profile.js';
import { SimRandom } from '../random.js';

export type EndpointInterface = 'public' | 'internal' | 'admin';

/** One catalog service with its endpoints (URL templates may hold `%(tenant_id)s`). */
export interface CatalogService {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly endpoints: ReadonlyArray<{ readonly id: string; readonly interface: EndpointInterface; readonly url: string; readonly region: string }>;
}

interface Entry {
  readonly type: string;
  readonly name: string;
  /** Path below the cloud URL; `admin` overrides it for the admin interface. */
  readonly path: string;
  readonly adminPath?: string;
}

/** The services a profile advertises, in the release's shapes (legacy-apis.md §0.1, testbed catalog). */
export function catalogEntries(profile: Profile): Entry[] {
  const legacy = profile.release !== 'modern';
  const out: Entry[] = [];
  if (legacy) out.push({ type: 'identity', name: 'keystone', path: '/identity/v2.0', adminPath: '/identity-admin/v2.0' });
  else out.push({ type: 'identity', name: 'keystone', path: '/identity/v3' });
  out.push({ type: 'compute', name: 'nova', path: legacy ? '/compute/v2/%(tenant_id)s' : '/compute/v2.1' });
  out.push({ type: 'image', name: 'glance', path: '/image' });
  if (legacy) {
    out.push({ type: 'volume', name: 'cinder', path: '/volume/v1/%(tenant_id)s' });
    out.push({ type: 'volumev2', name: 'cinderv2', path: '/volume/v2/%(tenant_id)s' });
  } else {
    out.push({ type: 'block-storage', name: 'cinder', path: '/volume/v3/%(project_id)s' });
    out.push({ type: 'volumev3', name: 'cinderv3', path: '/volume/v3/%(project_id)s' });
  }
  if (profile.neutron) out.push({ type: 'network', name: 'neutron', path: '/network' });
  return out;
}

/** The catalog of a cloud at `baseUrl`, with stable ids (derived from the seed and cloud name). */
export function buildCatalog(profile: Profile, baseUrl: string, seed: number | string, cloudName: string): CatalogService[] {
  const rng = SimRandom.derive(seed, `${cloudName}/catalog`);
  return catalogEntries(profile).map((e) => ({
    id: rng.hex32(),
    type: e.type,
    name: e.name,
    endpoints: (['public', 'internal', 'admin'] as const).map((iface) => ({
      id: rng.hex32(),
      interface: iface,
      url: `${baseUrl}${iface === 'admin' && e.adminPath ? e.adminPath : e.path}`,
      region: profile.region,
    })),
  }));
}

/** Substitutes the project id into URL templates, as Keystone does for a scoped token. */
export function scopeCatalog(services: readonly CatalogService[], projectId: string | undefined): CatalogService[] {
  if (projectId === undefined) return [];
  return services.map((s) => ({ ...s, endpoints: s.endpoints.map((e) => ({ ...e, url: e.url.replace(/%\((tenant_id|project_id)\)s/g, projectId) })) }));
}

/** v2.0 `serviceCatalog`: one endpoint entry per region with `<interface>URL` keys. */
export function renderV2Catalog(services: readonly CatalogService[]): unknown[] {
  return services.map((s) => {
    const byRegion = new Map<string, Record<string, string>>();
    for (const e of s.endpoints) {
      const r = byRegion.get(e.region) ?? { id: e.id, region: e.region };
      r[`${e.interface}URL`] = e.url;
      byRegion.set(e.region, r);
    }
    return { type: s.type, name: s.name, endpoints_links: [], endpoints: [...byRegion.values()] };
  });
}

/** v3 `catalog`: Havana/Icehouse: `region` only, no service name; Juno+: `region_id` and `name`. */
export function renderV3Catalog(services: readonly CatalogService[], profile: Profile): unknown[] {
  return services.map((s) => ({
    endpoints: s.endpoints.map((e) => ({
      id: e.id,
      interface: e.interface,
      ...(profile.v3CatalogRegionId ? { region_id: e.region } : {}),
      url: e.url,
      region: e.region,
    })),
    id: s.id,
    type: s.type,
    ...(profile.v3CatalogServiceName ? { name: s.name } : {}),
  }));
}
