import type { FuelCredentials } from '../fuel/credentials.js';
import type { CloudCredentials } from '../openstack/credentials.js';
import type { YamlInput } from './input/index.js';
import { asRecord, optional } from './shape.js';
import type {
  CloudName,
  DiskLayout,
  FuelConfig,
  InterfaceLayout,
  ParametersConfig,
  PluginsConfig,
  PopulateConfig,
  ServerConfig,
} from './types.js';

// These run on schema-valid data, so the casts below only narrow what the schema proved.

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** Credentials from a seed-format `endpoint`, with the cloud-level TLS/catalog keys. */
export function endpointCredentials(endpoint: Record<string, unknown>, cloud: Record<string, unknown>): CloudCredentials {
  return {
    authUrl: endpoint.auth_url as string,
    username: endpoint.username as string,
    password: endpoint.password as string,
    ...optional('projectName', str(endpoint.project_name) ?? str(endpoint.tenant_name)),
    ...optional('projectId', str(endpoint.project_id) ?? str(endpoint.tenant_id)),
    ...optional('userDomainName', str(endpoint.user_domain_name)),
    ...optional('userDomainId', str(endpoint.user_domain_id)),
    ...optional('projectDomainName', str(endpoint.project_domain_name)),
    ...optional('projectDomainId', str(endpoint.project_domain_id)),
    ...cloudLevelOverrides(cloud),
  };
}

/** `region`, `interface`, `cacert`, `insecure` written next to `endpoint` or `cloud`. */
export function cloudLevelOverrides(cloud: Record<string, unknown>): Partial<CloudCredentials> {
  return {
    ...optional('region', str(cloud.region)),
    ...optional('interface', str(cloud.interface) as CloudCredentials['interface'] | undefined),
    ...optional('cacert', str(cloud.cacert)),
    ...optional('insecure', typeof cloud.insecure === 'boolean' ? cloud.insecure : undefined),
  };
}

/** The seed's extras of one cloud section. */
export function cloudExtras(cloud: Record<string, unknown>): {
  identityDbUrl?: string;
  environment?: string;
  urls: Readonly<Record<string, string>>;
  populate?: PopulateConfig;
  workloads?: Readonly<Record<string, unknown>>;
} {
  const populate = asRecord(cloud.populate);
  return {
    ...optional('identityDbUrl', str(asRecord(cloud.identity)?.connection)),
    ...optional('environment', str(cloud.environment)),
    urls: (asRecord(cloud.urls) ?? {}) as Record<string, string>,
    ...optional(
      'populate',
      populate && {
        ...optional('numTenants', num(populate.num_tenants)),
        ...optional('numServers', num(populate.num_servers)),
        ...optional('numVolumes', num(populate.num_volumes)),
        ...optional('volumeSize', num(populate.volume_size)),
      },
    ),
    ...optional('workloads', asRecord(cloud.workloads)),
  };
}

export function fuelConfig(input: YamlInput, fuel: Record<string, unknown>): FuelConfig {
  const e = asRecord(fuel.endpoint) ?? {};
  const credentials: FuelCredentials = {
    host: e.host as string,
    port: num(e.port) ?? 8000,
    username: e.username as string,
    password: e.password as string,
    ...optional('keystoneUrl', str(e.keystone_url)),
    ...optional('tenantName', str(e.tenant_name)),
    ...optional('https', typeof e.https === 'boolean' ? e.https : undefined),
  };
  return { credentials, urls: (asRecord(fuel.urls) ?? {}) as Record<string, string>, location: input.locate(['CLOUDS', 'fuel'], 'key') };
}

export function pluginsConfig(raw: Record<string, unknown> | undefined): PluginsConfig {
  const p = raw ?? {};
  const params = asRecord(p.assignment_parameters);
  return {
    network: (str(p.network) ?? 'nova') as PluginsConfig['network'],
    provisionServer: (str(p.provision_server) ?? 'image') as PluginsConfig['provisionServer'],
    assignment: (str(p.assignment) ?? 'fixed') as PluginsConfig['assignment'],
    ...optional(
      'assignmentParameters',
      params && {
        roles: (params.roles as string[] | undefined) ?? ['compute'],
        disks: diskLayouts(params.disks),
        ifaces: interfaceLayouts(params.ifaces),
      },
    ),
    postMortem: p.post_mortem === true,
  };
}

const byName = <T extends { readonly name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * `[{name, size?, volumes: [{name, size}]}]` as written in PLUGINS or a manifest host.
 * Fuel matches disks and volumes by name, so they are sorted by name (order means nothing).
 */
export function diskLayouts(raw: unknown): DiskLayout[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .map((d: Record<string, unknown>) => ({
      name: d.name as string,
      ...optional('size', num(d.size)),
      volumes: ((d.volumes as Record<string, unknown>[] | undefined) ?? []).map((v) => ({ name: v.name as string, size: v.size as number })).sort(byName),
    }))
    .sort(byName);
}

/** `[{name, assigned_networks: [...]}]` as written in PLUGINS (`ifaces`) or a manifest host; sorted like disks. */
export function interfaceLayouts(raw: unknown): InterfaceLayout[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .map((i: Record<string, unknown>) => ({ name: i.name as string, assignedNetworks: [...new Set(i.assigned_networks as string[])].sort() }))
    .sort(byName);
}

export function parametersConfig(raw: Record<string, unknown> | undefined): ParametersConfig {
  return { volumeTasksTimeoutSeconds: num(raw?.volume_tasks_timeout) ?? 120, all: raw ?? {} };
}

export function serverConfig(data: Record<string, unknown>): ServerConfig {
  return {
    ...optional('serverName', str(data.SERVER_NAME)),
    ...optional('bindHost', str(data.BIND_HOST)),
    debug: data.DEBUG === true,
    cloudsReset: data.CLOUDS_RESET === true || data.CLOUD_RESET === true,
  };
}

export const CLOUD_NAMES: readonly CloudName[] = ['source', 'destination'];
