// Keystone's list_limit on the simulator (knob keystoneListLimit): v3 lists longer than the
// limit come back cut with "truncated": true. The client turns that into PH_LIST_TRUNCATED;
// discovery reads projects and users per domain and role assignments per project in scope,
// and ends with the same inventory as without the limit (plus notes), or stops with an error
// naming the list and the keystone.conf setting when no narrower query helps.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { discover, discoverCloud, type DiscoveredCloud } from '../../src/discovery/index.js';
import { PumphouseError } from '../../src/errors/index.js';
import type { Inventory } from '../../src/inventory/index.js';
import { openCloud, ServiceApi, type Cloud } from '../../src/openstack/index.js';
import { startSimulator, type SimCloud, type Simulator } from '../../src/sim/index.js';
import { desired, tenant } from '../planner/fixtures/manifest.js';

function open(c: SimCloud): Promise<Cloud> {
  const a = c.admin;
  return openCloud({ authUrl: c.authUrl, username: a.username, password: a.password, projectName: a.projectName, userDomainName: 'Default', projectDomainName: 'Default' });
}

let sim: Simulator;
let source: Cloud;
let destination: Cloud;
let whole: DiscoveredCloud;
/** A limit each domain's projects and users, each project's assignments, roles and domains fit in, the totals not. */
let limit: number;

const key = (a: { userId: string; roleId: string; projectId: string | null }) => `${a.projectId}/${a.userId}/${a.roleId}`;
const identityOf = (inv: Inventory) => ({
  projects: inv.projects.map((p) => p.id).sort(),
  users: inv.users.map((u) => u.id).sort(),
  assignments: inv.roleAssignments.map(key).sort(),
});
const calls = (d: DiscoveredCloud, pattern: RegExp) => d.ledger.entries.filter((e) => e.service === 'identity' && pattern.test(e.path)).length;

before(async () => {
  sim = await startSimulator({
    seed: 7,
    source: { release: 'modern', network: 'neutron', hashCost: 'fast' },
    destination: { release: 'modern', network: 'neutron', hashCost: 'fast' },
    generate: { tenants: 4, serversPerTenant: 0, usersPerTenant: 2 },
  });
  [source, destination] = await Promise.all([open(sim.source), open(sim.destination)]);
  // A second domain with as many projects and members as the generator made in Default.
  const keystone = new ServiceApi(source.session, 'identity', () => source.session.authUrl);
  const domain = (await keystone.post('/domains', { domain: { name: 'second' } })).data as { domain: { id: string } };
  const member = (await source.identity.roles.list()).find((r) => r.name === 'member' || r.name === '_member_')!;
  for (let i = 0; i < 4; i++) {
    const p = await source.identity.projects.create({ name: `second-${i}`, domainId: domain.domain.id });
    for (let j = 0; j < 2; j++) {
      const u = await source.identity.users.create({ name: `second-${i}-${j}`, password: 'x', domainId: domain.domain.id });
      await source.identity.roleAssignments.grant({ projectId: p.id, userId: u.id, roleId: member.id });
    }
  }
  whole = await discoverCloud(source, { role: 'source' });
  const inv = whole.inventory;
  const perDomain = (ids: (string | null)[]) => Math.max(...[...new Set(ids)].map((d) => ids.filter((x) => x === d).length));
  const perProject = Math.max(...inv.projects.map((p) => inv.roleAssignments.filter((a) => a.projectId === p.id).length));
  limit = Math.max(perDomain(inv.projects.map((p) => p.domainId)), perDomain(inv.users.map((u) => u.domainId)), perProject, inv.roles.length, 2);
  assert.ok(inv.projects.length > limit && inv.users.length > limit && inv.roleAssignments.length > limit, `limit ${limit} cuts every list`);
});
after(async () => {
  sim?.source.setKnobs({ keystoneListLimit: null });
  await Promise.all([source?.close(), destination?.close()]);
  await sim?.close();
});

