/**
 * Discovery against the testbed's two real OpenStack Zed clouds (shared/testbed/README.md):
 * source keystone 127.0.0.1:5000, destination 127.0.0.1:15000, admin/admin. Skipped, with
 * the reason, outside `npm run test:real` or when the testbed does not answer. Other suites
 * use the same clouds at the same time, so the assertions are about what the testbed always has (admin project, `public`,
 * m1.*, two compute hosts) and about the shape of the calls, not about exact totals.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plan } from '../../src/app/index.js';
import { discover, type Discovery } from '../../src/discovery/index.js';
import { MemoryReporter } from '../../src/events/index.js';
import { openCloud, type Cloud } from '../../src/openstack/index.js';
import { desired, tenant } from '../planner/fixtures/manifest.js';
import { testbedSkipReason } from './kinds-support.js';

const CLOUDS = { source: 'http://127.0.0.1:5000/v3', destination: 'http://127.0.0.1:15000/v3' } as const;

const skip = (await testbedSkipReason()) ?? false;

const login = (role: keyof typeof CLOUDS): Promise<Cloud> =>
  openCloud({ authUrl: CLOUDS[role], username: 'admin', password: 'admin', projectName: 'admin', userDomainName: 'Default', projectDomainName: 'Default' }, { name: role });

/** Every HTTP request undici creates in this process while `body` runs (the wire, not our ledger). */
async function onTheWire<T>(body: () => Promise<T>): Promise<{ result: T; requests: string[] }> {
  const requests: string[] = [];
  const listener = (message: unknown): void => {
    const r = (message as { request: { method: string; path: string; origin: string } }).request;
    requests.push(`${r.method} ${r.origin}${r.path.split('?')[0]}`);
  };
  subscribe('undici:request:create', listener);
  try {
    return { result: await body(), requests };
  } finally {
    unsubscribe('undici:request:create', listener);
  }
}

// Per-object reads (quotas, keypairs, flavor access): their number follows the scope and
// the private flavors other suites may be creating right now.
const PER_OBJECT = /\/os-quota-sets\/|\/v2\.0\/quotas\/|\/os-keypairs$|\/os-flavor-access$/;

