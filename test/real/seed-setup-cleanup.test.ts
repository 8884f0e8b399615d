// setup, migrate and cleanup on the real Zed testbed (shared/testbed: source :5000,
// destination :15000, admin/admin). Every name starts with a random `pumphouse-test-rt<hex>`
// prefix. `cleanup source` runs as the verb (only setup marks source objects); on the
// destination other suites' pumphouse-made objects may be in flight, so what this test's
// migration made there is deleted through findOurs/deleteOurs restricted to this run's state
// and project, never with the whole-cloud verb.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, findOurs, migrate, setup, stateMade, readPriorState, type SetupResult } from '../../src/app/index.js';
import { deleteOurs } from '../../src/app/seed/cleanup/delete-ours.js';
import { inDeletionOrder } from '../../src/app/seed/cleanup/doomed.js';
import { KeystoneSeed } from '../../src/app/seed/setup/keystone-seed.js';
import { kindsPart1 } from '../../src/kinds/index-part-1.js';
import { dataComputeKinds } from '../../src/kinds/index-part-2.js';
import { kindRegistry } from '../../src/kinds/registry.js';
import { openCloud, type Cloud } from '../../src/openstack/index.js';
import { credentials, DESTINATION_DB, openTestbed, SOURCE_DB, testbedSkipReason, type Testbed } from './kinds-support.js';

const skip = await testbedSkipReason();
const SOURCE_URL = process.env['PUMPHOUSE_TESTBED_SOURCE_URL'] ?? 'http://127.0.0.1:5000/v3';
const DESTINATION_URL = process.env['PUMPHOUSE_TESTBED_DESTINATION_URL'] ?? 'http://127.0.0.1:15000/v3';

