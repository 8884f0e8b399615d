import { PumphouseError } from '../../errors/index.js';
import type { DiskLayout, FuelClient, NicLayout } from '../../fuel/index.js';
import type { Action } from '../../plan/index.js';
import { AfterValues } from '../common/after.js';
import type { StepContext } from '../contract.js';
import { timeoutsOf, type HostSettings, type HostTimeouts } from './settings.js';

/** Where the node's disks and NIC mapping come from (the planner's `after.layout`). */
export type PlannedLayout =
  | { readonly kind: 'plugin' }
  | { readonly kind: 'copy-from'; readonly nodeId: number | null; readonly hostname: string }
  | { readonly kind: 'given'; readonly disks: readonly DiskLayout[]; readonly interfaces: readonly NicLayout[] };

/** One reassignment as planned (`host[X]`, kind host_reassign, action reassign). */
export interface Reassignment {
  readonly address: string;
  /** The host's name in the source cloud (nova-compute's `host`). */
  readonly host: string;
  /** The Fuel node id at planning time; the node gets a new id when it is rediscovered. */
  readonly oldNodeId: number;
  readonly hostname: string;
  /** The machine's MAC set (lower case, sorted): what identifies it across ids. */
  readonly macs: readonly string[];
  /** The source environment at planning time; null when the node was already outside any environment. */
  readonly sourceEnv: number | null;
  readonly destinationEnv: number;
  readonly destinationEnvName: string;
  readonly roles: readonly string[];
  readonly layout: PlannedLayout;
  readonly timeouts: HostTimeouts;
  readonly settings: HostSettings;
  readonly ctx: StepContext;
  readonly fuel: FuelClient;
}

/** Reads the planned reassignment (PH_PLAN_INVALID naming the field when the plan lacks one). */
export async function reassignment(action: Action, ctx: StepContext, settings: HostSettings): Promise<Reassignment> {
  const after = new AfterValues(await ctx.resolveAfter(), action.address);
  const macs = after.strings('macs').map((m) => m.toLowerCase());
  if (macs.length === 0) {
    throw new PumphouseError('PH_PLAN_INVALID', `${action.address}: after.macs is empty; the node could not be found again after its removal`, {
      address: action.address,
      details: { field: 'after.macs' },
    });
  }
  const roles = after.strings('roles');
  const hostname = after.str('hostname');
  return {
    address: action.address,
    host: action.host ?? hostname,
    oldNodeId: after.num('node_id'),
    hostname,
    macs: [...new Set(macs)].sort(),
    sourceEnv: after.optNum('source_environment'),
    destinationEnv: after.num('destination_environment'),
    destinationEnvName: after.optStr('destination_environment_name') ?? String(after.num('destination_environment')),
    roles: roles.length > 0 ? roles : ['compute'],
    layout: plannedLayout(after.optObject('layout'), action.address),
    timeouts: timeoutsOf(settings, action),
    settings,
    ctx,
    fuel: await ctx.clouds.fuel(),
  };
}

function plannedLayout(layout: AfterValues | null, address: string): PlannedLayout {
  const kind = layout?.optStr('kind') ?? 'plugin';
  if (!layout || kind === 'plugin') return { kind: 'plugin' };
  if (kind === 'copy-from') return { kind: 'copy-from', nodeId: layout.optNum('node_id'), hostname: layout.str('hostname') };
  if (kind === 'given') {
    return {
      kind: 'given',
      disks: layout.objects('disks').map((d) => ({
        name: d.str('name'),
        ...(d.optNum('size') !== null ? { size: d.num('size') } : {}),
        volumes: d.objects('volumes').map((v) => ({ name: v.str('name'), size: v.num('size') })),
      })),
      interfaces: layout.objects('interfaces').map((i) => ({ name: i.str('name'), assignedNetworks: i.strings('assigned_networks') })),
    };
  }
  throw new PumphouseError('PH_PLAN_INVALID', `${address}: after.layout.kind must be plugin, copy-from or given (it is ${kind})`, {
    address,
    details: { field: 'after.layout.kind' },
  });
}
