import { isSecretKey } from '../errors/index.js';
import type { Action, AttributeValue } from './types.js';

/**
 * The lists of an action's `after` that the state records beside its plain scalars, so that
 * the next plan can tell when the destination's copy lost or changed them (planner/drift.ts
 * compares them): a VRRP port's allowed address pairs, its DHCP options, a subnet's DNS
 * servers, pools and routes, an image's tags. Other lists either hold refs (plan ids, not facts) or are work
 * lists (a host's servers) that say nothing about a destination object.
 */
export const RECORDED_LISTS: ReadonlySet<string> = new Set([
  'allowed_address_pairs',
  'extra_dhcp_opts',
  'dns_nameservers',
  'allocation_pools',
  'host_routes',
  'tags',
]);

/**
 * What of `after` a finished action records in its state object's attributes: the literal
 * scalars (null means "the cloud chooses": nothing to record) and the lists above when they
 * hold plain values only; never refs or secrets. Lists only where the action made the object:
 * an adopted twin (found by name) keeps lists of its own, which are not drift. An empty
 * `allocation_pools` is not sent (Neutron then chooses the pools), so it is not recorded.
 * Members named in `skip` are left out (what the steps reported wins over what was planned).
 */
export function recordedFacts(action: Pick<Action, 'action' | 'after'>, skip: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(action.after ?? {})) {
    if (k in skip || isSecretKey(k) || v === null || v === undefined) continue;
    if (typeof v !== 'object') out[k] = v;
    else if (action.action !== 'adopt' && RECORDED_LISTS.has(k) && Array.isArray(v) && v.every(plainItem) && !(k === 'allocation_pools' && v.length === 0)) out[k] = v;
  }
  return out;
}

/** A scalar, or an object of scalars under non-secret keys (a pair, an option, a pool). */
function plainItem(v: AttributeValue | undefined): boolean {
  if (v === null || v === undefined || typeof v !== 'object') return v !== undefined;
  if (Array.isArray(v)) return false;
  return Object.entries(v).every(([k, x]) => k !== '$ref' && k !== '$secret' && !isSecretKey(k) && (x === null || typeof x !== 'object'));
}