describe('setup, migrate resources and cleanup source on the real testbed', { skip: skip ?? false, concurrency: false }, () => {
  const prefix = `pumphouse-test-rt${randomBytes(3).toString('hex')}`;
  let tb: Testbed;
  let dir: string;
  let config: string;
  let state: string;
  let seeded: SetupResult;
  const foreign: { what: string; remove: () => Promise<unknown> }[] = [];

  before(async () => {
    tb = await openTestbed();
    dir = await mkdtemp(join(tmpdir(), 'ph-seed-real-'));
    config = join(dir, 'config.yaml');
    state = join(dir, 'state.json');
    const cloud = (url: string, db: string) => [
      '    endpoint:',
      `      auth_url: ${url}`,
      '      username: admin',
      '      password: admin',
      '      project_name: admin',
      '      user_domain_name: Default',
      '      project_domain_name: Default',
      '    identity:',
      `      connection: ${db}`,
    ];
    await writeFile(
      config,
      [
        'CLOUDS:',
        '  source:',
        ...cloud(SOURCE_URL, SOURCE_DB),
        '    workloads:',
        `      flavors: [{ name: ${prefix}-flavor, ram: 128, vcpu: 1, disk: 1 }]`,
        `      images: [{ name: ${prefix}-image }]`,
        '      tenants:',
        `        - name: ${prefix}`,
        `          servers: [{ name: ${prefix}-vm, flavor: ${prefix}-flavor, image: ${prefix}-image }]`,
        `          volumes: [{ display_name: ${prefix}-volume, size: 1 }]`,
        '  destination:',
        ...cloud(DESTINATION_URL, DESTINATION_DB),
        '',
      ].join('\n'),
    );
  });

  after(async () => {
    const problems: string[] = [];
    for (const f of foreign.reverse()) await f.remove().catch((e: Error & { status?: number }) => (e.status === 404 ? undefined : problems.push(`${f.what}: ${e.message}`)));
    // Safety net: whatever of this run is left, on both clouds (nothing when the test passed).
    if (tb) {
      for (const c of [tb.source, tb.destination]) problems.push(...(await leftovers(c, prefix)));
      await tb.close();
    }
    if (dir) await rm(dir, { recursive: true, force: true });
    assert.deepEqual(problems, [], 'cleanup');
  });

  it('seeds the tenant (user-owned ACTIVE server, marked network, detached volume), and a second setup adopts it all', async () => {
    seeded = await setup({ configPath: config, statePath: state });
    const t = seeded.tenants[0]!;
    const server = await tb.source.compute.servers.get(t.servers[0]!);
    assert.equal(server.status, 'ACTIVE');
    assert.equal(server.userId, t.userId);
    assert.equal(server.metadata['pumphouse_setup'], '1');
    const nets = await tb.source.network!.networks.list({ tenant_id: t.projectId });
    assert.ok(nets.some((n) => n.name === `${prefix}-net` && n.tags.includes('pumphouse_setup=1')));
    const book = JSON.parse(await readFile(seeded.passwordsFile!, 'utf8')) as Record<string, Record<string, string>>;
    const password = book[SOURCE_URL]![`${prefix}-user`]!;
    const asUser = await openCloud({ ...credentials(SOURCE_URL), username: `${prefix}-user`, password, projectName: prefix });
    await asUser.close();
    const again = await setup({ configPath: config, statePath: state });
    assert.equal(again.counts.create, 0);
    assert.equal(again.counts.adopt, seeded.counts.create);
  });

  it('migrate resources --ids <server> moves the server with its owner to the real destination', async () => {
    const part1 = kindsPart1({ sourceIdentityDbUrl: SOURCE_DB, destinationIdentityDbUrl: DESTINATION_DB, destinationKeystoneRelease: 'zed' });
    const kinds = kindRegistry({ ...part1, handlers: [...part1.handlers, ...dataComputeKinds({ pollIntervalMs: 300 })] });
    try {
      const r = await migrate({ configPath: config, statePath: state, kinds, what: 'resources', ids: [seeded.tenants[0]!.servers[0]!] });
      assert.deepEqual(r.applied.failures, []);
      assert.equal(r.applied.result, 'ok');
      const copies = (await tb.destination.compute.servers.list({ allTenants: true })).filter((s) => s.metadata['pumphouse_source'] === seeded.tenants[0]!.servers[0]);
      assert.equal(copies.length, 1);
      assert.ok((await tb.destination.identity.users.list()).some((u) => u.name === `${prefix}-user`));
    } finally {
      await kinds.close();
    }
  });

  it("the destination copies are found as pumphouse's (marker or state) and deleted in order", async () => {
    const made = stateMade((await readPriorState(state)).state);
    const mine = new Set([...made.values()].flatMap((s) => [...s]));
    const keystone = new KeystoneSeed(tb.destination);
    const all = await findOurs(tb.destination, keystone, 'destination', made);
    const project = all.find((d) => d.kind === 'project' && d.name === prefix);
    assert.ok(project, 'the destination project is found');
    const ours = inDeletionOrder(all.filter((d) => mine.has(d.id) || d.projectId === project.id || d.name.startsWith(prefix)));
    assert.ok(ours.some((d) => d.kind === 'server'));
    const done = await deleteOurs(tb.destination, keystone, 'destination', ours, undefined, new AbortController().signal);
    assert.deepEqual(done.failed.map((f) => `${f.item.kind} ${f.item.name}: ${f.message}`), []);
  });

  it('cleanup source deletes everything setup made and keeps foreign objects of the same names', async () => {
    const s = tb.source;
    const adminProject = s.session.projectId;
    const other = await s.identity.projects.create({ name: `${prefix}-foreign`, description: 'not a test tenant' });
    foreign.push({ what: 'foreign project', remove: () => s.identity.projects.delete(other.id) });
    const n = await s.network!.networks.create({ name: `${prefix}-net`, tenantId: adminProject });
    foreign.push({ what: 'foreign network', remove: () => s.network!.networks.delete(n.id) });
    const g = await s.network!.securityGroups.create({ name: `${prefix}-web`, tenantId: other.id, description: 'web' });
    foreign.push({ what: 'foreign group', remove: () => s.network!.securityGroups.delete(g.id) });
    const defaults = await s.network!.securityGroups.list({ tenant_id: other.id, name: 'default' });
    for (const d of defaults) foreign.push({ what: 'foreign default group', remove: () => s.network!.securityGroups.delete(d.id) });
    const img = await s.image.create({ name: `${prefix}-image`, diskFormat: 'raw', containerFormat: 'bare', visibility: 'private' });
    foreign.push({ what: 'foreign image', remove: () => s.image.delete(img.id) });
    const foreignIds = [other.id, n.id, g.id, img.id];

    const r = await cleanup({ configPath: config, statePath: state, cloud: 'source', yes: true });
    assert.deepEqual(r.deletion?.failed.map((f) => `${f.item.kind} ${f.item.name}: ${f.message}`), []);
    const found = new Set(r.found.map((d) => d.id));
    for (const id of foreignIds) assert.ok(!found.has(id), `foreign ${id} left alone`);
    const t = seeded.tenants[0]!;
    assert.ok(found.has(t.projectId) && found.has(t.userId) && found.has(t.servers[0]!));
    assert.ok((await s.identity.projects.get(other.id)).name === `${prefix}-foreign`);
    assert.ok((await s.network!.networks.list({ name: `${prefix}-net` })).some((x) => x.id === n.id));
    assert.equal((await s.image.get(img.id)).id, img.id);
    assert.deepEqual(await leftovers(s, prefix, new Set(foreignIds)), []);
  });
});

/** Names of objects with the prefix still in the cloud (besides `except`), deleting them as a safety net. */
async function leftovers(c: Cloud, prefix: string, except: ReadonlySet<string> = new Set()): Promise<string[]> {
  const found: string[] = [];
  const sweep = async <T extends { id: string; name: string }>(what: string, list: () => Promise<T[]>, del: (id: string) => Promise<unknown>) => {
    for (const o of await list().catch(() => [] as T[])) {
      if (!o.name.startsWith(prefix) || except.has(o.id)) continue;
      found.push(`${what} ${o.name}`);
      await del(o.id).catch(() => undefined);
    }
  };
  await sweep('server', () => c.compute.servers.list({ allTenants: true }), (id) => c.compute.servers.delete(id));
  await sweep('volume', () => c.volume!.volumes.list({ allTenants: true }), (id) => c.volume!.volumes.delete(id));
  await sweep('router', () => c.network!.routers.list(), (id) => c.network!.routers.delete(id));
  await sweep('network', () => c.network!.networks.list(), (id) => c.network!.networks.delete(id));
  await sweep('image', () => c.image.list(), (id) => c.image.delete(id));
  await sweep('flavor', () => c.compute.flavors.list(), (id) => c.compute.flavors.delete(id));
  await sweep('user', () => c.identity.users.list(), (id) => c.identity.users.delete(id));
  await sweep('project', () => c.identity.projects.list(), (id) => c.identity.projects.delete(id));
  return found;
}
