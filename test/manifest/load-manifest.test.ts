import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifest, type LoadedManifest } from '../../src/manifest/index.js';
import { PumphouseError } from '../../src/errors/index.js';
import { createHash } from 'node:crypto';
import stableStringify from 'json-stable-stringify';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ph-manifest-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function load(text: string): Promise<LoadedManifest> {
  const path = join(dir, `m${n++}.yaml`);
  await writeFile(path, text);
  return loadManifest(path);
}

async function failure(text: string): Promise<PumphouseError> {
  try {
    await load(text);
  } catch (err) {
    assert.ok(PumphouseError.is(err), String(err));
    return err;
  }
  assert.fail('loadManifest accepted a bad manifest');
}

const BASE = `version: 1
tenants:
  - name: acme
    source_after: keep
    servers: all
  - id: 1234abcd
    servers: [web-1, {name: db-1}]
identity:
  users: tenant-members
images:
  public: none
flavors: used
hosts:
  - name: node-1
    environment: destination-env
    roles: [compute]
concurrency:
  server: 4
options:
  keep_fixed_ips: true
  server_consistency: suspend
`;

describe('loadManifest: normalized desired state', () => {
  test('the example manifest loads', async () => {
    const m = await loadManifest('examples/manifest.yaml');
    assert.equal(m.desired.tenants.length, 2);
    assert.equal(m.desired.hosts.length, 2);
    assert.equal(m.desired.options.legacyKeypairs, 'used');
    assert.match(m.digest, /^[0-9a-f]{64}$/);
  });

  test('defaults are applied and lists sorted', async () => {
    const m = await load('version: 1\ntenants:\n  - name: zeta\n  - id: abc\n  - name: alpha\n    servers: [b, a, {id: c}]\nhosts:\n  - {name: h2, environment: e}\n  - {name: h1, environment: e, roles: [cinder, compute], copy_from: h0}\n');
    const d = m.desired;
    assert.deepEqual(d.tenants.map((t) => t.key), ['alpha', 'id:abc', 'zeta']);
    assert.deepEqual(d.tenants[0], {
      key: 'alpha',
      ref: { by: 'name', value: 'alpha' },
      placement: 'destination',
      sourceAfter: 'keep',
      servers: { kind: 'some', refs: [{ by: 'id', value: 'c' }, { by: 'name-or-id', value: 'a' }, { by: 'name-or-id', value: 'b' }] },
    });
    assert.deepEqual(d.tenants[2]?.servers, { kind: 'all' });
    assert.deepEqual(d.identity, { users: 'tenant-members', roles: 'used', passwords: 'copy-hash' });
    assert.deepEqual(d.images, { public: { kind: 'none' } });
    assert.equal(d.flavors, 'used');
    assert.deepEqual(d.hosts, [
      { name: 'h1', environment: 'e', roles: ['cinder', 'compute'], layout: { kind: 'copy-from', node: 'h0' } },
      { name: 'h2', environment: 'e', roles: ['compute'], layout: { kind: 'plugin' } },
    ]);
    assert.deepEqual(d.concurrency, { perKind: {} });
    assert.deepEqual(d.options, { keepFixedIps: true, keepFloatingIps: true, serverConsistency: 'suspend', legacyKeypairs: 'all', flavorMap: {} });
    assert.deepEqual(m.paths.hosts.get('h1'), ['hosts', 1]);
    assert.equal(m.locate(['hosts', 1, 'copy_from']).line, 9);
  });

  test('a number as concurrency is the default limit', async () => {
    const m = await load('version: 1\nconcurrency: 3\n');
    assert.deepEqual(m.desired.concurrency, { default: 3, perKind: {} });
  });

  test("concurrency.discovery is discovery's own limit, kept apart from the apply groups", async () => {
    const m = await load('version: 1\nconcurrency: {discovery: 16, server: 2}\n');
    assert.deepEqual(m.desired.concurrency, { perKind: { server: 2 }, discovery: 16 });
    const e = await failure('version: 1\nconcurrency: {discovery: 0}\n');
    assert.equal(e.problems[0]?.location?.field, 'concurrency.discovery');
  });

  test('the desired state is frozen', async () => {
    const m = await load(BASE);
    assert.throws(() => {
      (m.desired.tenants as unknown as unknown[]).push({});
    }, TypeError);
    assert.ok(Object.isFrozen(m.desired.tenants[0]?.ref));
  });
});

