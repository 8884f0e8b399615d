// The per-project reads that have a bulk form, against the simulator (src/sim): Neutron quotas
// from one `GET /quotas` plus one read of the defaults, and Keystone v2.0 role assignments from
// one unfiltered list (v3 role_assignments next to v2.0) when most projects are in scope.
// The answers must equal what the per-project reads give.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { discover, discoverCloud, type DiscoveredCloud } from '../../src/discovery/index.js';
import { PORT_FIELDS, toPort } from '../../src/discovery/records/network.js';
import { openCloud, type Cloud } from '../../src/openstack/index.js';
import type { CloudRequest } from '../../src/openstack/session/request.js';
import { startSimulator, type SimCloud, type Simulator } from '../../src/sim/index.js';
import { desired, tenant } from '../planner/fixtures/manifest.js';

function open(c: SimCloud): Promise<Cloud> {
  const a = c.admin;
  return openCloud({
    authUrl: c.authUrl,
    username: a.username,
    password: a.password,
    projectName: a.projectName,
    ...(c.profile.keystoneV2 ? {} : { userDomainName: 'Default', projectDomainName: 'Default' }),
  });
}

const TENANTS = 6;
let sim: Simulator;
let source: Cloud;
let destination: Cloud;
let seen: DiscoveredCloud;

before(async () => {
  // The generator gives every other tenant limits of its own (Nova, Cinder and Neutron).
  sim = await startSimulator({
    seed: 5,
    source: { release: 'juno', network: 'neutron', hashCost: 'fast' },
    destination: { release: 'modern', network: 'neutron', hashCost: 'fast' },
    generate: { tenants: TENANTS, serversPerTenant: 1 },
  });
  [source, destination] = await Promise.all([open(sim.source), open(sim.destination)]);
  // An anti-affinity group over the first tenant's server (the generator makes none).
  const t0 = sim.generated.tenants[0]!;
  sim.source.store.serverGroups.insert({ id: 'grp-ha', name: 'ha', projectId: t0.id, userId: t0.users[0]!.id, policies: ['anti-affinity'], members: [t0.servers[0]!], metadata: {} });
  seen = await discoverCloud(source, { role: 'source' });
});
after(async () => {
  await Promise.all([source?.close(), destination?.close()]);
  await sim?.close();
});

test('server groups of every project are read (all_projects), one policy each', () => {
  assert.deepEqual(seen.inventory.serverGroups, [{ id: 'grp-ha', name: 'ha', policy: 'anti-affinity', members: [sim.generated.tenants[0]!.servers[0]!], projectId: sim.generated.tenants[0]!.id }]);
});

const calls = (d: DiscoveredCloud, service: string, pattern: RegExp) => d.ledger.entries.filter((e) => e.service === service && pattern.test(e.path)).length;

describe('every project in scope (discoverCloud on a Juno Neutron source)', () => {
  test('Neutron quotas: one list and one defaults read, equal to the per-project answers', async () => {
    const projects = seen.inventory.projects.map((p) => p.id);
    assert.ok(projects.length >= TENANTS + 1);
    assert.equal(calls(seen, 'network', /\/quotas$/), 1, 'GET /quotas once');
    assert.equal(calls(seen, 'network', /\/quotas\/[^/]+$/), 1, 'one project read for the defaults');
    let own = 0;
    for (const id of projects) {
      const truth = await source.network!.quotas.get(id);
      const q = seen.inventory.quotas.find((x) => x.projectId === id);
      assert.deepEqual(q?.network, truth, id);
      if (truth['port'] === 100) own++;
    }
    assert.equal(own, TENANTS / 2, 'the listed projects keep their own limits');
  });

  test('Nova and Cinder have no list: still one read per project', () => {
    const n = seen.inventory.projects.length;
    assert.equal(calls(seen, 'compute', /os-quota-sets\/[^/]+$/), n);
    assert.equal(calls(seen, 'volume', /os-quota-sets\/[^/]+$/), n);
  });

  test('Keystone v2.0 role assignments: one unfiltered v3 list (and a read of each project it did not name), the same as the per-project lists', async () => {
    const named = new Set(seen.inventory.roleAssignments.map((a) => a.projectId));
    const unnamed = seen.inventory.projects.filter((p) => !named.has(p.id)).length;
    assert.ok(unnamed < TENANTS / 2, `${unnamed} projects without members`);
    assert.equal(calls(seen, 'identity', /role_assignments$/), 1 + unnamed);
    const perProject = (await Promise.all(seen.inventory.projects.map((p) => source.identity.roleAssignments.list({ projectId: p.id })))).flat();
    const key = (a: { userId: string; roleId: string; projectId: string | null }) => `${a.projectId}/${a.userId}/${a.roleId}`;
    assert.deepEqual(seen.inventory.roleAssignments.map(key).sort(), perProject.map(key).sort());
    assert.ok(perProject.length >= TENANTS * 2);
  });
});

test('one tenant of many in scope: per-project reads, no lists of everything', async () => {
  const t = sim.generated.tenants[1]!;
  const found = await discover({ source, destination, desired: desired({ tenants: [tenant(t.name)] }), prior: null });
  const q = found.source.quotas.find((x) => x.projectId === t.id);
  assert.deepEqual(q?.network, await source.network!.quotas.get(t.id));
  assert.deepEqual(found.source.roleAssignments.filter((a) => a.projectId === t.id).length, 2);
  assert.ok(found.calls.source.byService['network']! < 20);
});

test('Neutron ports are asked for with fields= (repeated, the attributes records read): the records equal those of whole ports', async () => {
  for (const cloud of [source, destination]) {
    // What the session is asked for the ports (the ledger keeps paths, not queries).
    const asked: unknown[] = [];
    const session = cloud.session as unknown as { request: (req: CloudRequest) => Promise<unknown> };
    const request = session.request.bind(session);
    session.request = (req) => {
      if (/\/ports$/.test(req.url)) asked.push(req.query);
      return request(req);
    };
    let found: DiscoveredCloud;
    try {
      found = await discoverCloud(cloud, { role: cloud === source ? 'source' : 'destination' });
    } finally {
      delete (session as { request?: unknown }).request;
    }
    assert.equal(asked.length, 1);
    assert.deepEqual((asked[0] as { fields?: unknown }).fields, PORT_FIELDS);
    const whole = (await cloud.network!.ports.list()).map((p) => toPort(p));
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    if (cloud === source) assert.ok(whole.length > TENANTS, 'ports of servers, routers and DHCP');
    assert.deepEqual([...found.inventory.ports].sort(byId), whole.sort(byId));
  }
});
