// cleanup on the simulator: only what setup or pumphouse made goes, foreign objects beside
// ours (same names even) stay; it lists, then asks (default no) or refuses without a terminal.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { cleanup, setup, type Question } from '../../src/app/index.js';
import { PumphouseError } from '../../src/errors/index.js';
import { MemoryReporter } from '../../src/events/index.js';
import { markDescription, markerTags } from '../../src/inventory/marker.js';
import type { Cloud } from '../../src/openstack/index.js';
import { actionId } from '../../src/plan/index.js';
import { emptyState, upsertObject, type StateObject } from '../../src/state/index.js';
import { seedBench, type SeedBench } from './seed-support.js';

/** Ids of everything a cloud holds that the test looks at (to compare before/after). */
async function inventory(c: Cloud): Promise<Set<string>> {
  const net = c.network!;
  const lists = await Promise.all([
    c.identity.projects.list(),
    c.identity.users.list(),
    c.compute.servers.list({ allTenants: true }),
    c.compute.flavors.list(),
    c.image.list(),
    c.volume!.volumes.list({ allTenants: true }),
    net.networks.list(),
    net.subnets.list(),
    net.routers.list(),
    net.securityGroups.list(),
    net.floatingIps.list(),
  ]);
  return new Set(lists.flat().map((o) => o.id));
}

