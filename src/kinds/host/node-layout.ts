import { PumphouseError } from '../../errors/index.js';
import { emit } from '../../events/index.js';
import { diskLayoutOf, disksWithLayout, interfacesWithLayout, nicLayoutOf, type DiskLayout, type FuelNode, type NicLayout } from '../../fuel/index.js';
import type { StepResult } from '../contract.js';
import { nodeInDestination, nodeLabel, nodeOrNull } from './machine.js';
import type { Reassignment } from './reassignment.js';

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

/** What layout the plan asks for, read from Fuel (templates) or the config (plugin) now. */
export async function resolveLayout(r: Reassignment, node: FuelNode): Promise<ResolvedLayout> {
  const plan = r.layout;
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
