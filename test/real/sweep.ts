/**
 * The sweep `npm run test:real` runs first (scripts/sweep-testbed.ts): deletes, in one cloud,
 * what earlier real-cloud runs left behind when they were killed before their cleanup ran.
 * A leftover breaks later runs: a `phk-...` flavor a later spec adopts, floating IPs that use
 * up the public range, projects and users that pile up.
 *
 * What is ours is recognised by name only (TEST_NAME: the prefixes the test files give
 * everything they make), plus what a test project owns (the objects pumphouse made inside a
 * migrated test tenant: `web` groups, copies, temporaries). Nothing else is touched: not the
 * admin project's own objects, not `public`, not m1.tiny.
 *
 * The order is the dependency order: servers (waited for), server groups, floating IPs, ports (not a router's
 * or DHCP's), router interfaces and gateways, routers, subnets, networks, security groups,
 * volume snapshots, volumes (waited for), images, keypairs, flavors, volume types, users,
 * roles, projects. A delete that fails is reported and the sweep goes on (what depends on
 * it may then fail too); a 404 means someone else deleted it meanwhile, and is fine.
 */
import type { Cloud } from '../../src/openstack/index.js';

/**
 * Names every real-cloud and contract test gives what it makes: `phk-<8 hex>` (kind tests),
 * `phd-<8 hex>` (data kinds), `phe-<8 hex>` (end to end), `phc-<8 hex>` (contract suite), and
 * `pumphouse-test-rt<6 hex>` (seed setup/cleanup). A random hex part is required, so that an
 * operator's `phx-prod` is never ours.
 */
export const TEST_NAME = /^(ph[a-z]-[0-9a-f]{8}(-|$)|pumphouse-test-rt[0-9a-f]{6}(-|$))/;

export function isTestName(name: string | null | undefined): boolean {
  return typeof name === 'string' && TEST_NAME.test(name);
}

export interface SweepReport {
  /** `<cloud> <kind> <name> (<id>)`, in the order deleted. */
  readonly removed: readonly string[];
  /** What could not be deleted, with the cloud's answer. */
  readonly failed: readonly string[];
}

export interface SweepOptions {
  /** Which names are ours. Default isTestName (every test's prefix); one run's cleanup passes its own prefix. */
  readonly names?: (name: string) => boolean;
  /** Seconds to wait for a server or volume to be gone. Default 120. */
  readonly timeoutS?: number;
  /** Delay between polls while waiting, in ms. Default 500. */
  readonly pollMs?: number;
  /** Told about each removal as it happens (the log line of the report). */
  readonly onRemoved?: (line: string) => void;
}

/**
 * Deletes every test object in `cloud` (see the file's comment; `names` narrows it to one
 * run's), admin credentials required.
 */
