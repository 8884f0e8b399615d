import { PumphouseError } from '../errors/index.js';

export type SimRelease = 'havana' | 'icehouse' | 'juno' | 'modern';
export type SimNetwork = 'nova-network:flatdhcp' | 'nova-network:vlan' | 'neutron';
export const SIM_RELEASES: readonly SimRelease[] = ['havana', 'icehouse', 'juno', 'modern'];
export const SIM_NETWORKS: readonly SimNetwork[] = ['nova-network:flatdhcp', 'nova-network:vlan', 'neutron'];

/**
 * What one simulated cloud is: its release and network flavour, and every capability flag a
 * service module consults to answer the way that release did (legacy-apis.md §7, §8). The
 * modern profile follows the testbed's Zed clouds. Service modules must branch on these flags,
 * never on `release` directly, so a difference is named once, here.
 */
export interface Profile {
  readonly release: SimRelease;
  readonly network: SimNetwork;
  /** `juno:nova-network:flatdhcp`. */
  readonly label: string;
  readonly region: string;

  // --- Keystone (§1, §7)
  readonly keystoneV2: boolean;
  readonly keystoneV3: boolean;
  /** v3 catalog endpoints carry `region_id` (Juno+) besides `region`. */
  readonly v3CatalogRegionId: boolean;
  /** v3 catalog services carry `name` (Juno+). */
  readonly v3CatalogServiceName: boolean;
  /** v2 `/users` items carry `username` (Icehouse+). */
  readonly v2UsersHaveUsername: boolean;
  readonly tokenFormat: 'pki' | 'uuid' | 'fernet';
  /** Default `[token] expiration`, seconds. */
  readonly tokenLifetimeS: number;
  /** How Keystone hashes passwords (and so what the identity DB holds). */
  readonly hashScheme: 'sha512_crypt' | 'bcrypt';
  /** Keystone SQL layout for hashes: `user.password` (legacy) or `local_user`+`password` (Stein+). */
  readonly identitySchema: 'legacy' | 'modern';
  /** Where role grants live in SQL: Havana's `*_metadata` JSON tables or the `assignment` table. */
  readonly assignmentStorage: 'metadata-json' | 'assignment-table';
  /** 401 from the auth_token middleware: legacy plain text `Authentication required`, modern JSON. */
  readonly unauthorizedBody: 'plain' | 'json';
  /**
   * Keystone answers carry `x-openstack-request-id` (oslo request_id middleware in its paste
   * pipeline: keystone 10.0.0, Newton, commit d333eac4e). Havana-Juno Keystone sends none.
   */
  readonly keystoneRequestIds: boolean;

  // --- Nova (§2)
  /** API roots served under /compute: `v2` (tenant in the URL) and/or `v2.1`. */
  readonly novaVersions: readonly ('v2' | 'v2.1')[];
  /** Highest microversion, or null when there are none (legacy; Juno's experimental v2.1 has none). */
  readonly novaMaxMicroversion: string | null;
  readonly novaServerGroups: boolean;
  /** os-quota-sets of a project Keystone does not know is a 400 (Nova's verify_project_id, Pike+); legacy answers the defaults. */
  readonly novaQuotaVerifiesProject: boolean;
  /** os-services items have `id` and can be deleted (Icehouse+). */
  readonly novaServiceIds: boolean;
  /** Hypervisors have `state`/`status` (Juno+). */
  readonly novaHypervisorStatus: boolean;
  /** Hypervisors have `host_ip` (Icehouse+). */
  readonly novaHypervisorHostIp: boolean;
  /** Evacuate may omit `host` (Juno+). */
  readonly novaEvacuateFindHost: boolean;
  /** nova-network APIs (os-networks, os-floating-ips-bulk, os-fixed-ips) work. */
  readonly novaNetworkApis: boolean;
  /** Status for a bad os-networks create: 422 Havana/Icehouse, 400 Juno. */
  readonly novaNetworkCreateErrorStatus: 400 | 422;
  /** Juno's extended-networks fields (mtu, dhcp_server, enable_dhcp, share_address). */
  readonly novaExtendedNetworks: boolean;
  readonly novaQuotaServerGroups: boolean;
  /** `os-migrations` lists live migrations and evacuations too, with `migration_type` (Liberty+); older releases list resizes and cold migrations only. */
  readonly novaMigrationsListLive: boolean;
  /**
   * Live-migration and evacuation pre-checks (target up and enabled, room, a valid host) fail
   * after the 202: the server goes back to ACTIVE on its host with an instance fault and an
   * `error` migration (Newton+). Havana–Juno's API called the conductor synchronously: a 400.
   */
  readonly novaMoveChecksAsync: boolean;

