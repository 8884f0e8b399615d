import { PumphouseError } from '../../errors/index.js';
import { emit } from '../../events/index.js';
import { diskLayoutOf, disksWithLayout, interfacesWithLayout, nicLayoutOf, type DiskLayout, type FuelNode, type NicLayout } from '../../fuel/index.js';
import type { StepResult } from '../contract.js';
import { nodeInDestination, nodeLabel, nodeOrNull } from './machine.js';
import type { Reassignment } from './reassignment.js';
import { layoutSourceSha256 } from '../../planner/host-layout.js';

/** The disks and NIC mapping a node gets, and where they came from (for outputs and messages). */
export interface ResolvedLayout {
  /** `copy-from node-5 (id 5)`, `plugin fixed`, `plugin discovery node-5 (id 5)`, `manifest`, `fuel defaults`. */
  readonly from: string;
  /** Absent or empty: Nailgun's defaults stay. */
  readonly disks?: readonly DiskLayout[];
  readonly nics?: readonly NicLayout[];
}

/**
 * `configure_disks_nics`: gives the node its disks and NIC-to-network mapping in the
 * destination environment, by name (disks `sda`..., NICs `eth0`..., networks by name; ids
 * come from the node, since network ids are per environment). From the plan's layout:
 * `copy-from` an existing node of the environment, `given` in the manifest (a missing part
 * falls back to the plugin), or `plugin` = the config's PLUGINS.assignment (`fixed`:
 * assignment_parameters; `discovery`: the first compute node of the environment). Both PUTs
 * replace whole documents, so running the step again is harmless. A node already past
 * `discover` (provisioning or deployed) keeps its layout: Nailgun no longer accepts changes.
 */
export async function configureDisksNics(r: Reassignment): Promise<StepResult> {
  const node = await nodeInDestination(r);
  if (node.status !== 'discover' && node.status !== 'error') {
    return { outputs: { layout_from: 'kept', layout_note: `node already ${node.status}` } };
  }
  const layout = await resolveLayout(r, node);
  const label = nodeLabel(node);
  let interfaces = 0;
  let disks = 0;
  if (layout.nics && layout.nics.length > 0) {
    const wanted = interfacesWithLayout(label, await r.fuel.interfaces(node.id), layout.nics);
    interfaces = (await r.fuel.setInterfaces(node.id, wanted)).length;
  }
  if (layout.disks && layout.disks.length > 0) {
    const wanted = disksWithLayout(label, await r.fuel.disks(node.id), layout.disks);
    disks = (await r.fuel.setDisks(node.id, wanted)).length;
  }
  if (interfaces === 0 && disks === 0) {
    emit(r.ctx.reporter, 'log', 'info', `${r.address}: node ${label} keeps Nailgun's default disks and NIC mapping (${layout.from})`, { text: 'default layout' });
  }
  return { outputs: { layout_from: layout.from, interfaces_set: interfaces, disks_set: disks } };
}

/**
 * What layout the plan asks for: the one it shows when it was resolved at planning time
 * (checked by verifyLayoutSource before the node was wiped), else read from Fuel (templates)
 * or the config (plugin) now.
 */
export async function resolveLayout(r: Reassignment, node: FuelNode): Promise<ResolvedLayout> {
  const plan = r.layout;
  if (plan.kind === 'defaults') return { from: plan.reviewed.source };
  if (plan.kind === 'copy-from' && plan.reviewed && plan.copied) return { from: plan.reviewed.source, disks: plan.copied.disks, nics: plan.copied.interfaces };
  if (plan.kind === 'given' && plan.reviewed) return { from: plan.reviewed.source, disks: plan.disks, nics: plan.interfaces };
  if (plan.kind === 'copy-from') {
    const template = (plan.nodeId !== null ? await nodeOrNull(r.fuel, plan.nodeId) : null) ?? (await r.fuel.findNodeByHostname(plan.hostname, { clusterId: r.destinationEnv }));
    if (!template) throw noTemplate(r, `copy_from node '${plan.hostname}' is not a Fuel node`);
    return fromTemplate(r, node, template, `copy-from ${nodeLabel(template)}`);
  }
  const plugin = () => pluginLayout(r, node);
  if (plan.kind === 'given') {
    const needPlugin = plan.disks.length === 0 || plan.interfaces.length === 0;
    const fallback = needPlugin ? await plugin() : undefined;
    return {
      from: needPlugin ? `manifest + ${fallback!.from}` : 'manifest',
      ...(plan.disks.length > 0 ? { disks: plan.disks } : fallback?.disks ? { disks: fallback.disks } : {}),
      ...(plan.interfaces.length > 0 ? { nics: plan.interfaces } : fallback?.nics ? { nics: fallback.nics } : {}),
    };
  }
  return plugin();
}

