// setup on the simulator: what it seeds (markers on every carrier), the passwords file,
// idempotence (a second run adopts everything), and refusing a same-name object it did not make.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { setup, type SetupResult } from '../../src/app/index.js';
import { KeystoneSeed } from '../../src/app/seed/setup/keystone-seed.js';
import { PumphouseError } from '../../src/errors/index.js';
import { MemoryReporter } from '../../src/events/index.js';
import { openCloud } from '../../src/openstack/index.js';
import { seedBench, type SeedBench } from './seed-support.js';

describe('setup on a simulated modern Neutron source', { concurrency: false }, () => {
  let b: SeedBench;
  let first: SetupResult;
  const events = new MemoryReporter();

  before(async () => {
    b = await seedBench();
    first = await setup({ configPath: b.config, statePath: b.state, counts: { tenants: 2, servers: 2, volumes: 1 }, reporter: events });
  });
  after(() => b?.close());

  test('two tenants pumphouse-test-1/2, each with a user, two ACTIVE servers, an attached and a detached volume', async () => {
    assert.deepEqual(first.tenants.map((t) => t.name), ['pumphouse-test-1', 'pumphouse-test-2']);
    const src = await b.admin('source');
    for (const t of first.tenants) {
      const servers = (await src.compute.servers.list({ allTenants: true, projectId: t.projectId })).filter((s) => s.tenantId === t.projectId);
      assert.deepEqual(servers.map((s) => s.status).sort(), ['ACTIVE', 'ACTIVE']);
      assert.ok(servers.every((s) => s.userId === t.userId), "the servers are the tenant user's own");
      assert.ok(servers.every((s) => s.metadata['pumphouse_setup'] === '1'));
      const volumes = (await src.volume!.volumes.list({ allTenants: true })).filter((v) => v.tenantId === t.projectId);
      assert.deepEqual(volumes.map((v) => v.status).sort(), ['available', 'in-use', 'in-use']);
      assert.ok(volumes.every((v) => v.metadata['pumphouse_setup'] === '1'));
    }
  });

  test('every object carries the setup marker where its API has a carrier', async () => {
    const src = await b.admin('source');
    const net = src.network!;
    const ks = new KeystoneSeed(src);
    const projects = (await ks.projects()).filter((p) => p.name.startsWith('pumphouse-test-'));
    assert.equal(projects.length, 2);
    assert.ok(projects.every((p) => p.setup));
    const p1 = first.tenants[0]!.projectId;
    const [networks, routers, groups, fips] = await Promise.all([net.networks.list({ tenant_id: p1 }), net.routers.list({ tenant_id: p1 }), net.securityGroups.list({ tenant_id: p1 }), net.floatingIps.list({ tenant_id: p1 })]);
    for (const o of [...networks, ...routers, ...groups.filter((g) => g.name !== 'default'), ...fips]) assert.ok(o.tags.includes('pumphouse_setup=1'), `tagged: ${JSON.stringify(o.tags)}`);
    assert.equal(fips.length, 1, 'one floating IP');
    const image = (await src.image.list()).find((i) => i.name === 'pumphouse-test-image')!;
    assert.equal(image.properties['pumphouse_setup'], '1');
    assert.equal(image.status, 'active');
    assert.equal(image.size, 1024 * 1024);
    const flavor = (await src.compute.flavors.list()).find((f) => f.name === 'pumphouse-test-flavor')!;
    assert.equal(flavor.extraSpecs['pumphouse_setup'], '1');
  });

  test('passwords: in a 0600 file next to the state, they log in, and no event holds them', async () => {
    assert.ok(first.passwordsFile?.startsWith(b.dir));
    assert.equal((await stat(first.passwordsFile!)).mode & 0o777, 0o600);
    const book = JSON.parse(await readFile(first.passwordsFile!, 'utf8')) as Record<string, Record<string, string>>;
    const passwords = Object.values(book).flatMap((users) => Object.entries(users));
    assert.deepEqual(passwords.map(([u]) => u).sort(), ['pumphouse-test-1-user', 'pumphouse-test-2-user']);
    const [user, password] = passwords[0]!;
    const tenant = user.replace(/-user$/, '');
    const asUser = await openCloud({ authUrl: b.sim.source.authUrl, username: user, password, projectName: tenant, userDomainId: 'default', projectDomainId: 'default' });
    try {
      assert.equal((await asUser.compute.servers.list()).length, 2);
    } finally {
      await asUser.close();
    }
    const text = JSON.stringify(events.events);
    for (const [, pw] of passwords) assert.ok(!text.includes(pw), 'no password in events');
    const done = events.ofType('seed_complete')[0]!;
    assert.equal(done.passwords_file, first.passwordsFile);
  });

  test('a second setup adopts everything and makes nothing', async () => {
    const again = new MemoryReporter();
    const second = await setup({ configPath: b.config, statePath: b.state, counts: { tenants: 2, servers: 2, volumes: 1 }, reporter: again });
    assert.equal(second.counts.create, 0);
    assert.equal(second.counts.adopt, first.counts.create);
    assert.deepEqual(second.tenants, first.tenants);
    assert.ok(again.ofType('seed_object').every((e) => e.change === 'adopt'));
  });

  test('a same-name project setup did not make stops setup before it takes anything over', async () => {
    const src = await b.admin('source');
    const foreign = await src.identity.projects.create({ name: 'pumphouse-test-3', description: 'someone else' });
    const before = (await src.compute.servers.list({ allTenants: true })).length;
    await assert.rejects(
      setup({ configPath: b.config, statePath: b.state, counts: { tenants: 3, servers: 1 } }),
      (e: unknown) => PumphouseError.is(e) && e.code === 'PH_PRECONDITION_FAILED' && e.message.includes("'pumphouse-test-3'") && e.message.includes(foreign.id),
    );
    const still = await src.identity.projects.get(foreign.id);
    assert.equal(still.description, 'someone else');
    assert.equal((await src.compute.servers.list({ allTenants: true })).length, before, 'nothing booted');
  });
});

describe('setup on a simulated Juno nova-network source', { concurrency: false }, () => {
  for (const network of ['nova-network:flatdhcp', 'nova-network:vlan'] as const) {
    test(`${network}: servers on ${network.endsWith('vlan') ? "the tenant's own VLAN network" : 'the shared network'}, a group, a floating IP; a second run adopts`, async () => {
      const b = await seedBench({ source: { release: 'juno', network, hashCost: 'fast' } });
      try {
        const r = await setup({ configPath: b.config, statePath: b.state, counts: { servers: 1 } });
        const src = await b.admin('source');
        const t = r.tenants[0]!;
        const nets = await src.novaNetwork!.networks.list();
        const own = nets.filter((n) => n.projectId === t.projectId);
        assert.equal(own.length, network.endsWith('vlan') ? 1 : 0);
        const groups = await src.novaNetwork!.securityGroups.list({ allTenants: true });
        assert.ok(groups.some((g) => g.tenantId === t.projectId && g.name === 'pumphouse-test-1-web' && g.description.endsWith('[pumphouse_setup=1]')));
        const fips = (await src.novaNetwork!.floatingIpsBulk.list()).filter((f) => f.projectId === t.projectId);
        assert.equal(fips.length, 1);
        assert.equal(fips[0]!.instanceUuid, t.servers[0]);
        const again = await setup({ configPath: b.config, statePath: b.state, counts: { servers: 1 } });
        assert.equal(again.counts.create, 0);
      } finally {
        await b.close();
      }
    });
  }
});
