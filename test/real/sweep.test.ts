/**
 * The sweep that starts `npm run test:real`, on a modern simulated cloud: it removes exactly
 * the objects earlier runs would have left (test-prefixed names, and what a test project
 * owns), in an order the cloud accepts, and nothing else. Runs in the fast suite (no testbed).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { openCloud, type Cloud } from '../../src/openstack/index.js';
import { startSimCloud, type SimCloud } from '../../src/sim/index.js';
import { sshPublicKey } from '../kinds/support/ssh-key.js';
import { isTestName, sweepTestObjects } from './sweep.js';

async function open(sim: SimCloud): Promise<Cloud> {
  const a = sim.admin;
  return openCloud(
    { authUrl: sim.authUrl, username: a.username, password: a.password, projectName: a.projectName, userDomainName: 'Default', projectDomainName: 'Default' },
    { name: 'source' },
  );
}

/** Names and ids of everything in the cloud the sweep could touch, as `<kind> <name>`. */
async function census(c: Cloud): Promise<string[]> {
  const net = c.network!;
  const out: string[] = [];
  const add = (kind: string, names: readonly string[]) => out.push(...names.map((n) => `${kind} ${n}`));
  add('project', (await c.identity.projects.list()).map((p) => p.name));
  add('user', (await c.identity.users.list()).map((u) => u.name));
  add('server', (await c.compute.servers.list({ allTenants: true })).map((s) => s.name));
  add('flavor', (await c.compute.flavors.list()).map((f) => f.name));
  add('keypair', (await c.compute.keypairs.list()).map((k) => k.name));
  add('network', (await net.networks.list()).map((n) => n.name));
  add('subnet', (await net.subnets.list()).map((n) => n.name));
  add('router', (await net.routers.list()).map((n) => n.name));
  add('port', (await net.ports.list()).filter((p) => p.name !== '').map((n) => n.name));
  add('floating IP', (await net.floatingIps.list()).map((f) => f.description || f.tenantId));
  add('security group', (await net.securityGroups.list()).map((g) => `${g.name}@${g.tenantId}`));
  add('volume', (await c.volume!.volumes.list({ allTenants: true })).map((v) => v.name));
  add('snapshot', (await c.volume!.snapshots.list({ allTenants: true })).map((v) => v.name));
  add('volume type', (await c.volume!.types.list()).map((v) => v.name));
  add('image', (await c.image.list({ allTenants: true })).map((i) => i.name));
  add('role', (await c.identity.roles.list()).map((r) => r.name));
  return out.sort();
}