export async function sweepTestObjects(cloud: Cloud, options: SweepOptions = {}): Promise<SweepReport> {
  const name = cloud.session.name;
  const removed: string[] = [];
  const failed: string[] = [];
  const timeoutS = options.timeoutS ?? 120;
  const pollMs = options.pollMs ?? 500;
  const named = options.names ?? isTestName;
  const isTest = (n: string | null | undefined): boolean => typeof n === 'string' && named(n);
  const remove = async (what: string, del: () => Promise<unknown>, gone?: () => Promise<boolean>): Promise<boolean> => {
    try {
      await del();
      if (gone) await waitFor(`${what} to be deleted`, gone, timeoutS, pollMs);
    } catch (err) {
      if ((err as { status?: number }).status === 404) return false;
      failed.push(`${name} ${what}: ${(err as Error).message}`);
      return false;
    }
    const line = `${name} ${what}`;
    removed.push(line);
    options.onRemoved?.(line);
    return true;
  };
  const absent = (get: () => Promise<{ readonly status?: string }>) => async (): Promise<boolean> => {
    try {
      const now = await get();
      if (now.status === 'ERROR' || now.status === 'error_deleting') throw new Error(`it went into ${now.status}`);
      return now.status === 'DELETED' || now.status === 'deleted';
    } catch (err) {
      if ((err as { status?: number }).status === 404) return true;
      throw err;
    }
  };

  const id = cloud.identity;
  const projects = (await id.projects.list()).filter((p) => isTest(p.name));
  const users = (await id.users.list()).filter((u) => isTest(u.name));
  const ownedByTest = new Set(projects.map((p) => p.id));
  const ours = (o: { readonly name?: string | null; readonly tenantId?: string | null }): boolean =>
    isTest(o.name) || (typeof o.tenantId === 'string' && ownedByTest.has(o.tenantId));

  for (const s of await cloud.compute.servers.list({ allTenants: true })) {
    if (ours(s)) await remove(`server ${s.name} (${s.id})`, () => cloud.compute.servers.delete(s.id), absent(() => cloud.compute.servers.get(s.id)));
  }
  // Nova keeps a server group after its project (Zed lists owners: 2.13).
  for (const g of await cloud.compute.serverGroups.list({ allProjects: true })) {
    if (ours({ name: g.name, tenantId: g.projectId })) await remove(`server group ${g.name} (${g.id})`, () => cloud.compute.serverGroups.delete(g.id));
  }

  const net = cloud.network;
  if (net) {
    const ports = await net.ports.list({});
    const portsById = new Map(ports.map((p) => [p.id, p]));
    for (const f of await net.floatingIps.list({})) {
      const port = f.portId ? portsById.get(f.portId) : undefined;
      if (ours(f) || isTest(f.description) || (port !== undefined && ours(port))) {
        await remove(`floating IP ${f.floatingIpAddress} (${f.id})`, () => net.floatingIps.delete(f.id));
      }
    }
    // A router's interfaces and gateway, and DHCP ports, go with their router and network.
    for (const p of ports) {
      if (ours(p) && !p.deviceOwner.startsWith('network:')) await remove(`port ${p.name} (${p.id})`, () => net.ports.delete(p.id));
    }
    const subnets = await net.subnets.list({});
    for (const r of await net.routers.list({})) {
      if (!ours(r)) continue;
      // Neutron keeps an interface a static route's next hop needs.
      if (r.routes.length > 0) await remove(`router ${r.name} routes`, () => net.routers.update(r.id, { routes: [] }));
      for (const p of ports) {
        if (p.deviceId === r.id && p.deviceOwner.startsWith('network:router_interface')) {
          await remove(`router ${r.name} interface (port ${p.id})`, () => net.routers.removeInterface(r.id, { portId: p.id }));
        }
      }
      if (r.externalGateway) await remove(`router ${r.name} gateway`, () => net.routers.setGateway(r.id, null));
      await remove(`router ${r.name} (${r.id})`, () => net.routers.delete(r.id));
    }
    for (const sn of subnets) {
      if (!ours(sn)) continue;
      await remove(`subnet ${sn.name} (${sn.id})`, () => net.subnets.delete(sn.id));
    }
    for (const n of await net.networks.list({})) {
      if (ours(n)) await remove(`network ${n.name} (${n.id})`, () => net.networks.delete(n.id));
    }
    for (const g of await net.securityGroups.list({})) {
      if (ours(g)) await remove(`security group ${g.name} (${g.id})`, () => net.securityGroups.delete(g.id));
    }
  }

  const volume = cloud.volume;
  if (volume) {
    const volumes = (await volume.volumes.list({ allTenants: true })).filter((v) => ours(v));
    const mine = new Set(volumes.map((v) => v.id));
    for (const s of await volume.snapshots.list({ allTenants: true })) {
      if (isTest(s.name) || mine.has(s.volumeId)) {
        await remove(`volume snapshot ${s.name} (${s.id})`, () => volume.snapshots.delete(s.id), absent(() => volume.snapshots.get(s.id)));
      }
    }
    for (const v of volumes) {
      await remove(
        `volume ${v.name} (${v.id})`,
        async () => {
          // Cinder refuses to delete a volume still busy (detaching after its server went, or
          // mid-upload): wait for that to end, then delete whatever state it settles in.
          await waitFor(`volume ${v.id} to settle`, async () => !BUSY_VOLUME.includes((await volume.volumes.get(v.id)).status), timeoutS, pollMs).catch(() => undefined);
          await volume.volumes.delete(v.id);
        },
        absent(() => volume.volumes.get(v.id)),
      );
    }
  }

  for (const i of await cloud.image.list({ allTenants: true })) {
    if (!isTest(i.name) && !(i.owner !== null && ownedByTest.has(i.owner))) continue;
    await remove(`image ${i.name} (${i.id})`, async () => {
      if (i.protected) await cloud.image.update(i.id, { protected: false });
      await cloud.image.delete(i.id);
    });
  }

  for (const k of await cloud.compute.keypairs.list()) {
    if (isTest(k.name)) await remove(`keypair ${k.name}`, () => cloud.compute.keypairs.delete(k.name));
  }
  for (const u of users) {
    for (const k of await cloud.compute.keypairs.list({ userId: u.id }).catch(() => [])) {
      await remove(`keypair ${k.name} of user ${u.name}`, () => cloud.compute.keypairs.delete(k.name, { userId: u.id }));
    }
  }
  for (const f of await cloud.compute.flavors.list()) {
    if (isTest(f.name)) await remove(`flavor ${f.name} (${f.id})`, () => cloud.compute.flavors.delete(f.id));
  }
  if (volume) {
    for (const t of await volume.types.list()) {
      if (isTest(t.name)) await remove(`volume type ${t.name} (${t.id})`, () => volume.types.delete(t.id));
    }
  }
  for (const u of users) await remove(`user ${u.name} (${u.id})`, () => id.users.delete(u.id));
  for (const r of await id.roles.list()) {
    if (isTest(r.name)) await remove(`role ${r.name} (${r.id})`, () => id.roles.delete(r.id));
  }
  for (const p of projects) await remove(`project ${p.name} (${p.id})`, () => id.projects.delete(p.id));
  return { removed, failed };
}

/** Volume states a delete is refused in that end by themselves. */
const BUSY_VOLUME: readonly string[] = ['creating', 'attaching', 'detaching', 'in-use', 'reserved', 'downloading', 'uploading', 'backing-up', 'restoring-backup', 'extending'];

async function waitFor(what: string, done: () => Promise<boolean>, timeoutS: number, pollMs: number): Promise<void> {
  const deadline = Date.now() + timeoutS * 1000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
