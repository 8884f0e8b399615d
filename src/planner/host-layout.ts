import { createHash } from 'node:crypto';
import type { FuelEnvironment, FuelInventory, FuelNode, FuelNodeLayout } from '../inventory/index.js';
import type { DesiredState } from '../manifest/index.js';
import type { Attributes } from '../plan/index.js';
import { findNode } from './host-machine.js';

/** `PLUGINS.assignment` and its parameters, as the config has them. */
export interface AssignmentPlugin {
  readonly assignment: 'fixed' | 'discovery';
  readonly assignmentParameters?: {
    readonly disks: readonly { readonly name: string; readonly size?: number; readonly volumes: readonly { readonly name: string; readonly size: number }[] }[];
    readonly ifaces: readonly { readonly name: string; readonly assignedNetworks: readonly string[] }[];
  };
}

/**
 * The node the `discovery` assignment plugin copies in an environment: its compute nodes
 * other than `exclude`, the first `ready` one by id, else the first (the rule the host kind
 * applied at apply time before plans recorded the layout).
 */
export function pluginTemplate(nodes: readonly FuelNode[], envId: number, exclude: number | null): FuelNode | undefined {
  const computes = nodes.filter((n) => n.clusterId === envId && n.id !== exclude && n.roles.includes('compute')).sort((a, b) => a.id - b.id);
  return computes.find((n) => n.status === 'ready') ?? computes[0];
}

/**
 * The node ids whose layouts discovery reads for the manifest's hosts: each `copy_from`
 * node, and for hosts left (wholly or partly) to the plugin the discovery plugin's template of their
 * environment (read whatever the plugin: two GETs, and the planner takes it only for
 * `discovery`).
 */
export function layoutTemplateIds(hosts: DesiredState['hosts'], fuel: Pick<FuelInventory, 'nodes' | 'environments'>): number[] {
  const ids = new Set<number>();
  for (const h of hosts) {
    if (h.layout.kind === 'copy-from') {
      const n = findNode(fuel.nodes, h.layout.node);
      if (n) ids.add(n.id);
    } else if (h.layout.kind === 'plugin' || !h.layout.disks?.length || !h.layout.interfaces?.length) {
      const env = findEnvironment(fuel.environments, h.environment);
      const self = findNode(fuel.nodes, h.name);
      const t = env ? pluginTemplate(fuel.nodes, env.id, self?.id ?? null) : undefined;
      if (t) ids.add(t.id);
    }
  }
  return [...ids].sort((a, b) => a - b);
}

export function findEnvironment(envs: readonly FuelEnvironment[], ref: string): FuelEnvironment | undefined {
  return envs.find((e) => String(e.id) === ref) ?? envs.find((e) => e.name === ref);
}

type Nic = FuelNodeLayout['interfaces'][number];

/** A layout as the plan carries it (snake_case, the manifest's `given` form, plus bonds). */
export function layoutAttributes(l: { readonly interfaces: readonly Nic[]; readonly disks: FuelNodeLayout['disks'] }): { interfaces: Attributes[]; disks: Attributes[] } {
  return {
    interfaces: l.interfaces.map((i) => ({
      name: i.name,
      assigned_networks: [...i.assignedNetworks],
      ...(i.bond ? { bond: { mode: i.bond.mode, slaves: [...i.bond.slaves] } } : {}),
    })),
    disks: l.disks.map((d) => ({ name: d.name, size: d.size ?? null, volumes: d.volumes.map((v) => ({ name: v.name, size: v.size })) })),
  };
}

/**
 * sha256 of a layout source in its plan form (null: Nailgun's defaults): what apply compares
 * with the source read again before it wipes the node.
 */
export function layoutSourceSha256(source: { readonly interfaces: readonly Nic[]; readonly disks: FuelNodeLayout['disks'] } | null): string {
  return createHash('sha256')
    .update(JSON.stringify(source ? layoutAttributes(source) : null))
    .digest('hex');
}

/** What the planner resolved a host's layout to: the plan's `after.layout`, warnings, or an error. */
export type LayoutDecision = { readonly layout: Attributes; readonly template?: FuelNode } | { readonly error: string };