describe('Keystone list_limit (v3 "truncated")', { concurrency: false }, () => {
  test('the client answers a cut list with PH_LIST_TRUNCATED naming the list and the setting; a list of exactly the limit is whole', async () => {
    const total = whole.inventory.projects.length;
    sim.source.setKnobs({ keystoneListLimit: total - 1 });
    try {
      await assert.rejects(source.identity.projects.list(), (e: unknown) => {
        assert.ok(PumphouseError.is(e) && e.code === 'PH_LIST_TRUNCATED', String(e));
        assert.match(e.message, /cut the projects list after \d+ entries/);
        assert.match(e.message, /\[resource\] list_limit \(or \[DEFAULT\] list_limit\)/);
        assert.equal(e.details?.['returned'], total - 1);
        return true;
      });
      sim.source.setKnobs({ keystoneListLimit: total });
      assert.equal((await source.identity.projects.list()).length, total);
    } finally {
      sim.source.setKnobs({ keystoneListLimit: null });
    }
  });

  test('discovery reads projects and users per domain and assignments per project: the same identity as without the limit, with notes', async () => {
    sim.source.setKnobs({ keystoneListLimit: limit });
    try {
      const cut = await discoverCloud(source, { role: 'source' });
      assert.deepEqual(identityOf(cut.inventory), identityOf(whole.inventory));
      assert.equal(calls(cut, /\/projects$/), 1 + 2, 'the cut list, then one per domain');
      assert.equal(calls(cut, /\/users$/), 1 + 2);
      assert.equal(calls(cut, /\/role_assignments$/), 1 + cut.inventory.projects.length, 'the cut list, then one per project in scope');
      assert.deepEqual(cut.notes.map((n) => n.summary).filter((s) => /Keystone cut/.test(s)).sort(), [
        'Keystone cut the projects list short: [resource] list_limit (or [DEFAULT] list_limit) in keystone.conf; discovery read per domain instead (2 lists)',
        'Keystone cut the role_assignments list short: [assignment] list_limit (or [DEFAULT] list_limit) in keystone.conf; discovery reads the assignments per project in scope instead',
        'Keystone cut the users list short: [identity] list_limit (or [DEFAULT] list_limit) in keystone.conf; discovery read per domain instead (2 lists)',
      ]);
    } finally {
      sim.source.setKnobs({ keystoneListLimit: null });
    }
  });

  test('a plan of one tenant reads only its assignments after the cut', async () => {
    sim.source.setKnobs({ keystoneListLimit: limit });
    try {
      const name = whole.inventory.projects.find((p) => p.name.startsWith('tenant-'))!.name;
      const r = await discover({ source, destination, desired: desired({ tenants: [tenant(name)] }), prior: null });
      const id = r.source.projects.find((p) => p.name === name)!.id;
      assert.deepEqual(r.source.roleAssignments.filter((a) => a.projectId === id).map(key).sort(), whole.inventory.roleAssignments.filter((a) => a.projectId === id).map(key).sort());
      assert.ok(r.notes.some((n) => /role_assignments list short/.test(n.summary)));
    } finally {
      sim.source.setKnobs({ keystoneListLimit: null });
    }
  });

  test('when even a domain\'s list is cut, discovery stops with PH_LIST_TRUNCATED naming the list and the setting', async () => {
    sim.source.setKnobs({ keystoneListLimit: 2 });
    try {
      await assert.rejects(discoverCloud(source, { role: 'source' }), (e: unknown) => {
        assert.ok(PumphouseError.is(e) && e.code === 'PH_LIST_TRUNCATED', String(e));
        assert.match(e.message, /cut the (projects|users|role_assignments|roles) list/);
        assert.match(e.message, /list_limit/);
        return true;
      });
    } finally {
      sim.source.setKnobs({ keystoneListLimit: null });
    }
  });
});