  // --- Glance (§3)
  readonly glanceV1: boolean;
  readonly glanceV2: boolean;
  /** v2 create accepts `owner` (modern, admin); legacy answers 403. */
  readonly glanceV2OwnerAllowed: boolean;
  readonly glanceVirtualSize: boolean;
  /** `os_hash_algo`/`os_hash_value` (Rocky+). */
  readonly glanceMultihash: boolean;
  /** `shared`/`community` visibility (Ocata+); new v2 images default to `shared` instead of `private`. */
  readonly glanceSharedVisibility: boolean;
  /**
   * Errors are webob >= 1.7 pages: JSON `{"message", "code": "404 Not Found", "title"}` for
   * `Accept: application/json`, HTML for browsers and any-type accepts, text otherwise (modern).
   * Legacy webob answers HTML for `html` or any-type accepts, plain text otherwise (so JSON
   * clients get text).
   */
  readonly glanceJsonErrors: boolean;
  /** v2 image bodies keep null attributes (`"checksum": null` before data); Havana–Juno's schema filter leaves them out. */
  readonly glanceV2Nulls: boolean;

  // --- Cinder (§4)
  readonly cinderVersions: readonly ('1' | '2' | '3')[];
  readonly cinderMaxMicroversion: string | null;
  /** os-set_bootable (Juno+). */
  readonly cinderSetBootable: boolean;
  /** Juno's extra quota keys (backups, backup_gigabytes, consistencygroups). */
  readonly cinderQuotaBackups: boolean;
  /** Volume `encrypted` field (Icehouse+). */
  readonly cinderEncryptedField: boolean;
  /** `replication_status`, `consistencygroup_id` (Juno+). */
  readonly cinderReplicationStatus: boolean;
  /** Volume types have `description`, `is_public` and project access lists, and lists filter on `is_public` (Kilo+). */
  readonly cinderTypeAccess: boolean;

  // --- Neutron (§5)
  readonly neutron: boolean;
  /** limit/marker honoured (legacy: off by default, full lists come back). */
  readonly neutronPagination: boolean;
  /** Floating IPs have `status` (Icehouse+). */
  readonly floatingIpStatus: boolean;
  /** `floating_ip_address` may be given on create (Kilo+, admin). */
  readonly floatingIpAddressChoice: boolean;
  /** Router gateway `external_fixed_ips` (Juno+). */
  readonly routerExternalFixedIps: boolean;
  /** Subnet ipv6_ra_mode/ipv6_address_mode: absent (Havana), read-only (Icehouse), settable (Juno+). */
  readonly ipv6Modes: 'absent' | 'read-only' | 'settable';
  /** Resources also carry `project_id` (modern). */
  readonly neutronProjectId: boolean;
  /** Ports have binding:vif_details/vnic_type (Juno+); Havana has binding:capabilities. */
  readonly portBindingDetails: boolean;
  /**
   * The Newton+ Neutron API: standard attributes on every resource (description, created_at,
   * updated_at, revision_number, tags with their routes and filters), mtu,
   * port_security_enabled, availability zones, and unknown list filters answered with a 400
   * (filter-validation). Legacy Neutron has none of these and rejects them as unrecognized.
   */
  readonly neutronModernApi: boolean;
  /** Routers have the admin-only `distributed` and `ha` attributes, `dvr` and `l3-ha` extensions (Juno+). */
  readonly neutronRouterDvrHa: boolean;
  /**
   * RBAC policies (`rbac-policies`, Liberty+): `/v2.0/rbac-policies`, networks shared with one
   * project, `shared` as the caller sees it. Legacy Neutron has a `shared` column and no such path.
   */
  readonly neutronRbac: boolean;
  /** Default Neutron quotas (`[QUOTAS] quota_*`): 10 networks and subnets, 50 ports legacy; 100, 100, 500 modern. */
  readonly neutronQuotaDefaults: Readonly<Record<string, number>>;
}

