import type { SimNode } from './model.js';
import { NailgunError, idParam, isInt, listBody, objectBody, ok, type Reply, type Route, type RouteContext } from './reply.js';
import { putInterfaces } from './put-interfaces.js';
import { defaultVolumes } from './volumes.js';
import { disksJson, interfacesJson, nodeJson } from './wire.js';
import type { FuelWorld } from './world.js';

export function getNode(world: FuelWorld, id: number): SimNode {
  const n = world.nodes.get(id);
  if (!n) throw new NailgunError(404, 'Node not found');
  return n;
}

function listNodes(ctx: RouteContext): Reply {
  const filter = ctx.query.get('cluster_id');
  let nodes = [...ctx.world.nodes.values()];
  // An empty cluster_id means the unassigned nodes (NodeCollectionHandler.GET).
  if (filter === '') nodes = nodes.filter((n) => n.clusterId === null);
  else if (filter !== null) nodes = nodes.filter((n) => n.clusterId === Number(filter));
  return ok(nodes.map((n) => nodeJson(ctx.world, n)));
}

function strings(v: unknown, field: string): string[] {
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw new NailgunError(400, `${field}: Role list must be list of strings`);
  return v as string[];
}

/** Nailgun's Node.update for the fields a client sets. */
function updateNode(world: FuelWorld, node: SimNode, data: Record<string, unknown>): void {
  const key = 'cluster_id' in data ? 'cluster_id' : 'cluster' in data ? 'cluster' : undefined;
  if (key !== undefined) {
    const target = data[key];
    if (target !== null && !isInt(target)) throw new NailgunError(400, 'Invalid data received: cluster_id must be an integer or null');
    if (target === null && node.clusterId !== null) world.removeFromCluster(node);
    else if (target !== null && node.clusterId === null) {
      const cluster = world.clusters.get(target);
      if (!cluster) throw new NailgunError(400, `Cluster with id ${target} does not exist`);
      world.addIntoCluster(node, cluster);
    } else if (target !== null && target !== node.clusterId) {
      // "Changing cluster on the fly is not allowed" is an unhandled exception in Nailgun 6.0.
      throw new NailgunError(500, 'internal server error');
    }
  }
  // Roles of a node outside any environment are ignored (Nailgun logs and skips them).
  if ('pending_roles' in data && node.clusterId !== null) node.pendingRoles = strings(data.pending_roles, 'pending_roles');
  if ('roles' in data && node.clusterId !== null) node.roles = strings(data.roles, 'roles');
  if ('pending_roles' in data || 'roles' in data) node.volumes = defaultVolumes(node.machine.disks, [...node.roles, ...node.pendingRoles]);
  if (typeof data.pending_addition === 'boolean') node.pendingAddition = data.pending_addition;
  if (typeof data.pending_deletion === 'boolean') node.pendingDeletion = data.pending_deletion;
  if (typeof data.name === 'string') node.name = data.name;
}

function putNode(ctx: RouteContext): Reply {
  const node = getNode(ctx.world, idParam(ctx));
  updateNode(ctx.world, node, objectBody(ctx));
  return ok(nodeJson(ctx.world, node));
}

/** `PUT /api/nodes`: a list of partial nodes, each found by `id` or `mac`. */
function putNodes(ctx: RouteContext): Reply {
  const items = listBody(ctx).map((item) => {
    if (typeof item !== 'object' || item === null) throw new NailgunError(400, 'Invalid json list');
    const o = item as Record<string, unknown>;
    if (!o.id && !o.mac) throw new NailgunError(400, 'Neither MAC nor ID is specified');
    const node = isInt(o.id)
      ? ctx.world.nodes.get(o.id)
      : [...ctx.world.nodes.values()].find((n) => typeof o.mac === 'string' && n.machine.nics[0]?.mac === o.mac.toLowerCase());
    if (!node) throw new NailgunError(400, isInt(o.id) ? 'Invalid ID specified' : 'Invalid MAC is specified');
    return { node, o };
  });
  for (const { node, o } of items) updateNode(ctx.world, node, o);
  return ok(items.map(({ node }) => nodeJson(ctx.world, node)));
}

/** Nailgun's NodeDisksValidator: at least one disk, volumes fit; plus disk ids and volume names must be the node's. */
function putDisks(ctx: RouteContext): Reply {
  const node = getNode(ctx.world, idParam(ctx));
  const disks = listBody(ctx);
  if (disks.length < 1) throw new NailgunError(400, 'Node seems not to have disks');
  const next = new Map(node.volumes);
  for (const raw of disks) {
    const d = raw as Record<string, unknown>;
    if (typeof d !== 'object' || d === null || typeof d.id !== 'string' || !isInt(d.size) || !Array.isArray(d.volumes)) {
      throw new NailgunError(400, 'Invalid data received: each disk needs "id", "size" and "volumes"');
    }
    const disk = node.machine.disks.find((x) => x.id === d.id);
    if (!disk) throw new NailgunError(400, `Disk with id ${d.id} is not found on node ${node.id}`);
    const current = node.volumes.get(disk.name) ?? [];
    const volumes = (d.volumes as unknown[]).map((v) => {
      const vo = v as Record<string, unknown>;
      if (typeof vo !== 'object' || vo === null || typeof vo.name !== 'string' || !isInt(vo.size) || vo.size < 0) {
        throw new NailgunError(400, 'Invalid data received: each volume needs "name" and "size"');
      }
      if (!current.some((c) => c.name === vo.name)) throw new NailgunError(400, `Volume ${vo.name} is not allowed on node ${node.id} with its roles`);
      return { name: vo.name, size: vo.size };
    });
    const total = volumes.reduce((s, v) => s + v.size, 0);
    if (total > disk.size) throw new NailgunError(400, `Not enough free space on disk: ${JSON.stringify(d)}`);
    next.set(disk.name, current.map((c) => volumes.find((v) => v.name === c.name) ?? { name: c.name, size: 0 }));
  }
  node.volumes = next;
  const cluster = node.clusterId === null ? undefined : ctx.world.clusters.get(node.clusterId);
  if (cluster) ctx.world.addChange(cluster, 'disks', node.id);
  return ok(disksJson(node));
}

export const nodeRoutes: readonly Route[] = [
  { method: 'GET', pattern: /^\/nodes$/, handle: listNodes },
  { method: 'PUT', pattern: /^\/nodes$/, handle: putNodes },
  { method: 'GET', pattern: /^\/nodes\/(\d+)$/, handle: (ctx) => ok(nodeJson(ctx.world, getNode(ctx.world, idParam(ctx)))) },
  { method: 'PUT', pattern: /^\/nodes\/(\d+)$/, handle: putNode },
  { method: 'GET', pattern: /^\/nodes\/(\d+)\/interfaces$/, handle: (ctx) => ok(interfacesJson(ctx.world, getNode(ctx.world, idParam(ctx)))) },
  {
    method: 'PUT',
    pattern: /^\/nodes\/(\d+)\/interfaces$/,
    handle: (ctx) => {
      const node = getNode(ctx.world, idParam(ctx));
      putInterfaces(ctx.world, node, listBody(ctx));
      return ok(interfacesJson(ctx.world, node));
    },
  },
  { method: 'GET', pattern: /^\/nodes\/(\d+)\/disks$/, handle: (ctx) => ok(disksJson(getNode(ctx.world, idParam(ctx)))) },
  { method: 'PUT', pattern: /^\/nodes\/(\d+)\/disks$/, handle: putDisks },
];
