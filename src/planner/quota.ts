import type { ProjectQuotas } from '../inventory/index.js';
import type { Attributes } from '../plan/index.js';
import type { PlanContext, TenantScope } from './context.js';
import { refTo } from './draft.js';
import { sourceMatch } from './facts.js';
import { child, seg } from './names.js';

type Limits = Readonly<Record<string, number>>;

// Nova's network quotas: gone from the compute API with Neutron (microversion 2.36); their
// Neutron names, used when a nova-network source only has them on the compute side.
// `security_group_rules` counts per group in Nova and per project in Neutron: see perProject.
const NOVA_NETWORK_KEYS: Readonly<Record<string, string>> = {
  floating_ips: 'floatingip',
  security_groups: 'security_group',
  security_group_rules: 'security_group_rule',
  fixed_ips: '',
};

/** Rules Neutron adds to each new group (egress to any, IPv4 and IPv6), which count too. */
const AUTOMATIC_RULES_PER_GROUP = 2;
/** And to `default` besides: ingress from its own members, IPv4 and IPv6. */
const AUTOMATIC_DEFAULT_INGRESS = 2;

/**
 * Nova's rules-per-group limit as Neutron's per-project one: groups x (rules + the automatic
 * ones), plus default's ingress; unlimited when either is (-1). Without the groups limit,
 * nothing (Neutron's default).
 */
function perProject(fromNova: Record<string, number>): void {
  const rules = fromNova['security_group_rule'];
  if (rules === undefined) return;
  const groups = fromNova['security_group'];
  if (groups === undefined) delete fromNova['security_group_rule'];
  else fromNova['security_group_rule'] = groups < 0 || rules < 0 ? -1 : groups * (rules + AUTOMATIC_RULES_PER_GROUP) + AUTOMATIC_DEFAULT_INGRESS;
}

/** Tenant quotas: set in the destination project to the source values (update or no-op). */
export function planQuotas(ctx: PlanContext): void {
  const known = destinationKeys(ctx.dst.quotas);
  for (const t of ctx.tenants) planQuota(ctx, t, known);
}

function planQuota(ctx: PlanContext, t: TenantScope, known: KnownKeys): void {
  const sq = ctx.s.quotasByProject.get(t.project.id);
  if (!sq) return;
  const want = translate(sq, known);
  const dstId = t.handle?.destinationId ?? null;
  const dq = dstId ? ctx.d.quotasByProject.get(dstId) : undefined;
  const differs = dq ? differingKeys(want, dq) : ['compute', 'volume', 'network'];
  const address = child(t.address, seg('quota'));
  const ready = ctx.memory.resolve('quota', t.project.id).state === 'ready';
  if (ready && differs.length > 0) {
    ctx.drift.push({
      address,
      kind: 'quota',
      cloud: 'destination',
      change: 'changed',
      fields: differs,
      text: 'quotas set by an earlier apply were changed in the destination; they are left as they are',
    });
  }
  const noop = ready || differs.length === 0;
  ctx.draft.add(t.project.id, {
    address,
    kind: 'quota',
    action: noop ? 'no-op' : 'update',
    reason: noop
      ? { code: 'up_to_date', text: ready ? 'set by an earlier apply' : 'destination quotas already match the source' }
      : { code: 'differs_in_destination', text: `set ${differs.join(', ')} quotas to the source values` },
    deps: [t.handle],
    tenant: t.name,
    source: { cloud: 'source', id: t.project.id, name: t.project.name },
    before: dq ? limitsAttrs(dq) : null,
    after: { project_id: refTo(t.handle), ...limitsAttrs(want) },
    // The values are copied as planned; a changed source quota makes the plan stale.
    preconditions:
      noop || !sq.compute || Object.keys(sq.compute).length === 0
        ? []
        : [sourceMatch('nova', 'quota_sets', t.project.id, { ...sq.compute })],
  });
}

interface KnownKeys {
  readonly compute: ReadonlySet<string> | null;
  readonly volume: ReadonlySet<string> | null;
  readonly network: ReadonlySet<string> | null;
}

/** Keys the destination reports; null = nothing observed, keep every source key. */
function destinationKeys(quotas: readonly ProjectQuotas[]): KnownKeys {
  const pick = (f: (q: ProjectQuotas) => Limits | null): ReadonlySet<string> | null => {
    for (const q of quotas) {
      const l = f(q);
      if (l) return new Set(Object.keys(l));
    }
    return null;
  };
  return { compute: pick((q) => q.compute), volume: pick((q) => q.volume), network: pick((q) => q.network) };
}

/** Source limits in destination terms (Neutron network quotas, keys the destination knows). */
function translate(sq: ProjectQuotas, known: KnownKeys): Omit<ProjectQuotas, 'projectId'> {
  const compute: Record<string, number> = {};
  const fromNova: Record<string, number> = {};
  for (const [k, v] of Object.entries(sq.compute ?? {})) {
    const neutronKey = NOVA_NETWORK_KEYS[k];
    if (neutronKey !== undefined) {
      if (neutronKey) fromNova[neutronKey] = v;
    } else if (!known.compute || known.compute.has(k)) {
      compute[k] = v;
    }
  }
  perProject(fromNova);
  const network = filter(sq.network ?? (Object.keys(fromNova).length > 0 ? fromNova : null), known.network);
  return {
    compute: sq.compute ? compute : null,
    volume: filter(sq.volume, known.volume),
    network,
  };
}

function filter(l: Limits | null, keys: ReadonlySet<string> | null): Limits | null {
  if (!l) return null;
  if (!keys) return l;
  return Object.fromEntries(Object.entries(l).filter(([k]) => keys.has(k)));
}

function differingKeys(want: Omit<ProjectQuotas, 'projectId'>, have: ProjectQuotas): string[] {
  const out: string[] = [];
  for (const part of ['compute', 'volume', 'network'] as const) {
    const w = want[part];
    if (!w) continue;
    const h = have[part] ?? {};
    if (Object.entries(w).some(([k, v]) => h[k] !== v)) out.push(part);
  }
  return out;
}

function limitsAttrs(q: Omit<ProjectQuotas, 'projectId'>): Attributes {
  return {
    compute: q.compute ? { ...q.compute } : null,
    volume: q.volume ? { ...q.volume } : null,
    network: q.network ? { ...q.network } : null,
  };
}