const LEGACY_BASE = {
  keystoneV2: true,
  keystoneV3: true,
  hashScheme: 'sha512_crypt',
  identitySchema: 'legacy',
  unauthorizedBody: 'plain',
  keystoneRequestIds: false,
  novaNetworkCreateErrorStatus: 422,
  glanceV1: true,
  glanceV2: true,
  glanceV2OwnerAllowed: false,
  glanceMultihash: false,
  glanceSharedVisibility: false,
  glanceJsonErrors: false,
  glanceV2Nulls: false,
  cinderVersions: ['1', '2'],
  cinderMaxMicroversion: null,
  cinderTypeAccess: false,
  neutronPagination: false,
  floatingIpAddressChoice: false,
  neutronProjectId: false,
  neutronModernApi: false,
  neutronRbac: false,
  neutronQuotaDefaults: { network: 10, subnet: 10, port: 50, router: 10, floatingip: 50, security_group: 10, security_group_rule: 100 },
} as const;

type ReleaseFlags = Omit<Profile, 'network' | 'label' | 'region' | 'novaNetworkApis' | 'neutron'>;

const RELEASES: Readonly<Record<SimRelease, ReleaseFlags>> = {
  havana: {
    ...LEGACY_BASE,
    release: 'havana',
    novaMigrationsListLive: false,
    novaMoveChecksAsync: false,
    v3CatalogRegionId: false,
    v3CatalogServiceName: false,
    v2UsersHaveUsername: false,
    tokenFormat: 'pki',
    tokenLifetimeS: 86400,
    assignmentStorage: 'metadata-json',
    novaVersions: ['v2'],
    novaMaxMicroversion: null,
    novaServerGroups: false,
    novaQuotaVerifiesProject: false,
    novaServiceIds: false,
    novaHypervisorStatus: false,
    novaHypervisorHostIp: false,
    novaEvacuateFindHost: false,
    novaExtendedNetworks: false,
    novaQuotaServerGroups: false,
    glanceVirtualSize: false,
    cinderSetBootable: false,
    cinderQuotaBackups: false,
    cinderEncryptedField: false,
    cinderReplicationStatus: false,
    floatingIpStatus: false,
    routerExternalFixedIps: false,
    ipv6Modes: 'absent',
    portBindingDetails: false,
    neutronRouterDvrHa: false,
  },
  icehouse: {
    ...LEGACY_BASE,
    release: 'icehouse',
    novaMigrationsListLive: false,
    novaMoveChecksAsync: false,
    v3CatalogRegionId: false,
    v3CatalogServiceName: false,
    v2UsersHaveUsername: true,
    tokenFormat: 'pki',
    tokenLifetimeS: 3600,
    assignmentStorage: 'assignment-table',
    novaVersions: ['v2'],
    novaMaxMicroversion: null,
    novaServerGroups: true,
    novaQuotaVerifiesProject: false,
    novaServiceIds: true,
    novaHypervisorStatus: false,
    novaHypervisorHostIp: true,
    novaEvacuateFindHost: false,
    novaExtendedNetworks: false,
    novaQuotaServerGroups: false,
    glanceVirtualSize: true,
    cinderSetBootable: false,
    cinderQuotaBackups: false,
    cinderEncryptedField: true,
    cinderReplicationStatus: false,
    floatingIpStatus: true,
    routerExternalFixedIps: false,
    ipv6Modes: 'read-only',
    portBindingDetails: false,
    neutronRouterDvrHa: false,
  },
  juno: {
    ...LEGACY_BASE,
    release: 'juno',
    novaMigrationsListLive: false,
    novaMoveChecksAsync: false,
    v3CatalogRegionId: true,
    v3CatalogServiceName: true,
    v2UsersHaveUsername: true,
    tokenFormat: 'uuid',
    tokenLifetimeS: 3600,
    assignmentStorage: 'assignment-table',
    novaVersions: ['v2', 'v2.1'],
    novaMaxMicroversion: null,
    novaServerGroups: true,
    novaQuotaVerifiesProject: false,
    novaServiceIds: true,
    novaHypervisorStatus: true,
    novaHypervisorHostIp: true,
    novaEvacuateFindHost: true,
    novaNetworkCreateErrorStatus: 400,
    novaExtendedNetworks: true,
    novaQuotaServerGroups: true,
    glanceVirtualSize: true,
    cinderSetBootable: true,
    cinderQuotaBackups: true,
    cinderEncryptedField: true,
    cinderReplicationStatus: true,
    floatingIpStatus: true,
    routerExternalFixedIps: true,
    ipv6Modes: 'settable',
    portBindingDetails: true,
    neutronRouterDvrHa: true,
  },
  modern: {
    release: 'modern',
    novaMigrationsListLive: true,
    novaMoveChecksAsync: true,
    keystoneV2: false,
    keystoneV3: true,
    v3CatalogRegionId: true,
    v3CatalogServiceName: true,
    v2UsersHaveUsername: true,
    tokenFormat: 'fernet',
    tokenLifetimeS: 3600,
    hashScheme: 'bcrypt',
    identitySchema: 'modern',
    assignmentStorage: 'assignment-table',
    unauthorizedBody: 'json',
    keystoneRequestIds: true,
    novaVersions: ['v2.1'],
    novaMaxMicroversion: '2.93',
    novaServerGroups: true,
    novaQuotaVerifiesProject: true,
    novaServiceIds: true,
    novaHypervisorStatus: true,
    novaHypervisorHostIp: true,
    novaEvacuateFindHost: true,
    novaNetworkCreateErrorStatus: 400,
    novaExtendedNetworks: true,
    novaQuotaServerGroups: true,
    glanceV1: false,
    glanceV2: true,
    glanceV2OwnerAllowed: true,
    glanceVirtualSize: true,
    glanceMultihash: true,
    glanceSharedVisibility: true,
    glanceJsonErrors: true,
    glanceV2Nulls: true,
    cinderVersions: ['3'],
    cinderMaxMicroversion: '3.70',
    cinderSetBootable: true,
    cinderQuotaBackups: true,
    cinderEncryptedField: true,
    cinderReplicationStatus: true,
    cinderTypeAccess: true,
    neutronPagination: true,
    floatingIpStatus: true,
    floatingIpAddressChoice: true,
    routerExternalFixedIps: true,
    ipv6Modes: 'settable',
    neutronProjectId: true,
    portBindingDetails: true,
    neutronModernApi: true,
    neutronRouterDvrHa: true,
    neutronRbac: true,
    neutronQuotaDefaults: { network: 100, subnet: 100, subnetpool: -1, port: 500, router: 10, floatingip: 50, rbac_policy: 10, security_group: 10, security_group_rule: 100 },
  },
};

