import type { SecurityGroup, SecurityGroupRule } from '../inventory/index.js';
import type { Attributes } from '../plan/index.js';
import type { PlanContext, TenantScope } from './context.js';
import { decide, type Decision } from './decide.js';
import { refTo, type Handle } from './draft.js';
import { sourceMatch, sourcePresent } from './facts.js';
import { all } from './indexes.js';
import { childAt, uniqueNames } from './names.js';

/**
 * Security groups of the migrated tenants and their rules. The source `default` group maps
 * onto the one Neutron makes in every project (never a second one). Rules go after their
 * group and after the group they reference (remote group), so the graph stays acyclic even
 * for groups that reference each other.
 */
export function planSecurityGroups(ctx: PlanContext): void {
  const planned: { t: TenantScope; g: SecurityGroup; h: Handle; address: string }[] = [];
  for (const t of ctx.tenants) {
    const groups = all(ctx.s.securityGroupsByProject, t.project.id);
    const names = uniqueNames(groups, (g) => g.name, (g) => g.id);
    for (const g of groups) {
      const address = childAt(t.address, 'security_group', names.get(g.id)!);
      planned.push({ t, g, h: planGroup(ctx, t, g, address), address });
    }
  }
  for (const p of planned) planRules(ctx, p.t, p.g, p.h, p.address);
}

function planGroup(ctx: PlanContext, t: TenantScope, g: SecurityGroup, address: string): Handle {
  const dstProject = t.handle?.destinationId ?? null;
  const same = dstProject ? all(ctx.d.securityGroupsByProject, dstProject).filter((x) => x.name === g.name) : [];
  const existing = ctx.memory.resolve('security_group', g.id);
  let d: Decision;
  if (g.name === 'default' && (existing.state === 'none' || existing.state === 'vanished')) {
    // Neutron makes `default` itself (on first use in a project); the id may not exist yet.
    d = {
      action: 'adopt',
      reason: {
        code: 'exists_in_destination',
        text: "Neutron makes a 'default' group in every project; the source default maps onto it",
      },
      destinationId: same[0]?.id ?? null,
    };
  } else {
    const natural = same.length === 1 ? { id: same[0]!.id, why: `the destination project has a group '${g.name}'` } : null;
    d = decide(existing, { make: 'create', natural });
  }
  const dst = d.destinationId ? ctx.d.securityGroupsById.get(d.destinationId) : undefined;
  const fresh = d.action === 'create' || (d.action === 'adopt' && !dst);
  const removed = fresh ? automaticRulesLacking(ctx, g) : [];
  return ctx.draft.add(
    g.id,
    {
      address,
      kind: 'security_group',
      action: d.action,
      reason: d.reason,
      deps: [t.handle],
      tenant: t.name,
      scopedTo: t.address,
      source: { cloud: 'source', id: g.id, name: g.name },
      destination: { name: g.name, ...(d.destinationId ? { id: d.destinationId } : {}) },
      before: dst ? { name: dst.name, description: dst.description } : null,
      after: {
        name: g.name,
        description: g.description,
        project_id: refTo(t.handle),
        ...(removed.length > 0 ? { remove_automatic_rules: removed } : {}),
        // The source's own tags (Mitaka+), only when it has some; not on `default`, which
        // Neutron makes and apply only adopts.
        ...(g.tags && g.name !== 'default' ? { tags: [...g.tags] } : {}),
      },
      preconditions: d.action === 'create' ? [sourceMatch(sourceService(ctx), 'security_groups', g.id, { name: g.name })] : [],
    },
    d.destinationId,
  );
}

function planRules(ctx: PlanContext, t: TenantScope, g: SecurityGroup, gh: Handle, groupAddress: string): void {
  const names = uniqueNames(g.rules, (r) => ruleName(ctx, r), (r) => r.id);
  const dstGroup = gh.destinationId ? ctx.d.securityGroupsById.get(gh.destinationId) : undefined;
  const fresh = gh.action === 'create' || (gh.action === 'adopt' && !dstGroup);
  for (const r of g.rules) {
    const address = childAt(groupAddress, 'rule', names.get(r.id)!);
    const remote = r.remoteGroupId ? ctx.draft.get('security_group', r.remoteGroupId) : undefined;
    if (r.remoteAddressGroupId) {
      // Made without it, the rule would admit every address: left out (the copy admits less).
      ctx.draft.warn(
        `rule admits the address group ${r.remoteAddressGroupId}, which is not migrated; the rule is skipped (made without it, it would admit any address)`,
        address,
      );
      ctx.draft.skipped++;
      continue;
    }
    if (r.remoteGroupId && !remote) {
      ctx.draft.warn(`rule references group ${r.remoteGroupId}, which is not migrated; the rule is skipped`, address);
      ctx.draft.skipped++;
      continue;
    }
    const natural = matchRule(r, g, dstGroup, remote, fresh);
    const d = decide(ctx.memory.resolve('security_group_rule', r.id), { make: 'create', natural });
    ctx.draft.add(
      r.id,
      {
        address,
        kind: 'security_group_rule',
        action: d.action,
        reason: d.reason,
        deps: [gh, remote],
        tenant: t.name,
        scopedTo: t.address,
        source: { cloud: 'source', id: r.id, name: names.get(r.id)! },
        after: ruleAttrs(r, refTo(gh), remote ? refTo(remote) : null),
        preconditions: d.action === 'create' ? [sourcePresent(sourceService(ctx), 'security_group_rules', r.id)] : [],
      },
      d.destinationId,
    );
  }
}