/**
 * Resolves a host's layout at plan time, so the reviewer sees the disks and NIC mapping the
 * node will get and apply uses exactly those (after checking that their source did not
 * change): `copy_from` and the `discovery` plugin record the template node's layout as
 * discovery read it; the `fixed` plugin records its parameters (`defaults` without any);
 * a manifest layout missing a part takes it from the plugin. Without the config's plugin
 * (`plugins` not given) or the template's layout (not read), the old form is kept and the
 * kind resolves it at apply time.
 */
export function resolveHostLayout(
  h: DesiredState['hosts'][number],
  env: FuelEnvironment,
  selfId: number | null,
  fuel: FuelInventory,
  plugins: AssignmentPlugin | undefined,
): LayoutDecision {
  const observed = (n: FuelNode) => fuel.layouts?.[String(n.id)];
  const fromTemplate = (n: FuelNode, source: string): Attributes => {
    const l = observed(n);
    return {
      kind: 'copy-from',
      node_id: n.id,
      hostname: n.hostname,
      // Without the template's layout (not read), apply copies it as it is then.
      ...(l ? { source: `${source} ${n.hostname} (id ${n.id})`, ...layoutAttributes(l), source_sha256: layoutSourceSha256(l) } : {}),
    };
  };
  const plugin = (): LayoutDecision | undefined => {
    if (!plugins) return undefined;
    if (plugins.assignment === 'discovery') {
      const t = pluginTemplate(fuel.nodes, env.id, selfId);
      if (!t) return { error: `PLUGINS.assignment is discovery, but Fuel environment '${env.name}' has no compute node to copy` };
      return { layout: { ...fromTemplate(t, 'plugin discovery'), plugin: 'discovery' }, template: t };
    }
    const p = plugins.assignmentParameters;
    const source = p ? { interfaces: p.ifaces, disks: p.disks } : null;
    return {
      layout: source
        ? { kind: 'given', source: 'plugin fixed', plugin: 'fixed', ...layoutAttributes(source), source_sha256: layoutSourceSha256(source) }
        : { kind: 'defaults', source: 'plugin fixed (no assignment_parameters: Nailgun defaults)', plugin: 'fixed', source_sha256: layoutSourceSha256(null) },
    };
  };
  const l = h.layout;
  if (l.kind === 'copy-from') {
    const t = findNode(fuel.nodes, l.node);
    if (!t) return { error: `copy_from node '${l.node}' is not a Fuel node` };
    return { layout: { ...fromTemplate(t, 'copy_from'), hostname: l.node }, template: t };
  }
  if (l.kind === 'plugin') return plugin() ?? { layout: { kind: 'plugin' } };
  const given = {
    kind: 'given',
    disks: (l.disks ?? []).map((d) => ({ name: d.name, size: d.size ?? null, volumes: d.volumes.map((v) => ({ name: v.name, size: v.size })) })),
    interfaces: (l.interfaces ?? []).map((i) => ({ name: i.name, assigned_networks: [...i.assignedNetworks] })),
  };
  if (given.disks.length > 0 && given.interfaces.length > 0) return { layout: { ...given, source: 'manifest' } };
  const fallback = plugin();
  if (!fallback) return { layout: given };
  if ('error' in fallback) return fallback;
  const f = fallback.layout;
  const part = (key: 'disks' | 'interfaces') => (given[key].length > 0 ? given[key] : f[key]);
  if (part('disks') === undefined || part('interfaces') === undefined) return { layout: given }; // template not read: resolved at apply time
  return {
    layout: {
      kind: 'given',
      source: `manifest + ${String(f['source'])}`,
      plugin: f['plugin'] ?? null,
      ...(f['kind'] === 'copy-from' ? { template: { node_id: f['node_id'] ?? null, hostname: f['hostname'] ?? null } } : {}),
      disks: part('disks') ?? [],
      interfaces: part('interfaces') ?? [],
      source_sha256: f['source_sha256'] ?? null,
    },
    ...(fallback.template ? { template: fallback.template } : {}),
  };
}
