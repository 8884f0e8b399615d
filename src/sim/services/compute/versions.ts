import { notFound } from '../../http/errors.js';
import { json, type SimReply } from '../../http/reply.js';
import type { Route } from '../../http/router.js';
import type { Profile } from '../../profile.js';
import type { NovaCall, NovaRoute } from './context.js';
import { limitsOf, usageOf } from './quota-usage.js';

interface VersionInfo {
  readonly id: 'v2.0' | 'v2.1';
  readonly path: 'v2' | 'v2.1';
  readonly status: string;
  readonly updated: string;
  /** Microversion range (modern v2.1); empty strings on roots without microversions (Kilo+ shape) or absent (legacy). */
  readonly range: { readonly version: string; readonly min: string } | undefined;
}

/** The API roots a profile serves, as its version documents describe them. */
function versionsOf(profile: Profile): VersionInfo[] {
  const out: VersionInfo[] = [];
  const max = profile.novaMaxMicroversion;
  if (profile.novaVersions.includes('v2')) out.push({ id: 'v2.0', path: 'v2', status: max ? 'SUPPORTED' : 'CURRENT', updated: '2011-01-21T11:33:21Z', range: max ? { version: '', min: '' } : undefined });
  if (profile.novaVersions.includes('v2.1')) {
    out.push({ id: 'v2.1', path: 'v2.1', status: max ? 'CURRENT' : 'EXPERIMENTAL', updated: '2013-07-23T11:33:21Z', range: max ? { version: max, min: '2.1' } : undefined });
  }
  return out;
}