describe('cleanup source', { concurrency: false }, () => {
  let b: SeedBench;
  let src: Cloud;
  const foreign: string[] = [];
  let ours: Set<string>;

  before(async () => {
    b = await seedBench();
    src = await b.admin('source');
    const before = await inventory(src);
    await setup({ configPath: b.config, statePath: b.state, counts: { servers: 1, volumes: 1 } });
    ours = new Set([...(await inventory(src))].filter((id) => !before.has(id)));
    // A static route on setup's router, as apply adds one with a router's last interface:
    // Neutron keeps the interface its next hop needs (409) until the route goes.
    const routed = (await src.network!.routers.list({})).find((x) => ours.has(x.id))!;
    const itf = (await src.network!.ports.list({ device_id: routed.id })).find((p) => p.deviceOwner === 'network:router_interface')!;
    const cidr = (await src.network!.subnets.get(itf.fixedIps[0]!.subnetId)).cidr;
    await src.network!.routers.update(routed.id, { routes: [{ destination: '10.250.0.0/24', nexthop: cidr.replace(/\.0\/\d+$/, '.254') }] });
    // Foreign objects with our names, in the admin's own project and in a project of someone else.
    const net = src.network!;
    const adminProject = src.session.projectId;
    const other = await src.identity.projects.create({ name: 'someone-else', description: 'not a test tenant' });
    const otherUser = await src.identity.users.create({ name: 'pumphouse-test-9-user', password: 'x-Foreign-1', defaultProjectId: other.id });
    const n = await net.networks.create({ name: 'pumphouse-test-1-net', tenantId: adminProject });
    const sn = await net.subnets.create({ networkId: n.id, cidr: '10.42.1.0/24', ipVersion: 4, name: 'pumphouse-test-1-net-subnet', tenantId: adminProject });
    const r = await net.routers.create({ name: 'pumphouse-test-1-router', tenantId: other.id });
    const g = await net.securityGroups.create({ name: 'pumphouse-test-1-web', tenantId: other.id, description: 'web' });
    const flavor = (await src.compute.flavors.list()).find((f) => f.name === 'pumphouse-test-flavor')!;
    const img = await src.image.create({ name: 'pumphouse-test-image', diskFormat: 'raw', containerFormat: 'bare', visibility: 'public' });
    const vol = await src.volume!.volumes.create({ size: 1, name: 'pumphouse-test-1-volume' });
    const sv = await src.compute.servers.create({ name: 'pumphouse-test-1-server-1', flavorId: flavor.id, imageId: (await src.image.list()).find((i) => i.name === 'pumphouse-test-image' && i.status === 'active')!.id, networks: [{ uuid: n.id }] });
    foreign.push(other.id, otherUser.id, n.id, sn.id, r.id, g.id, img.id, vol.id, sv.id);
  });
  after(() => b?.close());

  test('without --yes and nobody to ask: PH_USAGE, nothing deleted, but everything listed first', async () => {
    const events = new MemoryReporter();
    const before = await inventory(src);
    await assert.rejects(cleanup({ configPath: b.config, statePath: b.state, cloud: 'source', reporter: events }), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_USAGE' && /--yes/.test(e.message));
    assert.deepEqual(await inventory(src), before);
    const listed = new Set(events.ofType('seed_object').filter((e) => e.change === 'found').map((e) => e.id));
    for (const id of ours) assert.ok(listed.has(id), `${id} listed`);
    for (const id of foreign) assert.ok(!listed.has(id), `foreign ${id} not listed`);
  });

  test('asked, the operator says no (the default): cancelled, nothing deleted', async () => {
    const events = new MemoryReporter();
    const asked: Question[] = [];
    const before = await inventory(src);
    const r = await cleanup({ configPath: b.config, statePath: b.state, cloud: 'source', reporter: events, ask: async (q) => (asked.push(q), q.default) });
    assert.equal(r.cancelled, true);
    assert.equal(asked.length, 1);
    assert.equal(asked[0]!.default, 'no');
    assert.deepEqual(events.ofType('question').map((q) => q.default), ['no']);
    assert.deepEqual(await inventory(src), before);
  });

  test('with yes: every object setup made is gone, every foreign one (same names) is still there', async () => {
    const r = await cleanup({ configPath: b.config, statePath: b.state, cloud: 'source', yes: true });
    assert.deepEqual(r.deletion?.failed, []);
    const now = await inventory(src);
    for (const id of ours) assert.ok(!now.has(id), `ours ${id} deleted`);
    for (const id of foreign) assert.ok(now.has(id), `foreign ${id} kept`);
    assert.ok(now.has(src.session.projectId!) && (await src.identity.users.get(src.session.userId)).name === 'admin');
    const kinds = new Set(r.found.map((d) => d.kind));
    for (const k of ['server', 'floating_ip', 'router_interface', 'router', 'subnet', 'network', 'security_group', 'volume', 'image', 'flavor', 'user', 'project']) assert.ok(kinds.has(k as never), k);
    assert.ok(r.found.some((d) => d.kind === 'security_group' && d.name === 'default'), "the project's default group is deleted with it");
  });

  test('a second cleanup finds nothing', async () => {
    const r = await cleanup({ configPath: b.config, statePath: b.state, cloud: 'source', yes: true });
    assert.deepEqual(r.found, []);
  });
});

describe('cleanup destination', () => {
  test("deletes pumphouse's marked copies and what the state says apply created; keeps adopted and foreign objects", async () => {
    const b = await seedBench();
    try {
      const dst = await b.admin('destination');
      const net = dst.network!;
      const adminProject = dst.session.projectId;
      const acme = await dst.identity.projects.create({ name: 'acme', description: markDescription('the acme tenant', { sourceId: 'src-p-acme', kind: 'project' }) });
      const alice = await dst.identity.users.create({ name: 'alice', password: 'x-Alice-1', defaultProjectId: acme.id, description: markDescription('', { sourceId: 'src-u-alice', kind: 'user' }) });
      const copy = await net.networks.create({ name: 'net-a', tenantId: acme.id });
      await net.setTags('networks', copy.id, markerTags({ sourceId: 'src-n-a', kind: 'network' }));
      const made = await net.networks.create({ name: 'net-b', tenantId: adminProject });
      const adopted = await net.networks.create({ name: 'net-c', tenantId: adminProject });
      const lookalike = await net.networks.create({ name: 'net-a', tenantId: adminProject });
      // Server groups carry no marker: acme's goes with acme (Nova keeps it after the project),
      // the one the state says apply made goes, a look-alike stays.
      const admin = (await dst.identity.roles.findByName('admin'))!;
      await dst.identity.roleAssignments.grant({ userId: dst.session.userId, projectId: acme.id, roleId: admin.id });
      const acmeGroup = await (await dst.scopedTo(acme.id)).compute.serverGroups.create('ha', 'anti-affinity');
      const madeGroup = await dst.compute.serverGroups.create('db-ha', 'anti-affinity');
      const foreignGroup = await dst.compute.serverGroups.create('db-ha', 'anti-affinity');
      const obj = (address: string, action: 'create' | 'adopt', id: string, kind = 'network'): StateObject => ({
        address, kind, source_id: `src-${id}`, destination_id: id, status: 'ready', step: null, steps_done: [], pending: null,
        attributes: {}, error: null, plan_id: 'p1', action_id: actionId(address, action), updated_at: '2026-01-01T00:00:00Z',
      });
      let state = emptyState();
      state = upsertObject(state, obj('tenant[admin].network[net-b]', 'create', made.id));
      state = upsertObject(state, obj('tenant[admin].network[net-c]', 'adopt', adopted.id));
      state = upsertObject(state, obj('tenant[admin].server_group[db-ha]', 'create', madeGroup.id, 'server_group'));
      await writeFile(b.state, JSON.stringify({ ...state, serial: 3 }));

      const r = await cleanup({ configPath: b.config, statePath: b.state, cloud: 'destination', yes: true });
      assert.deepEqual(r.deletion?.failed, []);
      const why = Object.fromEntries(r.found.map((d) => [d.id, d.why]));
      assert.equal(why[acme.id], 'pumphouse marker');
      assert.equal(why[alice.id], 'pumphouse marker');
      assert.equal(why[copy.id], 'pumphouse marker');
      assert.equal(why[made.id], 'state');
      const left = new Set((await net.networks.list()).map((n) => n.id));
      assert.ok(!left.has(copy.id) && !left.has(made.id), 'the copy and the state-made network are gone');
      assert.ok(left.has(adopted.id) && left.has(lookalike.id), 'the adopted and the look-alike network stay');
      assert.ok(!(await dst.identity.projects.list()).some((p) => p.id === acme.id));
      assert.ok(!(await dst.identity.users.list()).some((u) => u.id === alice.id));
      assert.ok(!(await net.securityGroups.list()).some((g) => g.tenantId === acme.id), "acme's default group went with it");
      assert.deepEqual([why[acmeGroup.id], why[madeGroup.id], why[foreignGroup.id]], ['in a project of ours', 'state', undefined]);
      assert.deepEqual((await dst.compute.serverGroups.list({ allProjects: true })).map((g) => g.id), [foreignGroup.id], 'only the look-alike group stays');
    } finally {
      await b.close();
    }
  });
});