async function pluginLayout(r: Reassignment, node: FuelNode): Promise<ResolvedLayout> {
  const plugins = r.settings.plugins;
  if (plugins.assignment === 'discovery') {
    const nodes = await r.fuel.nodes({ clusterId: r.destinationEnv });
    const computes = nodes.filter((n) => n.id !== node.id && n.roles.includes('compute')).sort((a, b) => a.id - b.id);
    const template = computes.find((n) => n.status === 'ready') ?? computes[0];
    if (!template) throw noTemplate(r, `PLUGINS.assignment is discovery, but environment ${r.destinationEnvName} has no compute node to copy`);
    return fromTemplate(r, node, template, `plugin discovery ${nodeLabel(template)}`);
  }
  const params = plugins.assignmentParameters;
  if (!params) return { from: 'fuel defaults' };
  return { from: 'plugin fixed', disks: params.disks, nics: params.ifaces };
}

async function fromTemplate(r: Reassignment, node: FuelNode, template: FuelNode, from: string): Promise<ResolvedLayout> {
  if (template.id === node.id) throw noTemplate(r, `the layout template ${nodeLabel(template)} is the node being reassigned`);
  const [interfaces, disks] = await Promise.all([r.fuel.interfaces(template.id), r.fuel.disks(template.id)]);
  return { from, nics: nicLayoutOf(interfaces), disks: diskLayoutOf(disks) };
}

function noTemplate(r: Reassignment, why: string): PumphouseError {
  return new PumphouseError('PH_PRECONDITION_FAILED', `${r.address}: ${why}`, { address: r.address, source: 'user', details: { environment: r.destinationEnv } });
}

/**
 * Before the node is wiped: the source of the layout the plan shows is still what it was
 * when the plan was made (same sha256 of the template node's disks and NIC mapping, or of
 * the fixed plugin's parameters; the same PLUGINS.assignment). Otherwise
 * PH_PRECONDITION_FAILED: the reviewed layout would no longer be what the source says, so
 * nothing is done and the plan must be made (and reviewed) again. Plans without a recorded
 * layout are not checked (their layout is resolved when it is applied).
 */
export async function verifyLayoutSource(r: Reassignment, selfId: number | null): Promise<void> {
  const plan = r.layout;
  const reviewed = plan.kind === 'plugin' ? undefined : plan.reviewed;
  if (!reviewed || reviewed.sha256 === null) return;
  const refuse = (why: string): never => {
    throw new PumphouseError('PH_PRECONDITION_FAILED', `${r.address}: ${why} since the plan was made; nothing was changed: plan again and review the new layout`, {
      address: r.address,
      source: 'user',
      details: { layout_source: reviewed.source },
    });
  };
  const plugins = r.settings.plugins;
  if (reviewed.plugin !== null && plugins.assignment !== reviewed.plugin) refuse(`PLUGINS.assignment changed from ${reviewed.plugin} to ${plugins.assignment}`);
  let now: Parameters<typeof layoutSourceSha256>[0];
  if (reviewed.template) {
    const t = reviewed.template;
    const template = (t.nodeId !== null ? await nodeOrNull(r.fuel, t.nodeId) : null) ?? (t.hostname ? await r.fuel.findNodeByHostname(t.hostname, { clusterId: r.destinationEnv }) : null);
    if (!template || template.id === selfId) return refuse(`the layout template ${reviewed.source} is gone`);
    const [interfaces, disks] = await Promise.all([r.fuel.interfaces(template.id), r.fuel.disks(template.id)]);
    now = { interfaces: nicLayoutOf(interfaces), disks: diskLayoutOf(disks) };
  } else {
    const p = plugins.assignmentParameters;
    now = p ? { interfaces: p.ifaces, disks: p.disks } : null;
  }
  if (layoutSourceSha256(now) !== reviewed.sha256) refuse(`the disks and NIC mapping of ${reviewed.source} changed`);
}
