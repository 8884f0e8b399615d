import type { FuelNode } from '../inventory/index.js';
import type { Precondition } from '../plan/index.js';
import type { PlanContext } from './context.js';
import type { PlannerHost as DesiredHost } from './desired.js';
import type { Attributes } from '../plan/index.js';
import type { Handle } from './draft.js';
import { sourceMatch } from './facts.js';
import { LIVE_MIGRATION_S, REASSIGN_S } from './impact.js';
import { all } from './indexes.js';
import { addr, child, seg } from './names.js';
import { findMachine, recordedMachine, type FoundMachine } from './host-machine.js';
import { findEnvironment, resolveHostLayout } from './host-layout.js';

/**
 * For each manifest host: evacuate it in the source (after the tenant migrations of the
 * servers on it, and what happens to their source copies), then reassign it in Fuel from the
 * source to the destination environment (after the evacuation). Reassignment wipes the node:
 * destructive and irreversible. Its preconditions pin the Fuel node's status, environment and
 * MAC set (Fuel gives a rediscovered node a new id; the MACs identify it).
 */
export function planHosts(ctx: PlanContext): void {
  const seen = new Set<string>();
  for (const h of ctx.desired.hosts) {
    if (seen.has(h.name)) {
      ctx.draft.warn(`manifest ${h.entry}: host '${h.name}' is listed twice; the first entry is used`);
      continue;
    }
    seen.add(h.name);
    planHost(ctx, h);
  }
}

function planHost(ctx: PlanContext, h: DesiredHost): void {
  const address = addr(seg('host', h.name));
  const fuel = ctx.input.fuel;
  const services = ctx.src.computeServices.filter((s) => s.host === h.name && s.binary === 'nova-compute');
  if (!fuel) {
    ctx.draft.error(`manifest ${h.entry}: host '${h.name}' needs the Fuel master, which is not configured`, address);
    return;
  }
  const found = findMachine(fuel.nodes, h.name, recordedMachine(ctx.input.prior, address));
  if (!found) {
    ctx.draft.error(
      `manifest ${h.entry}: host '${h.name}' is not a Fuel node`,
      address,
      services.length > 0 ? 'the source runs nova-compute there, but Fuel does not know the node' : 'neither Fuel nor the source cloud knows it',
    );
    return;
  }
  if (found.by === 'shared-macs') {
    ctx.draft.error(`host '${h.name}': Fuel nodes ${found.nodes.map((n) => n.id).join(', ')} share the MACs ${found.recorded.macs.join(', ')} the state records for it`, address);
    return;
  }
  if (found.by === 'state' && found.recorded.status === 'ready') {
    ctx.draft.error(
      `host '${h.name}' was reassigned by an earlier run, but no Fuel node has its MACs ${found.recorded.macs.join(', ')} any more`,
      address,
      'remove it from the manifest, or `pumphouse state rm` its address if the machine is gone',
    );
    return;
  }
  const node = machineNode(found, h.name);
  const env = findEnvironment(fuel.environments, h.environment);
  if (!env) {
    ctx.draft.error(`manifest ${h.entry}: Fuel environment '${h.environment}' not found`, address);
    return;
  }
  const decided = resolveHostLayout(h, env, node.id, fuel, ctx.input.plugins);
  let layout: Attributes;
  let template: FuelNode | undefined;
  if ('error' in decided) {
    ctx.draft.error(`manifest ${h.entry}: ${decided.error}`, address);
    layout = h.layout.kind === 'copy-from' ? { kind: 'copy-from', node_id: null, hostname: h.layout.node } : { kind: 'plugin' };
  } else {
    layout = decided.layout;
    template = decided.template;
    if (template && template.clusterId !== env.id) ctx.draft.warn(`layout template node '${template.hostname}' is not in environment '${env.name}'`, address);
    if (template && layout['source_sha256'] === undefined && layout['kind'] !== 'given') {
      ctx.draft.warn(`the layout of node '${template.hostname}' was not read at planning time: apply copies it as it is then`, address);
    }
  }
  // Done only when the node is deployed in the destination and no earlier run of ours stopped
  // half-way (its state record not ready): the remaining steps then adopt what Fuel did
  // meanwhile and verify nova-compute in the destination.
  const inDestination = node.clusterId === env.id;
  const unfinished = found.by !== 'name' && found.recorded.status !== 'ready';
  const reassigned = inDestination && node.status === 'ready' && node.pendingRoles.length === 0 && !unfinished;
  // Out of the source: in the destination, or wiped and found again by its MACs.
  const leftSource = inDestination || found.by === 'state' || (found.by === 'macs' && node.clusterId === null);
  const evacuation = planEvacuation(ctx, h, child(address, seg('evacuation')), leftSource);
  const macs = [...node.macs].map((m) => m.toLowerCase()).sort();
  const warnings: string[] = [];
  if (found.by === 'state') warnings.push(`no Fuel node has the MACs the state records (${macs.join(', ')}): the machine is being removed or reboots into bootstrap; the reassignment continues by its MACs`);
  else if (found.by === 'macs' && node.hostname !== h.name) warnings.push(`Fuel now names the machine ${node.hostname} (node ${node.id}): found by the MACs an earlier run recorded`);
  if (!reassigned && !leftSource && node.status !== 'ready') warnings.push(`the Fuel node is ${node.status}, not ready`);
  if (!reassigned && found.by !== 'state' && !node.online) warnings.push('the Fuel node is offline');
  const preconditions: Precondition[] =
    reassigned || found.by === 'state'
    ? []
    : [
        {
          cloud: 'fuel',
          ref: `fuel/nodes/${node.id}`,
          must: 'match',
          // A node an earlier run already took out of the source moves on by itself (Fuel's
          // deployment, rediscovery): only where it is and which machine it is are pinned.
          fields: leftSource ? { clusterId: node.clusterId, macs: macs.join(',') } : { status: node.status, clusterId: node.clusterId, online: node.online, macs: macs.join(',') },
        },
        // The node whose layout the plan copies is still there, where it was.
        ...(template && typeof layout['source_sha256'] === 'string'
          ? [{ cloud: 'fuel' as const, ref: `fuel/nodes/${template.id}`, must: 'match' as const, fields: { status: template.status, clusterId: template.clusterId } }]
          : []),
      ];
  ctx.draft.add(String(node.id), {
    address,
    kind: 'host_reassign',
    action: reassigned ? 'no-op' : 'reassign',
    reason: reassigned
      ? { code: 'up_to_date', text: `the node is already deployed in environment '${env.name}'` }
      : leftSource
        ? { code: 'host_in_source_environment', text: `continue moving the node (found by its MACs) to Fuel environment '${env.name}' with roles ${h.roles.join(', ')}` }
        : { code: 'host_in_source_environment', text: `move the node to Fuel environment '${env.name}' with roles ${h.roles.join(', ')}` },
    deps: [evacuation],
    host: h.name,
    source: { cloud: 'fuel', id: String(node.id), name: node.hostname },
    destination: { cloud: 'fuel', name: h.name },
    before: { environment: node.clusterId, roles: [...node.roles], status: node.status },
    after: {
      node_id: node.id,
      // The source's name for it (its stale services carry it), even once Fuel renamed the node.
      hostname: found.by === 'name' ? node.hostname : h.name,
      macs,
      source_environment: node.clusterId,
      destination_environment: env.id,
      destination_environment_name: env.name,
      roles: [...h.roles],
      layout,
    },
    preconditions,
    impact: reassigned
      ? { downtime: false, destructive: false, irreversible: false }
      : { downtime: false, destructive: true, irreversible: true, estimate_s: REASSIGN_S },
    warnings,
  });
}