function doc(base: string, v: VersionInfo, detail: boolean): Record<string, unknown> {
  const self = { rel: 'self', href: `${base}/${v.path}/` };
  const out: Record<string, unknown> = { id: v.id, status: v.status };
  if (v.range) Object.assign(out, { version: v.range.version, min_version: v.range.min });
  out['updated'] = v.updated;
  out['links'] = detail ? [self, { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' }] : [self];
  if (detail) out['media-types'] = [{ base: 'application/json', type: `application/vnd.openstack.compute+json;version=${v.id === 'v2.0' ? '2' : '2.1'}` }];
  return out;
}

/**
 * `GET /` (every root the profile serves) and the version document of each root: legacy v2 has
 * no microversion range (so clients see none), Juno's `/v2.1` is EXPERIMENTAL without one, the
 * modern `/v2.1` says `version: 2.93, min_version: 2.1` (what the client reads).
 */
export function versionRoutes(profile: Profile, mounted: (root: 'v2' | 'v2.1', routes: readonly NovaRoute[]) => Route[]): Route[] {
  const versions = versionsOf(profile);
  const routes: Route[] = [{ method: 'GET', path: '/', auth: 'none', handler: (req) => json(200, { versions: versions.map((v) => doc(req.baseUrl, v, false)) }) }];
  for (const v of versions) {
    const handler = (c: NovaCall): SimReply => json(200, { version: doc(c.req.baseUrl, v, true) });
    routes.push(...mounted(v.path, [{ method: 'GET', path: '', auth: 'none', handler }]).map((r) => ({ ...r, path: `/${v.path}` })));
  }
  return routes;
}

/** Extension aliases the API loads (`/extensions`), by what the profile has (legacy-apis.md §2.8). */
function extensionAliases(profile: Profile): string[] {
  const out = [
    'os-admin-actions', 'os-aggregates', 'os-availability-zone', 'os-evacuate', 'OS-EXT-SRV-ATTR', 'OS-EXT-STS', 'os-extended-volumes', 'OS-EXT-AZ', 'OS-EXT-IPS',
    'OS-EXT-IPS-MAC', 'os-fixed-ips', 'os-flavor-access', 'os-flavor-extra-specs', 'os-flavor-manage', 'OS-FLV-EXT-DATA', 'OS-FLV-DISABLED', 'os-floating-ips',
    'os-floating-ips-bulk', 'os-floating-ip-pools', 'os-hypervisors', 'os-keypairs', 'os-networks', 'os-networks-associate', 'os-tenant-networks', 'os-quota-sets',
    'os-user-quotas', 'os-security-groups', 'os-server-start-stop', 'os-services', 'os-extended-services', 'os-shelve', 'os-volumes', 'os-migrations',
    'OS-DCF', 'OS-SRV-USG', 'os-config-drive', 'os-server-diagnostics', 'os-instance-actions', 'os-attach-interfaces',
  ];
  if (profile.novaServerGroups) out.push('os-server-groups', 'os-server-external-events', 'os-preserve-ephemeral-rebuild');
  if (profile.novaHypervisorHostIp) out.push('os-extended-hypervisors');
  if (profile.novaServiceIds) out.push('os-extended-services-delete');
  if (profile.novaEvacuateFindHost) out.push('os-extended-evacuate-find-host');
  if (profile.novaExtendedNetworks) out.push('os-extended-networks');
  if (profile.novaHypervisorStatus) out.push('os-hypervisor-status', 'os-server-list-multi-status');
  if (profile.novaQuotaServerGroups) out.push('os-server-group-quotas');
  return out.sort();
}

function extension(alias: string): Record<string, unknown> {
  return { alias, name: alias.replace(/^os-|^OS-/, ''), namespace: `http://docs.openstack.org/compute/ext/${alias.toLowerCase()}/api/v1.1`, updated: '2014-01-01T00:00:00Z', description: alias, links: [] };
}

function limits(c: NovaCall): SimReply {
  const l = limitsOf(c.store, c.projectId);
  const u = usageOf(c.store, c.projectId, c.auth.userId);
  const absolute: Record<string, number> = {
    maxServerMeta: l['metadata_items'] ?? 128, maxPersonality: l['injected_files'] ?? 5, maxPersonalitySize: l['injected_file_content_bytes'] ?? 10240, maxImageMeta: l['metadata_items'] ?? 128,
    maxTotalKeypairs: l['key_pairs'] ?? 100, maxTotalCores: l['cores'] ?? 20, maxTotalInstances: l['instances'] ?? 10, maxTotalRAMSize: l['ram'] ?? 51200,
    totalCoresUsed: u['cores'] ?? 0, totalInstancesUsed: u['instances'] ?? 0, totalRAMUsed: u['ram'] ?? 0,
  };
  if (c.mv < 36) {
    Object.assign(absolute, {
      maxSecurityGroups: l['security_groups'] ?? 10, maxSecurityGroupRules: l['security_group_rules'] ?? 20, maxTotalFloatingIps: l['floating_ips'] ?? 10,
      totalFloatingIpsUsed: u['floating_ips'] ?? 0, totalSecurityGroupsUsed: u['security_groups'] ?? 0,
    });
  }
  if (c.profile.novaQuotaServerGroups) Object.assign(absolute, { maxServerGroups: l['server_groups'] ?? 10, maxServerGroupMembers: l['server_group_members'] ?? 10, totalServerGroupsUsed: u['server_groups'] ?? 0 });
  return json(200, { limits: { rate: [], absolute } });
}

/** `/extensions` (legacy discovery; still answered by modern Nova) and `/limits`. */
export function discoveryRoutes(): NovaRoute[] {
  return [
    { method: 'GET', path: '/extensions', auth: 'token', handler: (c) => json(200, { extensions: extensionAliases(c.profile).map(extension) }) },
    {
      method: 'GET',
      path: '/extensions/{alias}',
      auth: 'token',
      handler: (c) => {
        const alias = c.req.params['alias']!;
        if (!extensionAliases(c.profile).includes(alias)) throw notFound(`Extension ${alias} could not be found.`);
        return json(200, { extension: extension(alias) });
      },
    },
    { method: 'GET', path: '/limits', auth: 'token', handler: limits },
  ];
}
