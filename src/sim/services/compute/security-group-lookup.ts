import { badRequest } from '../../http/errors.js';
import type { SimStore } from '../../store/store.js';
import { ensureDefaultGroup } from '../network/default-group.js';
import type { NovaSecurityGroupRecord, SecurityGroupRecord } from '../../store/types/network.js';

/**
 * A project's `default` Neutron group, made the way Neutron makes it on the project's first
 * use (the simulated Neutron's own rule, so both services agree on it).
 */
export function ensureNeutronDefaultGroup(store: SimStore, projectId: string): SecurityGroupRecord | undefined {
  return ensureDefaultGroup(store, projectId);
}

/** A project's nova-network `default` group (`ensure_default`), without rules. */
export function ensureNovaDefaultGroup(store: SimStore, projectId: string, userId: string): NovaSecurityGroupRecord {
  const found = store.novaSecurityGroups.find((g) => g.projectId === projectId && g.name === 'default');
  if (found) return found;
  return store.novaSecurityGroups.insert({ id: store.ids.next('security_group'), name: 'default', description: 'default', projectId, userId, rules: [] });
}

/**
 * The security groups a boot request names, looked up in the TOKEN's project the way Nova
 * does (legacy-apis.md §8, DESIGN §8): booting with a token scoped elsewhere fails with
 * 400 `Security group <name> not found.` (nova-network adds `for project <id>`). Neutron also
 * accepts ids. Missing names -> `default`.
 * Answers names (nova-network) and Neutron ids (for ports).
 */
export function resolveBootGroups(store: SimStore, projectId: string, userId: string, names: readonly string[]): { readonly names: string[]; readonly neutronIds: string[] } {
  const wanted = names.length > 0 ? [...new Set(names)] : ['default'];
  if (store.profile.neutron) {
    if (wanted.includes('default')) ensureNeutronDefaultGroup(store, projectId);
    const ids: string[] = [];
    const out: string[] = [];
    for (const n of wanted) {
      const byId = store.securityGroups.get(n);
      const g = byId && byId.projectId === projectId ? byId : store.securityGroups.find((x) => x.projectId === projectId && x.name === n);
      if (!g) throw badRequest(`Security group ${n} not found.`);
      ids.push(g.id);
      out.push(g.name);
    }
    return { names: out, neutronIds: ids };
  }
  if (wanted.includes('default')) ensureNovaDefaultGroup(store, projectId, userId);
  for (const n of wanted) {
    // nova-network's db lookup raises SecurityGroupNotFoundForProject.
    if (!store.novaSecurityGroups.find((g) => g.projectId === projectId && g.name === n)) throw badRequest(`Security group ${n} not found for project ${projectId}.`);
  }
  return { names: wanted, neutronIds: [] };
}
