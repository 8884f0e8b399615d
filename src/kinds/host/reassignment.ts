import { PumphouseError } from '../../errors/index.js';
import type { DiskLayout, FuelClient, NicLayout } from '../../fuel/index.js';
import type { Action } from '../../plan/index.js';
import { AfterValues } from '../common/after.js';
import type { StepContext } from '../contract.js';
import { timeoutsOf, type HostSettings, type HostTimeouts } from './settings.js';

/**
 * What the plan says the layout was resolved to at planning time, for the reviewer: the
 * layout itself (given, or copied from a template: `disks`/`interfaces` present) and the
 * sha256 of its source (template node's layout, or the fixed plugin's parameters), checked
 * again before the node is wiped. Absent in plans made without it (resolved at apply time).
 */
export interface ReviewedLayout {
  /** `copy_from node-5 (id 5)`, `plugin discovery node-5 (id 5)`, `plugin fixed`, `manifest`... */
  readonly source: string;
  /** null: nothing to check (the manifest alone). */
  readonly sha256: string | null;
  /** The plugin that decided, to check against the config apply runs with. */
  readonly plugin: 'fixed' | 'discovery' | null;
  /** The node whose layout was copied (copy-from, the discovery plugin). */
  readonly template: { readonly nodeId: number | null; readonly hostname: string } | null;
}

/** Where the node's disks and NIC mapping come from (the planner's `after.layout`). */
export type PlannedLayout =
  | { readonly kind: 'plugin' }
  | { readonly kind: 'defaults'; readonly reviewed: ReviewedLayout }
  | {
      readonly kind: 'copy-from';
      readonly nodeId: number | null;
      readonly hostname: string;
      readonly reviewed?: ReviewedLayout;
      /** The template's layout as the plan shows it (with `reviewed`). */
      readonly copied?: { readonly disks: readonly DiskLayout[]; readonly interfaces: readonly NicLayout[] };
    }
  | { readonly kind: 'given'; readonly disks: readonly DiskLayout[]; readonly interfaces: readonly NicLayout[]; readonly reviewed?: ReviewedLayout };

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
  const reviewed = reviewedLayout(layout, kind);
  if (kind === 'defaults') return { kind: 'defaults', reviewed: reviewed ?? { source: 'defaults', sha256: null, plugin: null, template: null } };
  if (kind === 'copy-from') {
    const copied = reviewed && layout.optStr('source_sha256') !== null ? { disks: disks(layout), interfaces: nics(layout) } : undefined;
    return { kind: 'copy-from', nodeId: layout.optNum('node_id'), hostname: layout.str('hostname'), ...(reviewed ? { reviewed } : {}), ...(copied ? { copied } : {}) };
  }
  if (kind === 'given') return { kind: 'given', disks: disks(layout), interfaces: nics(layout), ...(reviewed ? { reviewed } : {}) };
  throw new PumphouseError('PH_PLAN_INVALID', `${address}: after.layout.kind must be plugin, defaults, copy-from or given (it is ${kind})`, {
    address,
    details: { field: 'after.layout.kind' },
  });
}

function disks(layout: AfterValues): DiskLayout[] {
  return layout.objects('disks').map((d) => ({
    name: d.str('name'),
    ...(d.optNum('size') !== null ? { size: d.num('size') } : {}),
    volumes: d.objects('volumes').map((v) => ({ name: v.str('name'), size: v.num('size') })),
  }));
}

function nics(layout: AfterValues): NicLayout[] {
  return layout.objects('interfaces').map((i) => {
    const bond = i.optObject('bond');
    return { name: i.str('name'), assignedNetworks: i.strings('assigned_networks'), ...(bond ? { bond: { mode: bond.optStr('mode') ?? '', slaves: bond.strings('slaves') } } : {}) };
  });
}

/** The planning-time resolution, when the plan has one (`source` present). */
function reviewedLayout(layout: AfterValues, kind: string): ReviewedLayout | undefined {
  const source = layout.optStr('source');
  if (source === null) return undefined;
  const plugin = layout.optStr('plugin');
  const t = kind === 'copy-from' ? layout : layout.optObject('template');
  return {
    source,
    sha256: layout.optStr('source_sha256'),
    plugin: plugin === 'fixed' || plugin === 'discovery' ? plugin : null,
    template: t ? { nodeId: t.optNum('node_id'), hostname: t.optStr('hostname') ?? '' } : null,
  };
}