/** Waits (the simulator's transitions are instant, but run on its clock) until `get` shows `status`. */
async function reaches(get: () => Promise<{ readonly status: string }>, status: string): Promise<void> {
  for (let i = 0; (await get()).status !== status; i++) {
    if (i > 200) assert.fail(`never reached ${status}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the test:real sweep on a modern simulated cloud', { concurrency: false }, () => {
  let sim: SimCloud;
  let c: Cloud;
  before(async () => {
    sim = await startSimCloud({ release: 'modern', network: 'neutron', hashCost: 'fast' }, { name: 'source', knobs: { timeScale: 0 } });
    c = await open(sim);
  });
  after(async () => {
    await c?.close();
    await sim?.close();
  });

  it('recognises the test prefixes only', () => {
    for (const n of ['phk-0a1b2c3d-acme', 'phd-deadbeef', 'phe-12345678-a-alice', 'phc-abcdef01-flavor', 'pumphouse-test-rt0a1b2c-web']) assert.ok(isTestName(n), n);
    for (const n of ['phk-prod', 'phk-0a1b2c3dx', 'PHK-0a1b2c3d-x', 'ph-0a1b2c3d', 'phkk-0a1b2c3d', 'pumphouse-test-1', 'pumphouse-snapshot-x', 'acme', '']) assert.ok(!isTestName(n), n);
  });

  it('deletes the leftovers of a killed run in dependency order, and nothing else', async () => {
    const id = c.identity;
    const net = c.network!;
    const vol = c.volume!;
    const pre = 'phk-0a1b2c3d';
    const tiny = (await c.compute.flavors.list())[0]!;
    const external = (await net.networks.list()).find((n) => n.external)!;
    // What an operator (or the testbed itself) has: look-alikes that must stay.
    const keepProject = await id.projects.create({ name: 'phk-prod' });
    await id.roles.create('phk-reader');
    const keepNet = await net.networks.create({ name: 'phk-prod-net' });
    await net.subnets.create({ networkId: keepNet.id, cidr: '10.70.0.0/24', name: 'keep-sub' });
    await c.compute.flavors.create({ name: 'phk-gold', vcpus: 1, ramMb: 64, diskGb: 1 });
    await net.floatingIps.create({ floatingNetworkId: external.id, description: 'operator fip' });
    const before = await census(c);

    // A killed run's objects: a test project with a user (and its keypair), a network, a
    // subnet, a router with gateway and interface, a port with a floating IP, a server, a
    // group, a volume with a snapshot, an image; admin-owned prefixed flavor, keypair,
    // volume type, group and floating IP (described).
    const p = await id.projects.create({ name: `${pre}-acme` });
    const u = await id.users.create({ name: `${pre}-alice`, password: 'Pw-test-1', defaultProjectId: p.id });
    await c.compute.keypairs.create({ name: `${pre}-k1`, publicKey: sshPublicKey().publicKey, userId: u.id });
    await c.compute.keypairs.create({ name: `${pre}-admin-key`, publicKey: sshPublicKey().publicKey });
    await c.compute.flavors.create({ name: `${pre}-gold`, vcpus: 1, ramMb: 64, diskGb: 1, isPublic: false });
    const n = await net.networks.create({ name: `${pre}-net`, tenantId: p.id });
    const sn = await net.subnets.create({ networkId: n.id, cidr: '10.71.0.0/24', name: `${pre}-sub`, tenantId: p.id });
    const r = await net.routers.create({ name: `${pre}-r1`, tenantId: p.id, externalGateway: { networkId: external.id } });
    await net.routers.addInterface(r.id, { subnetId: sn.id });
    const port = await net.ports.create({ networkId: n.id, name: `${pre}-web`, tenantId: p.id });
    await net.floatingIps.create({ floatingNetworkId: external.id, tenantId: p.id, portId: port.id });
    await net.floatingIps.create({ floatingNetworkId: external.id, description: 'phc-0a1b2c3d-fip' });
    await net.securityGroups.create({ name: 'web', tenantId: p.id, description: 'owned by a test project, not prefixed' });
    await net.securityGroups.create({ name: 'phc-0a1b2c3d-sg' });
    const img = await c.image.create({ name: `${pre}-boot`, diskFormat: 'raw', containerFormat: 'bare' });
    await c.image.upload(img.id, Readable.from([Buffer.alloc(4096, 1)]), 4096);
    await c.image.update(img.id, { protected: true });
    const server = await c.compute.servers.create({ name: `${pre}-vm`, flavorId: tiny.id, imageId: img.id, networks: [{ uuid: n.id }] });
    const v = await vol.volumes.create({ size: 1, name: `phd-0a1b2c3d-data` });
    await reaches(() => vol.volumes.get(v.id), 'available');
    await vol.snapshots.create({ volumeId: v.id, name: 'snap-of-a-test-volume' });
    await vol.types.create({ name: 'phc-0a1b2c3d-type' });
    // Attached to the server: in-use until the server is gone.
    const attached = await vol.volumes.create({ size: 1, name: `${pre}-attached` });
    await reaches(() => vol.volumes.get(attached.id), 'available');
    await reaches(() => c.compute.servers.get(server.id), 'ACTIVE');
    await c.compute.servers.attachVolume(server.id, attached.id);
    await reaches(() => vol.volumes.get(attached.id), 'in-use');
    const role = await id.roles.create(`${pre}-auditor`);
    await id.roleAssignments.grant({ userId: u.id, projectId: p.id, roleId: role.id });
    assert.ok(server.id);

    const lines: string[] = [];
    const report = await sweepTestObjects(c, { pollMs: 10, onRemoved: (l) => lines.push(l) });
    assert.deepEqual(report.failed, []);
    assert.deepEqual(lines, report.removed);
    const kinds = report.removed.map((l) => l.split(' ').slice(1, 3).join(' '));
    const at = (prefix: string) => kinds.findIndex((k) => k.startsWith(prefix));
    // Dependency order.
    for (const [a, b] of [['server', 'floating'], ['floating', 'port'], ['port', 'router phk'], ['router phk', 'subnet'], ['subnet', 'network'], ['network', 'security'], ['volume snapshot', 'volume phd'], ['volume phd', 'image'], ['image', 'keypair'], ['keypair', 'flavor'], ['flavor', 'user'], ['user', 'role'], ['role', 'project']] as const) {
      assert.ok(at(a) >= 0 && at(a) < at(b), `${a} before ${b}: ${kinds.join(', ')}`);
    }
    assert.ok(report.removed.some((l) => /router phk-0a1b2c3d-r1 interface/.test(l)));
    assert.ok(report.removed.some((l) => /router phk-0a1b2c3d-r1 gateway/.test(l)));
    assert.ok(report.removed.every((l) => l.startsWith('source ')));
    // Exactly the look-alikes and the cloud's own objects are left.
    assert.deepEqual(await census(c), before);
    assert.ok(await id.projects.get(keepProject.id));

    // Nothing left to do the second time.
    assert.deepEqual(await sweepTestObjects(c, { pollMs: 10 }), { removed: [], failed: [] });
  });

  it("narrowed to one run's prefix (a run's own cleanup), leaves the other runs' objects", async () => {
    const id = c.identity;
    const mine = 'phe-11111111';
    const theirs = 'phe-22222222';
    for (const pre of [mine, theirs]) {
      const p = await id.projects.create({ name: `${pre}-a` });
      await c.network!.networks.create({ name: 'private', tenantId: p.id });
      await id.users.create({ name: `${pre}-a-alice`, password: 'Pw-test-1', defaultProjectId: p.id });
    }
    const report = await sweepTestObjects(c, { pollMs: 10, names: (n) => n.startsWith(mine) });
    assert.deepEqual(report.failed, []);
    assert.deepEqual(report.removed.map((l) => l.replace(/ \([0-9a-f-]+\)$/, '')), ['source network private', 'source security group default', `source user ${mine}-a-alice`, `source project ${mine}-a`]);
    assert.ok(await id.projects.findByName(`${theirs}-a`));
    assert.equal((await sweepTestObjects(c, { pollMs: 10 })).removed.length, 4);
  });
});
