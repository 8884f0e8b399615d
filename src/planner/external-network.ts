import type { Network } from '../inventory/index.js';
import type { PlanContext } from './context.js';
import { all } from './indexes.js';
import { cidrContains } from './ipv4.js';

/** The destination external network chosen for a router gateway or a floating IP. */
export interface ExternalChoice {
  readonly network: Network;
  /** Subnet CIDRs of that network (where kept floating addresses must fall). */
  readonly cidrs: readonly string[];
}

interface Memo {
  problem: boolean;
  forced: ExternalChoice | null | undefined;
  candidates: readonly ExternalChoice[] | undefined;
}

// Per plan: the choice inputs do not change while one plan is assembled.
const memos = new WeakMap<PlanContext, Memo>();

/**
 * Picks the destination external network for objects holding `addresses` (floating IPs):
 * options.external_network when set; otherwise the external network whose subnets hold the
 * most of those addresses, ties and no addresses going to the first by name. Returns null
 * (with one error diagnostic for the whole plan) when there is none.
 */
export function chooseExternal(ctx: PlanContext, addresses: readonly string[], address?: string): ExternalChoice | null {
  let memo = memos.get(ctx);
  if (!memo) {
    memo = { problem: false, forced: undefined, candidates: undefined };
    memos.set(ctx, memo);
  }
  const wanted = ctx.desired.options.externalNetwork;
  if (wanted !== undefined) {
    if (memo.forced === undefined) {
      const n = ctx.d.networksById.get(wanted) ?? all(ctx.d.networksByName, wanted)[0];
      memo.forced = n ? describe(ctx, n) : null;
      if (!n) ctx.draft.error(`options.external_network '${wanted}' is not a destination network`);
      else if (!n.external) ctx.draft.warn(`options.external_network '${wanted}' is not marked router:external`);
    }
    return memo.forced;
  }
  const candidates = (memo.candidates ??= ctx.dst.networks
    .filter((n) => n.external)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((n) => describe(ctx, n)));
  if (candidates.length === 0) {
    if (!memo.problem) {
      memo.problem = true;
      ctx.draft.error(
        'the destination has no external network for router gateways and floating IPs',
        address,
        'create one in the destination or set options.external_network',
      );
    }
    return null;
  }
  let best = candidates[0]!;
  let bestCount = -1;
  for (const c of candidates) {
    const count = addresses.filter((a) => holds(c, a)).length;
    if (count > bestCount) {
      best = c;
      bestCount = count;
    }
  }
  return best;
}

/** True when the external network's subnets contain the address. */
export function holds(choice: ExternalChoice, ip: string): boolean {
  return choice.cidrs.some((c) => cidrContains(c, ip));
}

function describe(ctx: PlanContext, n: Network): ExternalChoice {
  return { network: n, cidrs: all(ctx.d.subnetsByNetwork, n.id).map((s) => s.cidr) };
}
