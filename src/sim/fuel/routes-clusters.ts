import type { SimCluster, SimNode } from './model.js';
import { NailgunError, empty, idParam, isInt, listBody, ok, type Reply, type Route, type RouteContext } from './reply.js';
import { clusterBusy, startRun } from './runs.js';
import { defaultVolumes } from './volumes.js';
import { clusterJson, networkConfigurationJson, taskJson } from './wire.js';
import type { FuelWorld } from './world.js';

export function getCluster(world: FuelWorld, id: number): SimCluster {
  const c = world.clusters.get(id);
  if (!c) throw new NailgunError(404, 'Cluster not found');
  return c;
}

/** Nailgun 6.0 `NodeAssignmentValidator`: unknown ids, nodes already in an environment, invalid or conflicting roles -> 400. */
function assign(ctx: RouteContext): Reply {
  const { world } = ctx;
  const cluster = getCluster(world, idParam(ctx));
  const wanted = new Map<number, string[]>();
  for (const item of listBody(ctx)) {
    const o = item as Record<string, unknown>;
    if (typeof o !== 'object' || o === null || !isInt(o.id) || !Array.isArray(o.roles) || !o.roles.every((r) => typeof r === 'string')) {
      throw new NailgunError(400, `Invalid data received: each item needs an integer "id" and a list of "roles"`);
    }
    wanted.set(o.id, o.roles as string[]);
  }
  const missing = [...wanted.keys()].filter((id) => !world.nodes.has(id));
  if (missing.length > 0) throw new NailgunError(400, `Nodes with ids ${missing.join(',')} were not found.`);
  const assigned = [...wanted.keys()].filter((id) => world.nodes.get(id)?.clusterId !== null);
  if (assigned.length > 0) {
    throw new NailgunError(400, `Nodes with ids ${assigned.join(',')} already assigned to environments. Nodes must be unassigned before they can be assigned again.`);
  }
  const release = world.releases.find((r) => r.id === cluster.releaseId);
  for (const roles of wanted.values()) {
    const invalid = roles.filter((r) => !release?.roles.includes(r));
    if (invalid.length > 0) throw new NailgunError(400, `${invalid.join(', ')} are not valid roles for node in ${release?.name ?? '?'} release`);
    for (const role of roles) {
      const clash = (release?.conflicts[role] ?? []).filter((c) => roles.includes(c));
      if (clash.length > 0) throw new NailgunError(400, `Role "${role}" in conflict with role ${clash.join(', ')}`);
    }
  }
  for (const [id, roles] of wanted) {
    const node = world.nodes.get(id) as SimNode;
    world.addIntoCluster(node, cluster);
    node.pendingRoles = [...new Set(roles)];
    node.pendingAddition = true;
    node.volumes = defaultVolumes(node.machine.disks, [...node.roles, ...node.pendingRoles]);
  }
  return empty();
}

/** Nailgun 6.0 `NodeUnassignmentValidator` and handler: a `discover` node leaves at once, others get pending_deletion. */
function unassign(ctx: RouteContext): Reply {
  const { world } = ctx;
  const cluster = getCluster(world, idParam(ctx));
  const ids = listBody(ctx).map((item) => {
    const o = item as Record<string, unknown>;
    if (typeof o !== 'object' || o === null || !isInt(o.id)) throw new NailgunError(400, 'Invalid data received: each item needs an integer "id"');
    return o.id;
  });
  const known = ids.filter((id) => world.nodes.has(id));
  const strangers = known.filter((id) => world.nodes.get(id)?.clusterId !== cluster.id);
  if (strangers.length > 0) throw new NailgunError(400, `Nodes [${strangers.join(', ')}] are not members of environment ${cluster.id}.`);
  const missing = ids.filter((id) => !world.nodes.has(id));
  if (missing.length > 0) throw new NailgunError(400, `Nodes with ids ${missing.join(',')} were not found.`);
  const done = known.filter((id) => world.nodes.get(id)?.pendingDeletion);
  if (done.length > 0) throw new NailgunError(400, `Can't unassign nodes with ids ${done.join(',')} if they not assigned.`);
  for (const id of known) {
    const node = world.nodes.get(id) as SimNode;
    if (node.status === 'discover') world.removeFromCluster(node);
    else node.pendingDeletion = true;
  }
  return empty();
}

/**
 * `PUT /clusters/{id}/changes`. A second deploy while one runs raises Nailgun 5.1/6.0's
 * DeploymentAlreadyStarted, which its DeferredTaskHandler does not catch: HTTP 500.
 */
