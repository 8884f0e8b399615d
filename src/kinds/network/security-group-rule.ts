import { isCloudHttpError, type SecurityGroup, type SecurityGroupRule, type SecurityGroupRuleInput } from '../../openstack/index.js';
import type { Action } from '../../plan/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { AfterValues } from '../common/after.js';
import { createOnce } from '../common/create-once.js';
import { kindHandler } from '../common/handler.js';
import { neutronOf } from './neutron.js';

/** A rule as the plan describes it (remote group already resolved to a destination id). */
export type RuleSpec = Omit<SecurityGroupRuleInput, 'tenantId' | 'description'> & {
  readonly ethertype: 'IPv4' | 'IPv6';
  readonly protocol: string | null;
  readonly portRangeMin: number | null;
  readonly portRangeMax: number | null;
  readonly remoteIpPrefix: string | null;
  readonly remoteGroupId: string | null;
};

/**
 * Security group rules, matched by their natural key (every field) within the group: a
 * matching rule is adopted, so reruns and the rules Neutron adds to new groups are never
 * duplicated (Neutron would answer 409). A rule is owned by its group's project. `adopt`
 * with no id (a rule Neutron was expected to add) finds it, and makes it if it is gone.
 */
export const securityGroupRuleKind: KindHandler = kindHandler('security_group_rule', {
  create: { create: ensureRule },
  adopt: { adopt: ensureRule },
});

export function ruleSpec(a: AfterValues): RuleSpec {
  const direction = a.str('direction');
  const ethertype = a.optStr('ethertype') ?? 'IPv4';
  return {
    securityGroupId: a.str('security_group_id'),
    direction: direction === 'egress' ? 'egress' : 'ingress',
    ethertype: ethertype === 'IPv6' ? 'IPv6' : 'IPv4',
    protocol: a.optStr('protocol'),
    portRangeMin: a.optNum('port_range_min'),
    portRangeMax: a.optNum('port_range_max'),
    remoteIpPrefix: a.optStr('remote_ip_prefix'),
    remoteGroupId: a.optStr('remote_group_id'),
  };
}

/** True when `r` is the rule `s` describes. */
export function sameRule(r: SecurityGroupRule, s: RuleSpec): boolean {
  return (
    r.direction === s.direction &&
    r.ethertype === s.ethertype &&
    (r.protocol ?? null) === s.protocol &&
    r.portRangeMin === s.portRangeMin &&
    r.portRangeMax === s.portRangeMax &&
    r.remoteIpPrefix === s.remoteIpPrefix &&
    r.remoteGroupId === s.remoteGroupId &&
    // Planned rules never admit an address group; one that does is another rule.
    r.remoteAddressGroupId === null
  );
}

async function ensureRule(action: Action, ctx: StepContext): Promise<StepResult> {
  const spec = ruleSpec(new AfterValues(await ctx.resolveAfter(), action.address));
  const { net } = await neutronOf(ctx, action.address);
  const known = ctx.recorded.destinationId ?? action.destination?.id;
  let group: SecurityGroup | undefined;
  const find = async (): Promise<SecurityGroupRule | undefined> => {
    group = await net.securityGroups.get(spec.securityGroupId);
    return group.rules.find((r) => r.id === known) ?? group.rules.find((r) => sameRule(r, spec));
  };
  const create = async (): Promise<SecurityGroupRule> => {
    try {
      return await net.securityGroupRules.create({ ...spec, ...(group ? { tenantId: group.tenantId } : {}) });
    } catch (err) {
      // SecurityGroupRuleExists: made meanwhile (by Neutron itself or a concurrent run).
      if (isCloudHttpError(err, 409)) {
        const hit = await find();
        if (hit) return hit;
      }
      throw err;
    }
  };
  const { value } = await createOnce(find, create);
  return { destinationId: value.id, outputs: { direction: value.direction, protocol: value.protocol } };
}
