import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Action, Plan } from '../../src/plan/index.js';
import { changes, run } from './fixtures/helpers.js';
import { desired, tenant } from './fixtures/manifest.js';
import { neutronClouds, type CloudPair } from './fixtures/neutron-clouds.js';
import { fakeApply } from './fixtures/fake-apply.js';

const SOURCE_IDS = { network: 's-n-priv', subnet: 's-s-priv', router: 's-r1', port: 's-port-web1', floating_ip: 's-fip-1' } as const;

/** The source's private network, subnet, router, web-1 port and its floating IP, described. */
function described(text: (kind: string) => string): CloudPair {
  const c = neutronClouds();
  const s = c.source;
  const set = <T extends { id: string }>(list: T[], id: string, kind: string) => {
    const i = list.findIndex((x) => x.id === id);
    list[i] = { ...list[i]!, description: text(kind) };
  };
  set(s.networks, SOURCE_IDS.network, 'network');
  set(s.subnets, SOURCE_IDS.subnet, 'subnet');
  set(s.routers, SOURCE_IDS.router, 'router');
  set(s.ports, SOURCE_IDS.port, 'port');
  set(s.floatingIps, SOURCE_IDS.floating_ip, 'floating_ip');
  return c;
}

function actionOf(p: Plan, kind: keyof typeof SOURCE_IDS): Action {
  const a = p.actions.find((x) => x.kind === kind && x.source?.id === SOURCE_IDS[kind]);
  assert.ok(a, `no ${kind} action for ${SOURCE_IDS[kind]}`);
  return a;
}

describe('plan: descriptions of networks, subnets, routers, ports and floating IPs', () => {
  test('each create carries the source description; objects without one carry none', () => {
    const c = described((kind) => `the ${kind} of acme`);
    const p = run({ desired: desired({ tenants: [tenant('acme')] }), source: c.source, destination: c.destination });
    for (const kind of Object.keys(SOURCE_IDS) as (keyof typeof SOURCE_IDS)[]) {
      const a = actionOf(p, kind);
      assert.equal(a.action, 'create');
      assert.equal(a.after?.['description'], `the ${kind} of acme`, kind);
      assert.equal(a.warnings, undefined, kind);
    }
    const other = p.actions.find((x) => x.kind === 'port' && x.source?.id === 's-port-db1');
    assert.ok(other && !('description' in (other.after ?? {})), 'a port without a description has no description attribute');
  });

  test('a description that leaves no room for the marker within 255 characters is carried whole, with a warning that it will be cut', () => {
    const c = described(() => 'd'.repeat(240));
    const p = run({ desired: desired({ tenants: [tenant('acme')] }), source: c.source, destination: c.destination });
    const net = actionOf(p, 'network');
    assert.equal(net.after?.['description'], 'd'.repeat(240));
    assert.equal(net.warnings?.length, 1);
    assert.match(net.warnings![0]!, /description \(240 characters\) is cut to \d+/);
    assert.ok(actionOf(p, 'router').warnings?.some((w) => /is cut to/.test(w)));
  });

  test('after a full apply, the described objects are no-ops and raise no warning', () => {
    const c = described((kind) => `the ${kind} of acme`);
    const want = desired({ tenants: [tenant('acme')] });
    const first = run({ desired: want, source: c.source, destination: c.destination });
    const r = fakeApply(first, c.source, c.destination);
    const again = run({ desired: want, source: r.source, destination: r.destination, prior: r.state });
    assert.deepEqual(changes(again).map((a) => a.address), []);
    for (const kind of Object.keys(SOURCE_IDS) as (keyof typeof SOURCE_IDS)[]) assert.equal(actionOf(again, kind).action, 'no-op', kind);
  });
});