/**
 * A destination rule this one already is: a rule of the adopted group with the same fields,
 * or, for a group Neutron makes or pumphouse creates, one of the rules Neutron adds by itself
 * (egress to anywhere; in `default`, ingress from the group itself), which a create would
 * duplicate (409).
 */
function matchRule(
  r: SecurityGroupRule,
  g: SecurityGroup,
  dstGroup: SecurityGroup | undefined,
  remote: Handle | undefined,
  fresh: boolean,
): { id: string | null; why: string } | null {
  if (dstGroup) {
    const want = remote?.destinationId ?? null;
    const hit = dstGroup.rules.find(
      (x) =>
        x.direction === r.direction &&
        x.ethertype === r.ethertype &&
        x.protocol === r.protocol &&
        x.portMin === r.portMin &&
        x.portMax === r.portMax &&
        x.remoteIpPrefix === r.remoteIpPrefix &&
        x.remoteGroupId === (r.remoteGroupId ? want : null),
    );
    return hit ? { id: hit.id, why: 'the destination group already has this rule' } : null;
  }
  if (!fresh) return null;
  const any = anyTraffic(r);
  if (any && r.direction === 'egress' && r.remoteGroupId === null) {
    return { id: null, why: 'Neutron adds this egress rule to every new group' };
  }
  if (any && g.name === 'default' && r.direction === 'ingress' && r.remoteGroupId === g.id) {
    return { id: null, why: "Neutron puts this rule in every project's default group" };
  }
  return null;
}

/**
 * The rules Neutron adds to a new group (egress to any address, IPv4 and IPv6; in `default`
 * also ingress from the group itself) that the source group does not have: the copy would
 * admit more than the source (an egress lock-down lost; every member of `default` reaching
 * every other), so apply removes them right after making or finding the group. A nova-network
 * source keeps its egress rules: nova-network filters no egress at all.
 */
function automaticRulesLacking(ctx: PlanContext, g: SecurityGroup): Attributes[] {
  const has = (direction: 'ingress' | 'egress', ethertype: 'IPv4' | 'IPv6', fromItself: boolean): boolean =>
    g.rules.some((r) => anyTraffic(r) && r.direction === direction && r.ethertype === ethertype && r.remoteGroupId === (fromItself ? g.id : null));
  const out: Attributes[] = [];
  const neutron = ctx.src.capabilities.networkModel === 'neutron';
  for (const ethertype of ['IPv4', 'IPv6'] as const) {
    if (neutron && !has('egress', ethertype, false)) out.push({ direction: 'egress', ethertype, from_itself: false });
  }
  if (g.name === 'default') {
    for (const ethertype of ['IPv4', 'IPv6'] as const) {
      if (!has('ingress', ethertype, true)) out.push({ direction: 'ingress', ethertype, from_itself: true });
    }
  }
  return out;
}

/** Any protocol, port and address: the shape of the rules Neutron adds by itself (the remote group aside). */
function anyTraffic(r: SecurityGroupRule): boolean {
  return r.protocol === null && r.portMin === null && r.portMax === null && r.remoteIpPrefix === null && r.remoteAddressGroupId === undefined;
}

/** nova-network sources answer security groups through Nova. */
function sourceService(ctx: PlanContext): string {
  return ctx.src.capabilities.networkModel === 'neutron' ? 'neutron' : 'nova';
}

function ruleName(ctx: PlanContext, r: SecurityGroupRule): string {
  const ports = r.portMin === null && r.portMax === null ? 'any' : `${r.portMin ?? ''}-${r.portMax ?? ''}`;
  let from = 'any';
  if (r.remoteIpPrefix !== null) from = r.remoteIpPrefix;
  else if (r.remoteGroupId !== null) from = `group:${ctx.s.securityGroupsById.get(r.remoteGroupId)?.name ?? r.remoteGroupId}`;
  else if (r.remoteAddressGroupId !== undefined) from = `address-group:${r.remoteAddressGroupId}`;
  return `${r.direction}-${r.ethertype.toLowerCase()}-${r.protocol ?? 'any'}-${ports}-${from}`;
}

function ruleAttrs(r: SecurityGroupRule, group: Attributes[string], remote: Attributes[string] | null): Attributes {
  return {
    security_group_id: group,
    direction: r.direction,
    ethertype: r.ethertype,
    protocol: r.protocol,
    port_range_min: r.portMin,
    port_range_max: r.portMax,
    remote_ip_prefix: r.remoteIpPrefix,
    remote_group_id: remote,
  };
}
