// The verbs' selection through the real planner: a desired state built like a manifest's,
// the whole plan, then targets/excludes chosen by source id; the selected plan holds exactly
// the wanted actions and what they depend on (fixtures: test/planner/fixtures).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { exactSelection, migrateScope, migrateSelector, verbDesired, type Resolved } from '../../src/app/index.js';
import type { Inventory } from '../../src/inventory/index.js';
import type { Action, Plan } from '../../src/plan/index.js';
import { plan as makePlan } from '../../src/planner/index.js';
import { PumphouseError } from '../../src/errors/index.js';
import { planOptions } from '../planner/fixtures/manifest.js';
import { neutronClouds } from '../planner/fixtures/neutron-clouds.js';

function clouds(): { source: Inventory; destination: Inventory } {
  const c = neutronClouds();
  return { source: c.source as Inventory, destination: c.destination as Inventory };
}

/** What plan() does with a selector: the whole plan, then the selected one from the same inputs. */
function planVerb(resolved: readonly Resolved[]): { whole: Plan; selected: Plan } {
  const what = resolved[0]!.what;
  const { source, destination } = clouds();
  const desired = verbDesired({ ...migrateScope(resolved), passwords: 'copy-hash' });
  const run = (targets: readonly string[], impliedExcludes: readonly string[]) =>
    makePlan({ desired, source, destination, prior: null, options: planOptions({ targets: [...targets], excludes: [], impliedExcludes: [...impliedExcludes] }) });
  const whole = run([], []);
  const chosen = migrateSelector(what, resolved)({ plan: whole, source, destination });
  return { whole, selected: run(chosen.targets, chosen.excludes) };
}

/** Ids of `wanted` and everything they depend on, in `p`; plus revokes of kept grants (the planner keeps the pair). */
function closure(p: Plan, wanted: readonly Action[]): Set<string> {
  const byId = new Map(p.actions.map((a) => [a.id, a]));
  const keep = new Set<string>();
  const stack = wanted.map((a) => a.id);
  while (stack.length) {
    const id = stack.pop()!;
    if (keep.has(id)) continue;
    keep.add(id);
    stack.push(...(byId.get(id)?.depends_on ?? []));
  }
  for (const a of p.actions) if (a.kind === 'admin_membership' && a.action === 'revoke' && [...keep].some((k) => byId.get(k)?.address === a.address)) keep.add(a.id);
  return keep;
}

const addresses = (p: Plan): string[] => p.actions.map((a) => a.address).sort();

describe('migrate resources --ids <server>', () => {
  const resolved: Resolved[] = [{ what: 'resources', id: 's-sv-web1', name: 'web-1', projectId: 's-p-acme', userId: 's-u-alice' }];
  const { whole, selected } = planVerb(resolved);

  test('keeps the server, its source copy decision, what it needs, and its owner identity', () => {
    const a = addresses(selected);
    for (const want of ['tenant[acme].server[web-1]', 'tenant[acme].server[web-1].source_after', 'tenant[acme]', 'user[alice]', 'user[alice].password_hash', 'user[alice].keypair[k1]', 'tenant[acme].user[alice].role[_member_]', 'flavor[m1.small]', 'tenant[acme].port[web-1/10.0.0.5]', 'tenant[acme].floating_ip[172.24.4.10]', 'tenant[acme].security_group[web]']) {
      assert.ok(a.includes(want), `${want} is kept`);
    }
  });

  test('leaves out what the server does not need: other servers, detached volumes, loose floating IPs, quota, other users', () => {
    const a = addresses(selected);
    for (const not of ['tenant[acme].server[db-1]', 'tenant[acme].volume[scratch]', 'tenant[acme].floating_ip[172.24.4.11]', 'tenant[acme].quota', 'user[bob]', 'flavor[gold]']) {
      assert.ok(!a.includes(not), `${not} is left out`);
    }
    assert.ok(addresses(whole).includes('tenant[acme].quota'), 'the whole plan had the quota');
  });

  test('exactly the closure of the wanted actions in the whole plan', () => {
    const wanted = whole.actions.filter((x) => (x.kind === 'server' || x.kind === 'source_after') && x.source?.id === 's-sv-web1');
    const owner = whole.actions.filter((x) => (['user', 'password_hash'].includes(x.kind) && x.source?.id === 's-u-alice') || (x.kind === 'role_assignment' && x.source?.id.startsWith('s-u-alice/')));
    const expected = [...closure(whole, [...wanted, ...owner])].map((id) => whole.actions.find((x) => x.id === id)!.address).sort();
    assert.deepEqual(addresses(selected), expected);
  });
});

