import { forbidden } from '../../http/errors.js';
import type { Profile } from '../../profile.js';
import type { SimStore } from '../../store/store.js';

/** Nova's default quotas (`nova/quota.py`, the same from Havana to Zed). */
const BASE_DEFAULTS: Readonly<Record<string, number>> = {
  instances: 10,
  cores: 20,
  ram: 51200,
  floating_ips: 10,
  fixed_ips: -1,
  metadata_items: 128,
  injected_files: 5,
  injected_file_content_bytes: 10240,
  injected_file_path_bytes: 255,
  key_pairs: 100,
  security_groups: 10,
  security_group_rules: 20,
};

/** The quota keys (and defaults) a release knows; Juno adds the server group ones. */
export function quotaDefaults(profile: Profile): Record<string, number> {
  return { ...BASE_DEFAULTS, ...(profile.novaQuotaServerGroups ? { server_groups: 10, server_group_members: 10 } : {}) };
}

/** A project's compute limits (defaults overlaid with what was set). */
export function limitsOf(store: SimStore, projectId: string): Record<string, number> {
  return store.quotaOf('compute', projectId, quotaDefaults(store.profile));
}

/** What a project uses, per quota key Nova counts. */
export function usageOf(store: SimStore, projectId: string, userId?: string): Record<string, number> {
  const u: Record<string, number> = { instances: 0, cores: 0, ram: 0, floating_ips: 0, fixed_ips: 0, security_groups: 0, security_group_rules: 0, key_pairs: 0, server_groups: 0 };
  for (const s of store.servers.values()) {
    if (s.projectId !== projectId) continue;
    const f = store.flavors.get(s.flavorId);
    u['instances']! += 1;
    u['cores']! += f?.vcpus ?? 0;
    u['ram']! += f?.ram ?? 0;
  }
  if (store.profile.neutron) {
    for (const f of store.floatingIps.values()) if (f.projectId === projectId) u['floating_ips']! += 1;
    for (const g of store.securityGroups.values()) if (g.projectId === projectId) u['security_groups']! += 1;
  } else {
    for (const f of store.novaFloatingIps.values()) if (f.projectId === projectId) u['floating_ips']! += 1;
    for (const g of store.novaSecurityGroups.values()) {
      if (g.projectId !== projectId) continue;
      u['security_groups']! += 1;
      u['security_group_rules']! += g.rules.length;
    }
  }
  if (userId !== undefined) for (const k of store.keypairs.values()) if (k.userId === userId) u['key_pairs']! += 1;
  for (const g of store.serverGroups.values()) if (g.projectId === projectId) u['server_groups']! += 1;
  return u;
}

/**
 * Throws Nova's 403 when `requested` more of each resource would pass the project's limit
 * (-1 is unlimited): `Quota exceeded for cores: Requested 2, but already used 20 of 20 cores`.
 */
export function checkQuota(store: SimStore, projectId: string, requested: Readonly<Record<string, number>>, usage = usageOf(store, projectId)): void {
  const limits = limitsOf(store, projectId);
  for (const [key, want] of Object.entries(requested)) {
    const limit = limits[key];
    if (limit === undefined || limit < 0 || want <= 0) continue;
    const used = usage[key] ?? 0;
    if (used + want > limit) throw forbidden(`Quota exceeded for ${key}: Requested ${want}, but already used ${used} of ${limit} ${key}`);
  }
}