/**
 * Evacuation: disable nova-compute, live-migrate what is still there. Runs after every server
 * action of a migrated tenant on this host (and its source-copy action): what remains are the
 * servers pumphouse keeps or does not migrate, and they move to other source hosts.
 */
function planEvacuation(ctx: PlanContext, h: DesiredHost, address: string, leftSource: boolean): Handle {
  const service = ctx.src.computeServices.find((s) => s.host === h.name && s.binary === 'nova-compute');
  const servers = all(ctx.s.serversByHost, h.name);
  const deps: (Handle | undefined)[] = [];
  const remaining: string[] = [];
  for (const sv of servers) {
    if (ctx.migratedServers.has(sv.id)) {
      deps.push(ctx.draft.get('server', sv.id), ctx.draft.get('source_after', sv.id));
      const mode = ctx.tenantByProject.get(sv.projectId)?.desired.sourceAfter;
      if (mode !== 'delete') remaining.push(sv.id);
    } else {
      remaining.push(sv.id);
    }
  }
  const empty = servers.length === 0 && (!service || service.status === 'disabled');
  const noop = leftSource || !service || empty;
  // SHUTOFF servers are cold-migrated (and stay SHUTOFF); nothing moves the others.
  const stuck = servers.filter((sv) => remaining.includes(sv.id) && !['ACTIVE', 'PAUSED', 'SHUTOFF'].includes(sv.status));
  const cold = servers.filter((sv) => remaining.includes(sv.id) && sv.status === 'SHUTOFF').length;
  const warnings = stuck.map((sv) => `server '${sv.name}' is ${sv.status}: neither live nor cold migration can move it; the evacuation will stop on it`);
  const hyp = ctx.src.hypervisors.find((x) => x.host === h.name);
  const preconditions: Precondition[] = [];
  if (!noop && service) {
    preconditions.push(sourceMatch('nova', 'services', `${h.name}/nova-compute`, { state: service.state }));
    if (hyp) preconditions.push(sourceMatch('nova', 'hypervisors', hyp.id, { host: h.name }));
  }
  return ctx.draft.add(h.name, {
    address,
    kind: 'host_evacuate',
    action: noop ? 'no-op' : 'evacuate',
    reason: noop
      ? {
          code: 'up_to_date',
          text: leftSource ? 'the host has left the source environment' : !service ? 'the source runs no nova-compute there' : 'the host is empty and disabled',
        }
      : {
          code: 'host_not_empty',
          text: `disable nova-compute and move the ${remaining.length} server(s) left (${remaining.length - cold} by live migration, ${cold} stopped one(s) by cold migration)`,
        },
    deps: noop ? [] : deps,
    host: h.name,
    source: { cloud: 'source', id: h.name, name: h.name },
    before: service ? { status: service.status, state: service.state, servers: servers.length } : null,
    after: { host: h.name, servers: remaining.sort() },
    preconditions,
    impact: noop
      ? { downtime: false, destructive: false, irreversible: false }
      : { downtime: false, destructive: false, irreversible: false, estimate_s: LIVE_MIGRATION_S * remaining.length },
    warnings,
  });
}

/**
 * The node the action describes. Known only from the state (no row now): the id an earlier
 * run saw last (0 when none was recorded: Nailgun ids start at 1, so the kind looks it up by
 * MACs), no environment.
 */
function machineNode(found: Exclude<FoundMachine, { by: 'shared-macs' }>, name: string): FuelNode {
  if (found.by !== 'state') return found.node;
  const r = found.recorded;
  return { id: r.newNodeId ?? r.oldNodeId ?? 0, hostname: name, status: 'absent', online: false, clusterId: null, roles: [], pendingRoles: [], macs: r.macs };
}
