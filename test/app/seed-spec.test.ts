// Pure parts of the verbs: the in-memory desired state (same as the manifest loader's), the
// setup spec from flags / populate / workloads, the passwords file, the setup marker.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { passwordsPath, setupSpec, verbDesired, verbPlanPath } from '../../src/app/index.js';
import { isSetupObject, pumphouseMarker, setupDescription } from '../../src/app/seed/marks.js';
import { readPasswords, writePasswords } from '../../src/app/seed/setup/passwords-file.js';
import { PumphouseError } from '../../src/errors/index.js';
import { loadManifest, manifestDigest } from '../../src/manifest/index.js';
import { markDescription, markerTags } from '../../src/inventory/marker.js';

describe('verbDesired', () => {
  test('is what the manifest loader makes of the same manifest (value and digest)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ph-seed-'));
    try {
      const file = join(dir, 'm.yaml');
      await writeFile(
        file,
        ['version: 1', 'tenants:', '  - id: p2', '    servers: [{id: s9}]', '  - id: p1', '    servers: [{id: s2}, {id: s1}]', 'images:', '  public: [{id: i1}]', 'hosts:', '  - {name: node-2, environment: dst}', 'identity:', '  passwords: skip', ''].join('\n'),
      );
      const loaded = await loadManifest(file);
      const built = verbDesired({ tenants: [{ id: 'p2', servers: ['s9'] }, { id: 'p1', servers: ['s2', 's1'] }], publicImages: ['i1'], hosts: [{ name: 'node-2', environment: 'dst' }], passwords: 'skip' });
      assert.deepEqual(built, loaded.desired);
      assert.equal(manifestDigest(built), loaded.digest);
      assert.ok(Object.isFrozen(built.tenants), 'deeply frozen as the loader makes it');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a tenant with no servers to move: an empty selection (which a manifest file cannot write)', () => {
    assert.deepEqual(verbDesired({ tenants: [{ id: 'p', servers: [] }] }).tenants[0]!.servers, { kind: 'some', refs: [] });
  });

  test('no public image ids: images.public none; no tenants: an empty list', () => {
    const d = verbDesired({});
    assert.deepEqual(d.images.public, { kind: 'none' });
    assert.deepEqual(d.tenants, []);
    assert.equal(d.identity.passwords, 'copy-hash');
  });
});

test('verb plans are kept next to the state, named after it, the verb and the plan id', () => {
  assert.equal(verbPlanPath('/x/y/pumphouse.state.json', 'migrate-images', 'abc'), '/x/y/pumphouse.state.migrate-images-abc.plan.json');
  assert.equal(passwordsPath('/x/y/st.json'), '/x/y/st.setup-passwords.json');
});

