import { waitFor } from '../../../apply/wait.js';
import { toPumphouseError } from '../../../errors/index.js';
import { emit, type Reporter } from '../../../events/index.js';
import { isNotFound, type Cloud, type NetworkClient } from '../../../openstack/index.js';
import { cidrContains } from '../../../planner/ipv4.js';
import type { KeystoneSeed } from '../setup/keystone-seed.js';
import { CLEANUP_ORDER, type CleanupKind, type Doomed } from './doomed.js';
import type { CleanupSide } from './find-ours.js';

export interface Deletion {
  readonly deleted: number;
  /** Already absent when cleanup came to it. */
  readonly gone: number;
  readonly failed: readonly { readonly item: Doomed; readonly code: string; readonly message: string }[];
}

const AT_ONCE = 4;

/**
 * Deletes the found objects kind by kind in CLEANUP_ORDER (servers and what holds addresses
 * first, projects last), a few at a time within a kind. Servers are waited for until gone
 * and volumes until detached, since ports, networks and volumes cannot go before. One
 * failure does not stop the rest: it is reported (`seed_object` `failed`) and returned;
 * whatever depends on it will fail too and be reported the same way.
 */
export async function deleteOurs(cloud: Cloud, keystone: KeystoneSeed, side: CleanupSide, items: readonly Doomed[], reporter: Reporter | undefined, signal: AbortSignal): Promise<Deletion> {
  let deleted = 0;
  let gone = 0;
  const failed: Deletion['failed'][number][] = [];
  const scoped = new Map<string, Promise<Cloud>>();
  const scope = (projectId: string): Promise<Cloud> => {
    let p = scoped.get(projectId);
    if (!p) {
      p = inProject(cloud, projectId);
      scoped.set(projectId, p);
    }
    return p;
  };
  const one = async (item: Doomed): Promise<void> => {
    try {
      const present = await deleteOne(cloud, keystone, item, scope, reporter, signal);
      if (present) deleted++;
      else gone++;
      emit(reporter, 'seed_object', 'info', `cleanup: ${present ? 'deleted' : 'already gone:'} ${item.kind} ${item.name} (${item.id})`, event(side, item, present ? 'delete' : 'gone'));
    } catch (err) {
      if (signal.aborted) throw err;
      const e = toPumphouseError(err);
      failed.push({ item, code: e.code, message: e.message });
      emit(reporter, 'seed_object', 'error', `cleanup: could not delete ${item.kind} ${item.name} (${item.id}): [${e.code}] ${e.message}`, event(side, item, 'failed'));
    }
  };
  for (const kind of CLEANUP_ORDER) {
    const batch = items.filter((i) => i.kind === kind);
    for (let at = 0; at < batch.length; at += AT_ONCE) {
      signal.throwIfAborted();
      await Promise.all(batch.slice(at, at + AT_ONCE).map(one));
    }
  }
  return { deleted, gone, failed };
}

function event(side: CleanupSide, item: Doomed, change: 'delete' | 'gone' | 'failed') {
  return { verb: 'cleanup' as const, cloud: side, kind: item.kind, name: item.name, id: item.id, change };
}

/** The same cloud with a token scoped to the project (the admin is given the admin role there first; the project is going anyway). */
async function inProject(cloud: Cloud, projectId: string): Promise<Cloud> {
  const admin = await cloud.identity.roles.findByName('admin');
  if (admin) await cloud.identity.roleAssignments.grant({ userId: cloud.session.userId, projectId, roleId: admin.id });
  return cloud.scopedTo(projectId);
}

/**
 * Drops the router's static routes whose next hop is on the interface's subnet: Neutron keeps
 * an interface a route needs (409), and apply adds a router's routes with its last interface.
 * Other routes stay (the router may not be ours).
 */
async function dropRoutesVia(net: NetworkClient, routerId: string, portId: string): Promise<void> {
  const router = await net.routers.get(routerId);
  if (router.routes.length === 0) return;
  const port = await net.ports.get(portId);
  const cidrs = await Promise.all(port.fixedIps.map(async (f) => (await net.subnets.get(f.subnetId)).cidr));
  const keep = router.routes.filter((r) => !cidrs.some((c) => cidrContains(c, r.nexthop)));
  if (keep.length < router.routes.length) await net.routers.update(routerId, { routes: keep.map((r) => ({ destination: r.destination, nexthop: r.nexthop })) });
}

/** Deletes one object; false when it was already gone. */
async function deleteOne(
  cloud: Cloud,
  keystone: KeystoneSeed,
  item: Doomed,
  scope: (projectId: string) => Promise<Cloud>,
  reporter: Reporter | undefined,
  signal: AbortSignal,
): Promise<boolean> {
  const net = cloud.network;
  const nn = cloud.novaNetwork;
  const call = async (f: () => Promise<unknown>): Promise<boolean> => {
    try {
      await f();
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  };
  const wait = <T>(what: string, poll: () => Promise<{ done: true; value: T } | { done: false; status: string }>): Promise<T> =>
    waitFor(`cleanup:${item.kind}[${item.name}]`, what, poll, { timeoutS: 300, intervalMs: 500, maxIntervalMs: 5000 }, reporter ?? { emit() {} }, signal);
  const k: CleanupKind = item.kind;
  switch (k) {
    case 'server': {
      const present = await call(() => cloud.compute.servers.delete(item.id));
      if (present) await wait('server deleted', async () => ((await call(() => cloud.compute.servers.get(item.id))) ? { done: false, status: 'deleting' } : { done: true, value: undefined }));
      return present;
    }
    case 'server_group':
      return call(() => cloud.compute.serverGroups.delete(item.id));
    case 'floating_ip':
      if (net) return call(() => net.floatingIps.delete(item.id));
      {
        const addresses = (await scope(item.projectId!)).novaNetwork!.floatingIps;
        const found = (await addresses.list()).find((f) => f.ip === item.detail?.['address']);
        return found ? call(() => addresses.release(found.id)) : false;
      }
    case 'port':
      return call(() => net!.ports.delete(item.id));
    case 'router_interface':
      await call(() => dropRoutesVia(net!, item.detail!['router']!, item.id));
      return call(() => net!.routers.removeInterface(item.detail!['router']!, { portId: item.id }));
    case 'router':
      return call(() => net!.routers.delete(item.id));
    case 'subnet':
      return call(() => net!.subnets.delete(item.id));
    case 'network':
      if (net) return call(() => net.networks.delete(item.id));
      return call(async () => {
        await nn!.networks.disassociate(item.id, 'project');
        await nn!.networks.delete(item.id);
      });
    case 'security_group':
      if (net) return call(() => net.securityGroups.delete(item.id));
      return call(async () => (await scope(item.projectId!)).novaNetwork!.securityGroups.delete(item.id));
    case 'volume': {
      const cinder = cloud.volume!;
      return call(async () => {
        await wait('volume detached', async () => {
          const v = await cinder.volumes.get(item.id);
          return ['in-use', 'detaching', 'attaching', 'creating', 'deleting'].includes(v.status) ? { done: false, status: v.status } : { done: true, value: v };
        });
        await cinder.volumes.delete(item.id);
      });
    }
    case 'image':
      return call(() => cloud.image.delete(item.id));
    case 'flavor':
      return call(() => cloud.compute.flavors.delete(item.id));
    case 'user':
      return call(() => keystone.deleteUser(item.id));
    case 'project':
      return call(() => keystone.deleteProject(item.id));
  }
}