describe('manifest digest', () => {
  test('formatting, comments, key order, list order and spelled-out defaults keep it', async () => {
    const a = await load(BASE);
    const b = await load(`# same meaning, written differently
options: {server_consistency: suspend, keep_fixed_ips: true, keep_floating_ips: true, legacy_keypairs: all}   # defaults spelled out
concurrency: {server: 4}
hosts: [{roles: [compute], environment: "destination-env", name: node-1}]
flavors: 'used'
images: {public: none}
identity: {users: tenant-members, roles: used}
tenants:
  - id: "1234abcd"
    servers:
      - {name: db-1}
      - web-1
  - {name: acme, placement: destination, servers: all}
version: 1
`);
    assert.equal(b.digest, a.digest);
    assert.notEqual(b.textSha256, a.textSha256);
  });

  test('options.legacy_keypairs at its default leaves the digest as before the option existed', async () => {
    const m = await load(BASE);
    const { legacyKeypairs, ...older } = m.desired.options;
    assert.equal(legacyKeypairs, 'all');
    const canonical = stableStringify({ format: 'pumphouse.manifest/1', desired: { ...m.desired, options: older } }) ?? '';
    assert.equal(m.digest, createHash('sha256').update(canonical).digest('hex'));
  });

  test('changing a tenant, a host or an option changes it', async () => {
    const base = (await load(BASE)).digest;
    const changes: [string, string][] = [
      ['name: acme', 'name: acme2'],
      ['source_after: keep', 'source_after: delete'],
      ['servers: [web-1, {name: db-1}]', 'servers: [web-1, {id: db-1}]'],
      ['environment: destination-env', 'environment: other-env'],
      ['server: 4', 'server: 5'],
      ['keep_fixed_ips: true', 'keep_fixed_ips: false'],
      ['server_consistency: suspend', 'server_consistency: suspend\n  legacy_keypairs: used'],
      ['server_consistency: suspend', 'server_consistency: suspend\n  legacy_keypairs: none'],
    ];
    const digests = new Set([base]);
    for (const [from, to] of changes) {
      const d = (await load(BASE.replace(from, to))).digest;
      assert.notEqual(d, base, `${from} -> ${to} kept the digest`);
      digests.add(d);
    }
    assert.equal(digests.size, changes.length + 1);
  });
});

interface BadCase {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly line: number;
  readonly field: string;
  readonly message: RegExp;
}