describe('migrate identity --ids <tenant>', () => {
  const { whole, selected } = planVerb([{ what: 'identity', id: 's-p-acme', name: 'acme' }]);
  test('only identity: project, members, roles used, assignments, password hashes', () => {
    assert.deepEqual([...new Set(selected.actions.map((a) => a.kind))].sort(), ['password_hash', 'project', 'role', 'role_assignment', 'user']);
    const a = addresses(selected);
    for (const want of ['tenant[acme]', 'user[alice]', 'user[bob]', 'tenant[acme].user[bob].role[heat_stack_owner]', 'user[bob].password_hash']) assert.ok(a.includes(want), want);
    assert.ok(whole.actions.some((x) => x.kind === 'quota') && whole.actions.some((x) => x.kind === 'network'), 'the whole plan had the quota and networks; the selection dropped them');
  });
  test('no --exclude warning: the operator passed none (the excludes are the selector\'s, recorded in the plan)', () => {
    assert.deepEqual(selected.diagnostics.filter((d) => d.summary.includes('--exclude')), []);
    assert.ok(selected.options.excludes.includes('tenant[acme].quota'), 'the plan records what was left out');
    // An operator's --exclude still warns.
    const { source, destination } = clouds();
    const desired = verbDesired({ ...migrateScope([{ what: 'identity', id: 's-p-acme', name: 'acme' }]), passwords: 'copy-hash' });
    const typed = makePlan({ desired, source, destination, prior: null, options: planOptions({ targets: [], excludes: ['tenant[acme].quota'] }) });
    assert.ok(typed.diagnostics.some((d) => d.summary.startsWith('--exclude dropped 1 action(s)')));
  });
});

describe('migrate images --ids', () => {
  test('a public image: that image alone, no tenant', () => {
    const { selected } = planVerb([{ what: 'images', id: 's-img-cirros', name: 'cirros', public: true, owner: null }]);
    assert.deepEqual(addresses(selected), ['image[cirros]']);
  });
  test("a private image: the image in its tenant, with the project and the tenant-scoped grant and revoke", () => {
    const { selected } = planVerb([{ what: 'images', id: 's-img-snap', name: 'web-1-snap', public: false, owner: 's-p-acme' }]);
    assert.deepEqual(addresses(selected), ['tenant[acme]', 'tenant[acme].admin_membership', 'tenant[acme].admin_membership', 'tenant[acme].image[web-1-snap]']);
  });
  test('an image the planner leaves out (not active) is PH_USAGE naming it', () => {
    assert.throws(
      () => planVerb([{ what: 'images', id: 's-img-queued', name: 'half-upload', public: false, owner: 's-p-acme' }]),
      (e: unknown) => PumphouseError.is(e) && e.code === 'PH_USAGE' && e.message.includes('s-img-queued'),
    );
  });
});

describe('migrate volumes --ids', () => {
  test('a detached volume: the volume, its project and the grant/revoke pair', () => {
    const { selected } = planVerb([{ what: 'volumes', id: 's-vol-free', name: 'scratch', projectId: 's-p-acme', status: 'available', serverIds: [] }]);
    assert.deepEqual(addresses(selected), ['tenant[acme]', 'tenant[acme].admin_membership', 'tenant[acme].admin_membership', 'tenant[acme].volume[scratch]']);
  });
  test('an attached volume is PH_USAGE naming its server, before anything is planned', () => {
    assert.throws(
      () => migrateScope([{ what: 'volumes', id: 's-vol-data', name: 'data', projectId: 's-p-acme', status: 'in-use', serverIds: ['s-sv-db1'] }]),
      (e: unknown) => PumphouseError.is(e) && e.code === 'PH_USAGE' && /migrate resources --ids s-sv-db1/.test(e.message),
    );
  });
});

describe('exactSelection', () => {
  const act = (address: string, depends_on: string[] = [], id = address): Action =>
    ({ id, address, kind: 'server', action: 'create', reason: { code: 'missing_in_destination', text: '' }, depends_on, preconditions: [], impact: { downtime: false, destructive: false, irreversible: false }, steps: [] }) as unknown as Action;
  const p = {
    actions: [act('t[a]'), act('t[a].x[1]', ['t[a]']), act('t[a].x[2]', ['t[a]']), act('t[a].x[2].y', ['t[a].x[2]']), act('t[a].z[3]', ['t[a]']), act('u[b]')],
  } as unknown as Plan;

  test('targets are the wanted addresses; what a target would drag in beyond the closure is excluded, at its highest address', () => {
    assert.deepEqual(exactSelection(p, [p.actions[0]!]), { targets: ['t[a]'], excludes: ['t[a].x[1]', 't[a].x[2]', 't[a].z[3]'] });
  });
  test('an excluded-looking address that holds a kept action is not excluded', () => {
    const withDep = { actions: [...p.actions.slice(0, 5), act('u[b]', ['t[a].x[2].y'])] } as unknown as Plan;
    // u[b] needs t[a].x[2].y, which is inside t[a].x[2]: t[a].x[2] must stay (it is also y's dependency).
    assert.deepEqual(exactSelection(withDep, [withDep.actions[0]!, withDep.actions[5]!]), { targets: ['t[a]', 'u[b]'], excludes: ['t[a].x[1]', 't[a].z[3]'] });
  });
});