describe('setupSpec', () => {
  test('defaults: 1 tenant pumphouse-test-1, 2 servers, a detached volume, one flavor and image, a floating IP', () => {
    const s = setupSpec({}, {}, 'c.yaml');
    assert.equal(s.tenants.length, 1);
    const t = s.tenants[0]!;
    assert.equal(t.name, 'pumphouse-test-1');
    assert.equal(t.network.cidr, '10.42.1.0/24');
    assert.deepEqual(t.servers.map((x) => x.name), ['pumphouse-test-1-server-1', 'pumphouse-test-1-server-2']);
    assert.deepEqual(t.servers.map((x) => x.volumes.length), [0, 0]);
    assert.deepEqual(t.volumes.map((v) => v.name), ['pumphouse-test-1-volume']);
    assert.equal(t.floatingIp, true);
    assert.deepEqual(s.flavors.map((f) => f.name), ['pumphouse-test-flavor']);
    assert.deepEqual(s.images.map((i) => i.name), ['pumphouse-test-image']);
  });

  test('populate gives the counts; flags override it', () => {
    const populate = { numTenants: 3, numServers: 1, numVolumes: 2, volumeSize: 4 };
    const s = setupSpec({ populate }, {}, 'c.yaml');
    assert.deepEqual(s.tenants.map((t) => t.name), ['pumphouse-test-1', 'pumphouse-test-2', 'pumphouse-test-3']);
    assert.deepEqual(s.tenants[2]!.servers[0]!.volumes, [
      { name: 'pumphouse-test-3-server-1-vol-1', sizeGb: 4 },
      { name: 'pumphouse-test-3-server-1-vol-2', sizeGb: 4 },
    ]);
    const f = setupSpec({ populate }, { tenants: 1, servers: 0, volumes: 0 }, 'c.yaml');
    assert.equal(f.tenants.length, 1);
    assert.equal(f.tenants[0]!.servers.length, 0);
    assert.equal(f.tenants[0]!.floatingIp, false);
    assert.deepEqual(f.flavors, []);
  });

  test("the original's workloads sample seeds as written (anchors already merged by the loader)", () => {
    const small = { name: 'pumphouse-flavor-0001-small', ram: 1024, vcpu: 1, disk: 10 };
    const image = { name: 'pumphouse-test-image-0001', url: 'http://download.cirros-cloud.net/0.3.2/cirros-0.3.2-x86_64-disk.img' };
    const s = setupSpec(
      {
        populate: { numTenants: 9 },
        workloads: {
          flavors: [small],
          images: [image],
          tenants: [{ name: 'pumphouse-test-0001', description: 'pumphouse test tenant 0001', username: 'pumphouse-test-user-0001', volumes: [{ display_name: 'v1', size: 2 }], servers: [{ name: 'pumphouse-test-instance-0001', flavor: { ...small }, image: { ...image } }] }],
        },
      },
      { tenants: 5 },
      'c.yaml',
    );
    assert.deepEqual(s.flavors, [{ name: 'pumphouse-flavor-0001-small', vcpus: 1, ramMb: 1024, diskGb: 10 }]);
    assert.deepEqual(s.images, [{ name: 'pumphouse-test-image-0001', diskFormat: 'raw', containerFormat: 'bare' }]);
    assert.equal(s.tenants.length, 1, 'workloads replace the generated set');
    const t = s.tenants[0]!;
    assert.equal(t.username, 'pumphouse-test-user-0001');
    assert.deepEqual(t.volumes, [{ name: 'v1', sizeGb: 2 }]);
    assert.deepEqual(t.servers, [{ name: 'pumphouse-test-instance-0001', flavor: 'pumphouse-flavor-0001-small', image: 'pumphouse-test-image-0001', volumes: [] }]);
  });

  test('a broken workload: every problem at once, located, PH_CONFIG_INVALID, the password never quoted', () => {
    try {
      setupSpec({ workloads: { flavors: 'x', tenants: [{ password: 'S3cr3t-pw!', servers: [{ name: 's', flavor: 7 }] }, 'nope'] } }, {}, 'c.yaml');
      assert.fail('should throw');
    } catch (e) {
      assert.ok(PumphouseError.is(e));
      assert.equal(e.code, 'PH_CONFIG_INVALID');
      const fields = e.problems.map((p) => p.location?.field);
      for (const f of ['CLOUDS.source.workloads.flavors', 'CLOUDS.source.workloads.tenants[1]', 'CLOUDS.source.workloads.tenants[0].name', 'CLOUDS.source.workloads.tenants[0].servers[0].flavor', 'CLOUDS.source.workloads.tenants[0].servers[0].image']) {
        assert.ok(fields.includes(f), `${f} in ${fields.join(', ')}`);
      }
      assert.ok(!JSON.stringify({ m: e.message, p: e.problems }).includes('S3cr3t'));
    }
  });
});

describe('the passwords file', () => {
  test('written 0600 through a rename, read back; absent reads empty; junk is PH_STATE_INVALID without its content', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ph-seed-'));
    try {
      const file = join(dir, 'p.json');
      assert.deepEqual(await readPasswords(file), {});
      await writeFile(file, '', { mode: 0o644 });
      await writePasswords(file, { 'http://k/v3': { alice: 'pw-1' } });
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      assert.deepEqual(await readPasswords(file), { 'http://k/v3': { alice: 'pw-1' } });
      await writeFile(file, 'secret-garbage{');
      await assert.rejects(readPasswords(file), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_STATE_INVALID' && !e.message.includes('secret-garbage'));
      assert.equal((await readFile(file, 'utf8')).length > 0, true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('markers', () => {
  test('setup marker in entries, tags or description; the pumphouse marker is told apart', () => {
    assert.ok(isSetupObject({ entries: { pumphouse_setup: '1' } }));
    assert.ok(isSetupObject({ tags: ['x', 'pumphouse_setup=1'] }));
    assert.ok(isSetupObject({ description: setupDescription('a test group') }));
    assert.equal(setupDescription(setupDescription('x')), setupDescription('x'), 'not doubled');
    assert.ok(!isSetupObject({ entries: { pumphouse_setup: '0' }, description: 'pumphouse_setup=1 in the middle' }));
    assert.deepEqual(pumphouseMarker({ tags: markerTags({ sourceId: 's1', kind: 'network' }) }), { sourceId: 's1', kind: 'network' });
    assert.deepEqual(pumphouseMarker({ description: markDescription('web', { sourceId: 's2', kind: 'security_group' }) }), { sourceId: 's2', kind: 'security_group' });
    assert.equal(pumphouseMarker({ description: setupDescription('x') }), undefined);
  });
});
