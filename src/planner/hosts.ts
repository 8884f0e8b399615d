import type { FuelEnvironment, FuelNode } from '../inventory/index.js';
import type { Precondition } from '../plan/index.js';
import type { PlanContext } from './context.js';
import type { PlannerHost as DesiredHost } from './desired.js';
import type { Attributes } from '../plan/index.js';
import type { Handle } from './draft.js';
import { sourceMatch } from './facts.js';
import { LIVE_MIGRATION_S, REASSIGN_S } from './impact.js';
import { all } from './indexes.js';
import { addr, child, seg } from './names.js';

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
  const node = fuel ? findNode(fuel.nodes, h.name) : undefined;
  if (!fuel) {
    ctx.draft.error(`manifest ${h.entry}: host '${h.name}' needs the Fuel master, which is not configured`, address);
    return;
  }
  if (!node) {
    ctx.draft.error(
      `manifest ${h.entry}: host '${h.name}' is not a Fuel node`,
      address,
      services.length > 0 ? 'the source runs nova-compute there, but Fuel does not know the node' : 'neither Fuel nor the source cloud knows it',
    );
    return;
  }
  const env = findEnvironment(fuel.environments, h.environment);
  if (!env) {
    ctx.draft.error(`manifest ${h.entry}: Fuel environment '${h.environment}' not found`, address);
    return;
  }
  let layout: Attributes = { kind: 'plugin' };
  if (h.layout.kind === 'copy-from') {
    const from = h.layout.node;
    const template = findNode(fuel.nodes, from);
    if (!template) ctx.draft.error(`manifest ${h.entry}: copy_from node '${from}' is not a Fuel node`, address);
    else if (template.clusterId !== env.id) ctx.draft.warn(`copy_from node '${from}' is not in environment '${env.name}'`, address);
    layout = { kind: 'copy-from', node_id: template?.id ?? null, hostname: from };
  } else if (h.layout.kind === 'given') {
    layout = {
      kind: 'given',
      disks: (h.layout.disks ?? []).map((d) => ({
        name: d.name,
        size: d.size ?? null,
        volumes: d.volumes.map((v) => ({ name: v.name, size: v.size })),
      })),
      interfaces: (h.layout.interfaces ?? []).map((i) => ({ name: i.name, assigned_networks: [...i.assignedNetworks] })),
    };
  }
  const reassigned = node.clusterId === env.id;
  const evacuation = planEvacuation(ctx, h, child(address, seg('evacuation')), reassigned);
  const macs = [...node.macs].map((m) => m.toLowerCase()).sort();
  const warnings: string[] = [];
  if (!reassigned && node.status !== 'ready') warnings.push(`the Fuel node is ${node.status}, not ready`);
  if (!reassigned && !node.online) warnings.push('the Fuel node is offline');
  const preconditions: Precondition[] = reassigned
    ? []
    : [
        {
          cloud: 'fuel',
          ref: `fuel/nodes/${node.id}`,
          must: 'match',
          fields: { status: node.status, clusterId: node.clusterId, online: node.online, macs: macs.join(',') },
        },
      ];
  ctx.draft.add(String(node.id), {
    address,
    kind: 'host_reassign',
    action: reassigned ? 'no-op' : 'reassign',
    reason: reassigned
      ? { code: 'up_to_date', text: `the node is already in environment '${env.name}'` }
      : { code: 'host_in_source_environment', text: `move the node to Fuel environment '${env.name}' with roles ${h.roles.join(', ')}` },
    deps: [evacuation],
    host: h.name,
    source: { cloud: 'fuel', id: String(node.id), name: node.hostname },
    destination: { cloud: 'fuel', name: h.name },
    before: { environment: node.clusterId, roles: [...node.roles], status: node.status },
    after: {
      node_id: node.id,
      hostname: node.hostname,
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
function planEvacuation(ctx: PlanContext, h: DesiredHost, address: string, reassigned: boolean): Handle {
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
  const noop = reassigned || !service || empty;
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
          text: reassigned ? 'the host is already reassigned' : !service ? 'the source runs no nova-compute there' : 'the host is empty and disabled',
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

function findNode(nodes: readonly FuelNode[], name: string): FuelNode | undefined {
  return nodes.find((n) => n.hostname === name) ?? nodes.find((n) => n.hostname.split('.')[0] === name.split('.')[0]);
}

function findEnvironment(envs: readonly FuelEnvironment[], ref: string): FuelEnvironment | undefined {
  return envs.find((e) => String(e.id) === ref) ?? envs.find((e) => e.name === ref);
}