describe('discovery on the real testbed (Zed)', { skip }, () => {
  let source: Cloud;
  let destination: Cloud;
  before(async () => {
    [source, destination] = await Promise.all([login('source'), login('destination')]);
  });
  after(async () => {
    await source?.close();
    await destination?.close();
  });

  let found: Discovery;
  let wire: string[];
  const reporter = new MemoryReporter();
  test('both clouds at once, read-only on the wire', async () => {
    const run = await onTheWire(() => discover({ source, destination, desired: desired({ tenants: [tenant('admin')] }), prior: null }, { reporter }));
    found = run.result;
    wire = run.requests;
    assert.ok(wire.length > 20, `requests seen: ${wire.length}`);
    assert.deepEqual(wire.filter((r) => !r.startsWith('GET ')), [], 'no POST, PUT, PATCH or DELETE');
    assert.equal(wire.length, found.calls.source.discovery + found.calls.destination.discovery, 'the ledger saw every request');
  });

  test('what every testbed cloud has: admin, public, m1.*, two compute hosts', () => {
    for (const [role, inv] of [['source', found.source], ['destination', found.destination]] as const) {
      assert.ok(inv.projects.some((p) => p.name === 'admin' && p.domainId === 'default'), `${role}: admin project`);
      const pub = inv.networks.find((n) => n.name === 'public');
      assert.ok(pub?.external, `${role}: external network public`);
      assert.equal(inv.subnets.find((s) => s.networkId === pub.id)?.cidr, role === 'source' ? '203.0.113.0/24' : '198.51.100.0/24');
      for (const f of ['m1.tiny', 'm1.small', 'm1.medium']) assert.ok(inv.flavors.some((x) => x.name === f && x.isPublic), `${role}: ${f}`);
      const hosts = [`${role}-compute-1`, `${role}-compute-2`];
      assert.deepEqual(inv.hypervisors.map((h) => h.host).sort(), hosts);
      assert.deepEqual(inv.computeServices.filter((s) => s.binary === 'nova-compute').map((s) => s.host).sort(), hosts);
      assert.deepEqual(inv.availabilityZones.find((z) => z.name === 'nova')?.hosts, hosts);
      assert.equal(inv.capabilities.release, 'zed');
      assert.equal(inv.capabilities.identityApi, 'v3');
      assert.equal(inv.capabilities.networkModel, 'neutron');
      assert.ok(inv.quotas.some((q) => inv.projects.find((p) => p.id === q.projectId)?.name === 'admin' && q.compute !== null && q.network !== null && q.volume !== null), `${role}: admin quotas from the three services`);
    }
    assert.equal(reporter.ofType('discovery_complete').length, 2);
  });

  test('one call per kind: every bulk list is a single page here, no per-object GETs', () => {
    const bulk = wire.filter((r) => !PER_OBJECT.test(r));
    const perPath = new Map<string, number>();
    for (const r of bulk) perPath.set(r, (perPath.get(r) ?? 0) + 1);
    for (const [path, n] of perPath) assert.equal(n, 1, `${path} read ${n} times`);
    const uuid = /\/[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/;
    assert.deepEqual(bulk.filter((r) => uuid.test(r) && !/\/volume\/|:8776|:18776/.test(r)), [], 'no GET of a single object');
  });

  test("a group's role on a project is read as a grant left behind, with the group's name", async () => {
    const keystone = async (method: 'POST' | 'PUT' | 'DELETE', path: string, json?: unknown): Promise<Record<string, { id: string }>> =>
      (await source.session.request<Record<string, { id: string }>>({ service: 'identity', method, url: `${source.session.endpoint('identity')}${path}`, ...(json ? { json } : {}) })).data ?? {};
    const name = `pumphouse-discovery-test-${process.pid}`;
    const admin = found.source.projects.find((p) => p.name === 'admin')!;
    const member = found.source.roles.find((r) => r.name === 'member')!;
    const group = (await keystone('POST', '/groups', { group: { name, domain_id: 'default' } }))['group']!.id;
    try {
      await keystone('PUT', `/projects/${admin.id}/groups/${group}/roles/${member.id}`);
      const again = await discover({ source, destination, desired: desired({ tenants: [tenant('admin')] }), prior: null });
      assert.deepEqual(
        again.source.otherGrants?.filter((g) => g.holderId === group),
        [{ holder: 'group', holderId: group, holderName: name, roleId: member.id, scope: 'project', scopeId: admin.id, inherited: false }],
      );
    } finally {
      await keystone('DELETE', `/groups/${group}`);
    }
  });

  test('a network opened to another project is read as an RBAC policy (one list)', async () => {
    const net = source.network!;
    const n = await net.networks.create({ name: `pumphouse-discovery-test-${process.pid}-rbac` });
    try {
      const target = found.source.projects.find((p) => p.name === 'service')!;
      const made = await net.rbacPolicies.create({ objectType: 'network', objectId: n.id, action: 'access_as_shared', targetTenant: target.id });
      const again = await discover({ source, destination, desired: desired({ tenants: [tenant('admin')] }), prior: null });
      assert.deepEqual(
        again.source.rbacPolicies?.filter((p) => p.objectId === n.id),
        [{ id: made.id, objectType: 'network', objectId: n.id, action: 'access_as_shared', targetProject: target.id, projectId: source.session.projectId }],
      );
      assert.equal(again.source.capabilities.neutron?.rbac, true);
    } finally {
      // Neutron deletes a network's policies with it.
      await net.networks.delete(n.id);
    }
  });

  test('more objects, same calls: three more networks cost nothing', async () => {
    const count = async (): Promise<{ calls: number; networks: number }> => {
      const { result, requests } = await onTheWire(() => discover({ source, destination, desired: desired({ tenants: [tenant('admin')] }), prior: null }));
      return { calls: requests.filter((r) => !PER_OBJECT.test(r)).length, networks: result.destination.networks.length };
    };
    const net = destination.network!;
    const made: string[] = [];
    try {
      const before = await count();
      for (let i = 0; i < 3; i++) made.push((await net.networks.create({ name: `pumphouse-discovery-test-${process.pid}-${i}` })).id);
      const afterMore = await count();
      assert.equal(afterMore.calls, before.calls);
      assert.ok(afterMore.networks >= before.networks + 3);
    } finally {
      for (const id of made) await net.networks.delete(id).catch(() => undefined);
    }
  });
});

describe('plan() on the real testbed', { skip }, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pumphouse-real-plan-'));
    const endpoint = (url: string) => `      auth_url: ${url}\n      username: admin\n      password: admin\n      project_name: admin\n      user_domain_name: Default\n      project_domain_name: Default\n`;
    await writeFile(join(dir, 'config.yaml'), `CLOUDS:\n  source:\n    endpoint:\n${endpoint(CLOUDS.source)}  destination:\n    endpoint:\n${endpoint(CLOUDS.destination)}`);
    await writeFile(join(dir, 'manifest.yaml'), 'version: 1\ntenants:\n  - name: service\nidentity:\n  passwords: skip\n');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('plans the service tenant (it exists on both sides: adopted), writes the plan, never the state', async () => {
    const reporter = new MemoryReporter();
    const out = join(dir, 'service.plan');
    const result = await plan({ configPath: join(dir, 'config.yaml'), manifestPath: join(dir, 'manifest.yaml'), statePath: join(dir, 'state.json'), out, reporter });
    const project = result.plan.actions.find((a) => a.address === 'tenant[service]');
    assert.equal(project?.action, 'adopt');
    assert.equal(result.plan.config.source.release, 'zed');
    assert.match(result.sha256 ?? '', /^[0-9a-f]{64}$/);
    assert.equal((await stat(out)).isFile(), true);
    await assert.rejects(stat(join(dir, 'state.json')), { code: 'ENOENT' });
    assert.equal(reporter.ofType('plan_written')[0]?.sha256, result.sha256);
    assert.ok(result.calls.source.total < 60 && result.calls.destination.total < 60, `calls: ${JSON.stringify(result.calls)}`);
  });
});
