import { loadConfig } from '../../config/index.js';
import { PumphouseError } from '../../errors/index.js';
import type { FuelInventory, Inventory } from '../../inventory/index.js';
import { recordedMachine } from '../../planner/host-machine.js';
import { readPriorState } from '../prior-state.js';
import { verbDesired } from './desired.js';
import { exactSelection } from './selection.js';
import { planAndApply, type VerbOptions, type VerbResult } from './verb-run.js';

export interface HostVerbOptions extends VerbOptions {
  /** The host exactly as Nova (service host) or Fuel (node hostname) names it. */
  readonly host: string;
}

/**
 * `pumphouse evacuate HOST`: disable nova-compute on a source hypervisor and live-migrate
 * what is still on it. A desired state with the host (aimed at the destination's Fuel
 * environment, as a manifest `hosts:` entry) planned with its evacuation as the only target,
 * then applied (planAndApply). The planner places hosts through Fuel, so CLOUDS.fuel and
 * CLOUDS.destination.environment are required (PH_CONFIG_INVALID). A host neither the
 * source's compute services nor Fuel know by exactly that name is PH_NOT_FOUND.
 */
export function evacuate(options: HostVerbOptions): Promise<VerbResult> {
  return hostVerb('evacuate', options);
}

/**
 * `pumphouse reassign HOST`: the whole chain for one host: evacuation, then the Fuel
 * reassignment to the destination environment (unassign, rediscover by MACs, assign, deploy,
 * nova-compute up). Same inputs and errors as evacuate(). Run again by the same (old) name
 * after Fuel renamed the node, it finds the machine by the MACs the state records: nothing
 * to do once finished, the remaining steps after a failed or killed run.
 */
export function reassign(options: HostVerbOptions): Promise<VerbResult> {
  return hostVerb('reassign', options);
}

async function hostVerb(verb: 'evacuate' | 'reassign', options: HostVerbOptions): Promise<VerbResult> {
  const host = options.host;
  if (!host) throw new PumphouseError('PH_USAGE', `${verb} needs a host name: pumphouse ${verb} HOST`);
  const config = await loadConfig(options.configPath, options.env ? { env: options.env } : {});
  if (!config.fuel) {
    throw new PumphouseError('PH_CONFIG_INVALID', `${verb} plans hosts through the Fuel master, and ${config.file} names none (CLOUDS.fuel)`, {
      location: { file: config.file, field: 'CLOUDS.fuel' },
    });
  }
  const environment = config.destination?.environment;
  if (!environment) {
    throw new PumphouseError('PH_CONFIG_INVALID', `${verb} needs the destination's Fuel environment (CLOUDS.destination.environment) in ${config.file}`, {
      location: { file: config.file, field: 'CLOUDS.destination.environment' },
    });
  }
  const desired = verbDesired({ hosts: [{ name: host, environment }] });
  const kind = verb === 'evacuate' ? 'host_evacuate' : 'host_reassign';
  // Fuel renames a node it rediscovers (node-<new id>): a host an earlier run reassigned (or
  // started to) is known by the MACs the state records; the planner finds the node by them.
  const recorded = recordedMachine((await readPriorState(options.statePath)).state, `host[${host}]`);
  return planAndApply(verb, `pumphouse ${verb} ${host}`, desired, ({ plan: whole, source, fuel }) => {
    if (!recorded && !knownHost(host, source, fuel)) {
      const similar = similarHosts(host, source, fuel);
      const hint = similar.length > 0 ? ` (did you mean ${similar.join(' or ')}?)` : '';
      throw new PumphouseError('PH_NOT_FOUND', `no host is named exactly '${host}'${hint}: not a compute service host of the source cloud, not a Fuel node hostname; nothing was planned or changed`, {
        details: { host, similar },
      });
    }
    const wanted = whole.actions.filter((a) => a.kind === kind && a.host === host);
    // No action: the planner said why in an error diagnostic, and apply refuses the plan.
    return wanted.length > 0 ? exactSelection(whole, wanted) : { targets: [], excludes: [] };
  }, options);
}

function knownHost(host: string, source: Inventory, fuel: FuelInventory | undefined): boolean {
  return (
    source.computeServices.some((s) => s.binary === 'nova-compute' && s.host === host) ||
    source.hypervisors.some((h) => h.host === host) ||
    (fuel?.nodes.some((n) => n.hostname === host) ?? false)
  );
}

/** Names that differ only in case or domain, for the operator's next try. */
function similarHosts(host: string, source: Inventory, fuel: FuelInventory | undefined): string[] {
  const short = (s: string): string => s.toLowerCase().split('.')[0]!;
  const names = new Set([...source.computeServices.filter((s) => s.binary === 'nova-compute').map((s) => s.host), ...(fuel?.nodes.map((n) => n.hostname) ?? [])]);
  return [...names].filter((n) => short(n) === short(host)).sort();
}