/**
 * The profile of a release and network. `modern` with nova-network is refused: Rocky removed
 * nova-network (legacy-apis.md §2.7), so no modern cloud can have it.
 */
export function profileFor(release: SimRelease, network: SimNetwork): Profile {
  const flags = RELEASES[release];
  if (!flags) throw new PumphouseError('PH_USAGE', `unknown simulator release '${String(release)}' (one of ${SIM_RELEASES.join(', ')})`);
  if (!SIM_NETWORKS.includes(network)) throw new PumphouseError('PH_USAGE', `unknown simulator network '${String(network)}' (one of ${SIM_NETWORKS.join(', ')})`);
  if (release === 'modern' && network !== 'neutron') {
    throw new PumphouseError('PH_USAGE', `a modern cloud has no nova-network (removed in Rocky): use modern:neutron`);
  }
  const neutron = network === 'neutron';
  return { ...flags, network, label: `${release}:${network}`, region: 'RegionOne', neutron, novaNetworkApis: !neutron };
}

/** Parses `juno:nova-network:flatdhcp`, `modern:neutron`, `icehouse:neutron`. */
export function parseProfile(text: string): Profile {
  const i = text.indexOf(':');
  if (i < 0) throw new PumphouseError('PH_USAGE', `simulator profile '${text}' is not release:network (e.g. juno:nova-network:flatdhcp, modern:neutron)`);
  return profileFor(text.slice(0, i) as SimRelease, text.slice(i + 1) as SimNetwork);
}