function changes(ctx: RouteContext): Reply {
  const { world } = ctx;
  const cluster = getCluster(world, idParam(ctx));
  if (clusterBusy(world, cluster.id)) throw new NailgunError(500, 'internal server error');
  // Nailgun drops the finished deploy tasks of the environment (with their subtasks) first.
  for (const t of [...world.tasks.values()]) {
    if (t.clusterId === cluster.id && t.name === 'deploy' && t.status !== 'running') {
      for (const sub of [...world.tasks.values()]) if (sub.parentId === t.id) world.tasks.delete(sub.id);
      world.tasks.delete(t.id);
    }
  }
  const members = [...world.nodes.values()].filter((n) => n.clusterId === cluster.id);
  const deletion = members.filter((n) => n.pendingDeletion).map((n) => n.id);
  const provision = members.filter((n) => !n.pendingDeletion && ((n.pendingAddition && n.status === 'discover') || n.errorType === 'provision')).map((n) => n.id);
  const deployment = members
    .filter((n) => !n.pendingDeletion && (n.pendingAddition || n.status === 'provisioned' || (n.status === 'error' && n.errorType !== 'deletion')))
    .map((n) => n.id);
  if (deletion.length + provision.length + deployment.length === 0) throw new NailgunError(400, 'No changes to deploy');
  return ok(taskJson(world, startRun(world, cluster, { deletion, provision, deployment }, true)), 202);
}

function selectedNodes(ctx: RouteContext, cluster: SimCluster): SimNode[] {
  const raw = ctx.query.get('nodes') ?? '';
  const ids = raw.split(',').filter((s) => s !== '').map(Number);
  const nodes = ids.map((id) => ctx.world.nodes.get(id));
  if (ids.length === 0 || nodes.some((n) => !n || n.clusterId !== cluster.id)) throw new NailgunError(404, 'NodeCollection not found');
  return nodes as SimNode[];
}

function provisionSelected(ctx: RouteContext): Reply {
  const cluster = getCluster(ctx.world, idParam(ctx));
  const nodes = selectedNodes(ctx, cluster);
  if (clusterBusy(ctx.world, cluster.id)) throw new NailgunError(500, 'internal server error');
  return ok(taskJson(ctx.world, startRun(ctx.world, cluster, { provision: nodes.map((n) => n.id) }, false)), 202);
}

function deploySelected(ctx: RouteContext): Reply {
  const cluster = getCluster(ctx.world, idParam(ctx));
  const nodes = selectedNodes(ctx, cluster);
  const unready = nodes.filter((n) => !['provisioned', 'ready', 'error'].includes(n.status));
  if (unready.length > 0) throw new NailgunError(400, `Nodes with ids ${unready.map((n) => n.id).join(',')} are not provisioned`);
  if (clusterBusy(ctx.world, cluster.id)) throw new NailgunError(500, 'internal server error');
  return ok(taskJson(ctx.world, startRun(ctx.world, cluster, { deployment: nodes.map((n) => n.id) }, false)), 202);
}

function networkConfiguration(ctx: RouteContext): Reply {
  const cluster = getCluster(ctx.world, idParam(ctx));
  if (ctx.params[1] !== cluster.netProvider) throw new NailgunError(400, 'Wrong net provider');
  return ok(networkConfigurationJson(cluster));
}

export const clusterRoutes: readonly Route[] = [
  { method: 'GET', pattern: /^\/clusters$/, handle: ({ world }) => ok([...world.clusters.values()].map(clusterJson)) },
  { method: 'GET', pattern: /^\/clusters\/(\d+)$/, handle: (ctx) => ok(clusterJson(getCluster(ctx.world, idParam(ctx)))) },
  { method: 'GET', pattern: /^\/clusters\/(\d+)\/network_configuration\/(nova_network|neutron)$/, handle: networkConfiguration },
  { method: 'POST', pattern: /^\/clusters\/(\d+)\/assignment$/, handle: assign },
  { method: 'POST', pattern: /^\/clusters\/(\d+)\/unassignment$/, handle: unassign },
  { method: 'PUT', pattern: /^\/clusters\/(\d+)\/changes$/, handle: changes },
  { method: 'PUT', pattern: /^\/clusters\/(\d+)\/provision$/, handle: provisionSelected },
  { method: 'PUT', pattern: /^\/clusters\/(\d+)\/deploy$/, handle: deploySelected },
];