/** Kinds of manifest mistakes: each gives exactly one problem at the right line and field. */
const BAD_MANIFESTS: readonly BadCase[] = [
  { name: 'misspelt top-level key', from: 'tenants:', to: 'tenant:', line: 2, field: 'tenant', message: /unknown key 'tenant' \(did you mean 'tenants'\?\)/ },
  { name: 'unsupported version', from: 'version: 1', to: 'version: 2', line: 1, field: 'version', message: /2 must be 1/ },
  { name: 'missing version', from: 'version: 1\n', to: '', line: 1, field: 'version', message: /missing required key 'version'/ },
  { name: 'bad source_after', from: 'source_after: keep', to: 'source_after: deleet', line: 4, field: 'tenants[0].source_after', message: /"deleet" must be one of: keep, stop, delete \(did you mean 'delete'\?\)/ },
  { name: 'tenant with neither name nor id', from: '  - name: acme\n    source_after', to: '  - source_after', line: 3, field: 'tenants[0].name', message: /needs 'name' or 'id'/ },
  { name: 'tenant with name and id', from: '  - id: 1234abcd', to: '  - id: 1234abcd\n    name: x', line: 6, field: 'tenants[1].id', message: /by name or by id, not both/ },
  { name: 'misspelt tenant key', from: '  - name: acme', to: '  - nmae: acme', line: 3, field: 'tenants[0].nmae', message: /did you mean 'name'/ },
  { name: 'duplicate tenant', from: '  - id: 1234abcd', to: '  - name: acme', line: 6, field: 'tenants[1].name', message: /tenant "acme" is listed twice \(first at tenants\[0\] \(line 3\)\)/ },
  { name: 'duplicate host', from: 'concurrency:', to: '  - name: node-1\n    environment: e\nconcurrency:', line: 17, field: 'hosts[1].name', message: /host "node-1" is listed twice/ },
  { name: 'duplicate server', from: 'servers: [web-1, {name: db-1}]', to: 'servers: [web-1, web-1]', line: 7, field: 'tenants[1].servers[1]', message: /server "web-1" is listed twice/ },
  { name: 'placement other than destination', from: 'source_after: keep', to: 'placement: source', line: 4, field: 'tenants[0].placement', message: /must be one of: destination/ },
  { name: 'servers neither all nor a list', from: 'servers: all', to: 'servers: some', line: 5, field: 'tenants[0].servers', message: /must be all, or a list of server names or ids/ },
  { name: 'server given by name and id', from: '{name: db-1}', to: '{name: db-1, id: x}', line: 7, field: 'tenants[1].servers[1]', message: /\{name: NAME\} or \{id: ID\}, not both/ },
  { name: 'bad identity scope', from: 'users: tenant-members', to: 'users: members', line: 9, field: 'identity.users', message: /one of: all, tenant-members/ },
  { name: 'bad public images scope', from: 'public: none', to: 'public: non', line: 11, field: 'images.public', message: /must be all, none, or a list.*did you mean 'none'/ },
  { name: 'flavors as a list', from: 'flavors: used', to: 'flavors: [m1.tiny]', line: 12, field: 'flavors', message: /one of: used, all/ },
  { name: 'host without environment', from: '    environment: destination-env\n', to: '', line: 14, field: 'hosts[0].environment', message: /missing required key 'environment'/ },
  { name: 'host with copy_from and disks', from: '    roles: [compute]', to: '    roles: [compute]\n    copy_from: node-3\n    disks: []', line: 17, field: 'hosts[0].copy_from', message: /either copy_from or disks\/interfaces/ },
  { name: 'empty roles', from: 'roles: [compute]', to: 'roles: []', line: 16, field: 'hosts[0].roles', message: /must not be an empty list/ },
  { name: 'zero concurrency', from: 'server: 4', to: 'server: 0', line: 18, field: 'concurrency.server', message: /0 must be a whole number >= 1/ },
  { name: 'unknown concurrency kind', from: 'server: 4', to: 'servr: 4', line: 18, field: 'concurrency.servr', message: /did you mean 'server'/ },
  { name: 'concurrency as a word', from: 'concurrency:\n  server: 4', to: 'concurrency: lots', line: 17, field: 'concurrency', message: /"lots" must be a whole number >= 1, or a mapping/ },
  { name: 'option not a boolean', from: 'keep_fixed_ips: true', to: 'keep_fixed_ips: yes please', line: 20, field: 'options.keep_fixed_ips', message: /must be true or false, not a string/ },
  { name: 'bad server_consistency', from: 'server_consistency: suspend', to: 'server_consistency: pause', line: 21, field: 'options.server_consistency', message: /one of: stop, suspend, live/ },
  { name: 'bad legacy_keypairs', from: 'server_consistency: suspend', to: 'server_consistency: suspend\n  legacy_keypairs: some', line: 22, field: 'options.legacy_keypairs', message: /"some" must be one of: all, used, none/ },
  { name: 'legacy_keypairs as a boolean', from: 'server_consistency: suspend', to: 'server_consistency: suspend\n  legacy_keypairs: false', line: 22, field: 'options.legacy_keypairs', message: /must be one of: all, used, none/ },
  { name: 'tenant written as a string', from: '  - id: 1234abcd\n    servers: [web-1, {name: db-1}]', to: '  - 1234abcd', line: 6, field: 'tenants[1]', message: /must be a mapping/ },
  { name: 'YAML syntax error', from: '  - id: 1234abcd', to: '  - id: 1234abcd\n   bad: indent', line: 7, field: 'tenants[1]', message: /YAML syntax error/ },
];

describe('loadManifest: mistakes give one clear problem each', () => {
  for (const c of BAD_MANIFESTS) {
    test(c.name, async () => {
      assert.ok(BASE.includes(c.from), `fixture lacks ${c.from}`);
      const e = await failure(BASE.replace(c.from, c.to));
      assert.equal(e.code, 'PH_MANIFEST_INVALID');
      assert.equal(e.problems.length, 1, JSON.stringify(e.problems, null, 1));
      const p = e.problems[0]!;
      assert.match(p.location?.file ?? '', /m\d+\.yaml$/);
      assert.equal(p.location?.line, c.line, p.message);
      assert.equal(p.location?.field, c.field);
      assert.match(p.message, c.message);
    });
  }

  test('several mistakes are all reported at once', async () => {
    const e = await failure(BASE.replace('version: 1', 'version: 3').replace('server: 4', 'server: -1').replace('  - id: 1234abcd', '  - name: acme'));
    assert.deepEqual(
      e.problems.map((p) => p.location?.field),
      ['version', 'tenants[1].name', 'concurrency.server'],
    );
  });

  test('a missing file is PH_NOT_FOUND', async () => {
    await assert.rejects(loadManifest(join(dir, 'nope.yaml')), (err: unknown) => PumphouseError.is(err) && err.code === 'PH_NOT_FOUND');
  });
});
