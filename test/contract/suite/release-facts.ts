import type { Cloud } from '../../../src/openstack/index.js';

/**
 * What the target's release offers, read from what the cloud itself says (version documents,
 * extension lists, microversions), never from its name: the suite runs against Havana to Zed
 * and must ask each cloud only what its release has (docs/architecture/contract-suite.md,
 * "Release-aware steps"). Each answer cites the release that brought the feature.
 */

const glanceShared = new WeakMap<Cloud, Promise<boolean>>();

/**
 * Glance has the `shared` image visibility (Ocata, image API v2.5): members can be added only
 * to `shared` images there. Before (Havana-Juno list v2.0-v2.2), the v2 image schema allows
 * only public/private and members are added to private images. Glance v1 has no visibility.
 * One call per cloud (the root version document, 300 Multiple Choices).
 */
export function glanceHasSharedVisibility(cloud: Cloud): Promise<boolean> {
  let known = glanceShared.get(cloud);
  if (!known) {
    known = (async () => {
      if (cloud.image.version !== '2') return false;
      const root = cloud.session.endpoint('image').replace(/\/+$/, '').replace(/\/v[12](\.\d+)?$/, '');
      const res = await cloud.session.request<{ versions?: Array<{ id?: string }> }>({ service: 'image', method: 'GET', url: `${root}/`, okStatuses: [300] });
      const minors = (res.data?.versions ?? []).map((v) => /^v2\.(\d+)$/.exec(v.id ?? '')?.[1]).filter((m): m is string => m !== undefined);
      return minors.some((m) => Number(m) >= 5);
    })();
    glanceShared.set(cloud, known);
  }
  return known;
}

const keystoneIds = new WeakMap<Cloud, Promise<boolean>>();

/**
 * Keystone's answers carry `x-openstack-request-id` (its paste pipeline gained oslo's request_id
 * middleware in Newton, which reports identity v3.7). Havana-Juno report v3.0 and send none.
 * One call per cloud (the unversioned version document, 300 Multiple Choices).
 */
export function keystoneSendsRequestIds(cloud: Cloud): Promise<boolean> {
  let known = keystoneIds.get(cloud);
  if (!known) {
    known = (async () => {
      const root = cloud.session.authUrl.replace(/\/+$/, '').replace(/\/v(2\.0|3)$/, '');
      const res = await cloud.session.request<{ versions?: { values?: Array<{ id?: string }> } }>({ service: 'identity', method: 'GET', url: `${root}/`, authenticated: false, okStatuses: [300] });
      const minors = (res.data?.versions?.values ?? []).map((v) => /^v3\.(\d+)$/.exec(v.id ?? '')?.[1]).filter((m): m is string => m !== undefined);
      return minors.some((m) => Number(m) >= 7);
    })();
    keystoneIds.set(cloud, known);
  }
  return known;
}

/** Neutron has the extension `alias` (false on nova-network clouds). */
export function neutronHas(cloud: Cloud, alias: string): boolean {
  return cloud.capabilities.networkExtensions.includes(alias);
}

/** Networks, floating IPs and the other standard resources take a `description` (Mitaka: `standard-attr-description`). */
export function neutronHasDescriptions(cloud: Cloud): boolean {
  return neutronHas(cloud, 'standard-attr-description');
}

/**
 * An admin may choose a floating IP's address (Kilo; before, `floating_ip_address` is
 * `allow_post: False`). Kilo is recognised by `subnet_allocation` (subnet pools, Kilo's ML2),
 * which no Havana-Juno Neutron lists.
 */
export function neutronChoosesFloatingAddress(cloud: Cloud): boolean {
  return neutronHas(cloud, 'subnet_allocation') || neutronHasDescriptions(cloud);
}

/**
 * A router gateway lists its `external_fixed_ips` (Juno; Havana and Icehouse answer
 * `{network_id, enable_snat}`). Juno is recognised by its L3 plugin's `dvr` / `l3-ha`
 * extensions, which Havana and Icehouse lack.
 */
export function neutronShowsGatewayAddresses(cloud: Cloud): boolean {
  return neutronHas(cloud, 'dvr') || neutronHas(cloud, 'l3-ha') || neutronChoosesFloatingAddress(cloud);
}

/**
 * os-migrations lists live migrations with their `migration_type` (microversion 2.23,
 * Mitaka). Legacy Nova (Havana-Juno) records only cold migrations and resizes there.
 */
export function novaListsLiveMigrations(cloud: Cloud): boolean {
  return cloud.compute.supports('2.23');
}

/**
 * How the services' auth_token middleware answers a token it does not know:
 * - `plain`: Havana-Juno (no Nova microversions): text `Authentication required`, before the
 *   services' request-id middleware (legacy-apis.md §0.1);
 * - `json`: Queens and later (Nova 2.60+): Keystone-style `{"error": {"code": 401, "title":
 *   "Unauthorized"}}`, with the service's request id (seen on Zed);
 * - `either`: the releases in between, which the suite has not been run against.
 */
export function unauthorizedStyle(cloud: Cloud): 'plain' | 'json' | 'either' {
  if (cloud.capabilities.computeMicroversion === null) return 'plain';
  return cloud.compute.supports('2.60') ? 'json' : 'either';
}
