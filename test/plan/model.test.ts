import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PumphouseError } from '../../src/errors/index.js';
import {
  ACTION_TYPES,
  ALLOWED_ACTIONS,
  RESOURCE_KINDS,
  actionId,
  formatAddress,
  hasChanges,
  parseAddress,
  standardSteps,
  summarize,
  topoOrder,
  type Action,
} from '../../src/plan/index.js';
import { largePlan, smallPlan } from './fixtures.js';

function action(address: string, deps: string[] = [], extra: Partial<Action> = {}): Action {
  return {
    id: actionId(address, 'create'),
    address,
    kind: 'network',
    action: 'create',
    reason: { code: 'missing_in_destination', text: 't' },
    depends_on: deps.map((d) => actionId(d, 'create')),
    preconditions: [],
    impact: { downtime: false, destructive: false, irreversible: false },
    steps: ['create'],
    ...extra,
  };
}

describe('addresses and ids', () => {
  test('format and parse are inverse, quoting only names that need it', () => {
    const cases = [
      [{ type: 'tenant', name: 'acme' }, { type: 'server', name: 'web-1' }],
      [{ type: 'flavor', name: 'm1.small' }],
      [{ type: 'tenant', name: 'acme' }, { type: 'quota' }],
      [{ type: 'tenant', name: 'we[ird]' }, { type: 'server', name: 'a "b" \\ c' }],
      [{ type: 'host', name: 'node-12' }],
    ];
    for (const segs of cases) assert.deepEqual(parseAddress(formatAddress(segs)), segs);
    assert.equal(formatAddress(cases[0]!), 'tenant[acme].server[web-1]');
    assert.equal(formatAddress(cases[3]!), 'tenant["we[ird]"].server[a "b" \\ c]'.replace('a "b" \\ c', JSON.stringify('a "b" \\ c')));
  });

  test('malformed addresses are PH_USAGE with the position', () => {
    for (const bad of ['', 'Tenant[a]', 'tenant[a', 'tenant[a].', 'tenant[a]server[b]', 'tenant["a]']) {
      assert.throws(() => parseAddress(bad), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_USAGE', bad);
    }
  });

  test('action ids are deterministic, short, and differ by action', () => {
    assert.equal(actionId('host[node-12]', 'evacuate'), actionId('host[node-12]', 'evacuate'));
    assert.notEqual(actionId('host[node-12]', 'evacuate'), actionId('host[node-12]', 'reassign'));
    assert.match(actionId('x', 'create'), /^[0-9a-f]{12}$/);
  });
});

describe('kinds table', () => {
  test('every kind has allowed actions drawn from the action types, and standard steps', () => {
    assert.equal(RESOURCE_KINDS.length, 27);
    assert.equal(ACTION_TYPES.length, 11);
    for (const k of RESOURCE_KINDS) {
      assert.ok(ALLOWED_ACTIONS[k].length > 0);
      for (const a of ALLOWED_ACTIONS[k]) {
        assert.ok(ACTION_TYPES.includes(a));
        assert.equal(standardSteps(k, a).length === 0, a === 'no-op');
      }
    }
    assert.deepEqual(standardSteps('server', 'migrate'), ['quiesce', 'snapshot', 'transfer', 'boot', 'attach_volumes', 'floating_ip', 'verify']);
    assert.deepEqual(standardSteps('network', 'create'), ['create']);
    assert.deepEqual(standardSteps('owner_keypairs', 'create'), ['read_as_owner', 'import']);
  });
});

describe('topoOrder', () => {
  test('puts dependencies first and keeps input order among independent actions', () => {
    const a = action('a', ['c']);
    const b = action('b');
    const c = action('c', ['b']);
    const d = action('d');
    assert.deepEqual(topoOrder([a, b, c, d]).map((x) => x.address), ['b', 'c', 'a', 'd']);
    assert.deepEqual(topoOrder([b, c, a, d]).map((x) => x.address), ['b', 'c', 'a', 'd']);
  });

  test('an already ordered plan comes back unchanged', () => {
    const plan = largePlan();
    assert.deepEqual(topoOrder(plan.actions).map((a) => a.id), plan.actions.map((a) => a.id));
  });

  test('a cycle is PH_INTERNAL naming the addresses on it', () => {
    const x = action('x', ['z']);
    const y = action('y', ['x']);
    const z = action('z', ['y']);
    assert.throws(
      () => topoOrder([action('free'), x, y, z, action('after', ['x'])]),
      (e: unknown) => PumphouseError.is(e) && e.code === 'PH_INTERNAL' && /cycle: (x|y|z) -> .* -> (x|y|z)/.test(e.message),
    );
  });

  test('unknown dependencies and duplicate ids are PH_INTERNAL', () => {
    assert.throws(() => topoOrder([action('a', ['ghost'])]), /unknown action/);
    assert.throws(() => topoOrder([action('a'), action('a')]), /duplicate/);
  });
});

describe('summarize / hasChanges', () => {
  test('counts by action and kind, bytes, downtime servers, destructive and irreversible, ignoring no-ops', () => {
    const s = summarize(smallPlan().actions);
    assert.equal(s.by_action.migrate, 6); // cirros, acme image, 3 servers, 1 volume
    assert.equal(s.by_action['no-op'], 2);
    assert.equal(s.by_action.delete, 3);
    assert.equal(s.by_kind.server, 3);
    assert.equal(s.by_kind.role, 1, 'the no-op role is not counted');
    assert.equal(s.downtime_servers, 3);
    assert.equal(s.irreversible, 4); // 3 source deletes + 1 reassign
    assert.equal(s.destructive, 4);
    assert.equal(s.total, smallPlan().actions.length - 2);
    assert.equal(s.bytes, 21 * 2 ** 20 + 2 * 2 ** 30 + (20 + 20 + 40 + 100) * 2 ** 30);
  });

  test('hasChanges is false for a plan of no-ops', () => {
    assert.equal(hasChanges({ actions: [action('a', [], { action: 'no-op', steps: [] })] }), false);
    assert.equal(hasChanges(smallPlan()), true);
  });
});
