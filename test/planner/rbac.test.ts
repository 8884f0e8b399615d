import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RbacPolicy } from '../../src/inventory/index.js';
import { fakeApply } from './fixtures/fake-apply.js';
import { assertAfter, at, changes, run } from './fixtures/helpers.js';
import { desired, tenant } from './fixtures/manifest.js';
import { neutronClouds } from './fixtures/neutron-clouds.js';
import { port } from './fixtures/records.js';

const policy = (id: string, objectId: string, targetProject: string, o: Partial<RbacPolicy> = {}): RbacPolicy => ({
  id,
  objectType: 'network',
  objectId,
  action: 'access_as_shared',
  targetProject,
  projectId: 's-p-acme',
  ...o,
});

/** acme's network `private` opened to `other` (and to everyone by its flag's `*` policy), and a port of other's on it. */
function shared() {
  const c = neutronClouds();
  c.source.rbacPolicies = [policy('s-rbac-other', 's-n-priv', 's-p-other'), policy('s-rbac-all', 's-n-priv', '*')];
  c.source.ports.push(port('s-port-ovip', 's-n-priv', 's-p-other', { macAddress: 'fa:16:3e:00:00:42', fixedIps: [{ subnetId: 's-s-priv', ipAddress: '10.0.0.42' }], deviceOwner: '' }));
  return c;
}

const BOTH = () => desired({ tenants: [tenant('acme'), tenant('other')] });
const ADDRESS = 'tenant[acme].network[private].shared_with[other]';

describe('plan: networks opened to another project by RBAC (Liberty+ sources)', () => {
  test('a policy for a migrated project is made on the copy for its copy, after both; `*` policies are left to the network flags', () => {
    const c = shared();
    const p = run({ desired: BOTH(), source: c.source, destination: c.destination });
    const a = at(p, ADDRESS);
    assert.equal(a.kind, 'rbac_policy');
    assert.equal(a.action, 'create');
    assert.equal(a.tenant, 'acme');
    const net = at(p, 'tenant[acme].network[private]');
    const other = at(p, 'tenant[other]');
    assert.deepEqual(a.after, { object_type: 'network', object_id: { $ref: net.id }, action: 'access_as_shared', target_tenant: { $ref: other.id }, project_id: { $ref: at(p, 'tenant[acme]').id } });
    assertAfter(p, a, net);
    assertAfter(p, a, other);
    assert.deepEqual(a.preconditions, [{ cloud: 'source', ref: 'neutron/rbac_policies/s-rbac-other', must: 'present' }]);
    assert.equal(p.actions.filter((x) => x.kind === 'rbac_policy').length, 1, 'nothing for the `*` policy');
    // other's port on acme's network waits for the policy: Nova checks the network in other's scope.
    assertAfter(p, at(p, 'tenant[other].port[10.0.0.42]'), a);
  });

  test('after apply, planning again changes nothing; a destination that already has the policy is adopted', () => {
    const c = shared();
    const p = run({ desired: BOTH(), source: c.source, destination: c.destination });
    const done = fakeApply(p, c.source, c.destination);
    const again = run({ desired: BOTH(), source: done.source, destination: done.destination, prior: done.state });
    assert.deepEqual(changes(again).map((x) => `${x.address} ${x.action}`), []);
    assert.equal(at(again, ADDRESS).action, 'no-op');
    // Without the state, the destination's policy on the same copies is found.
    const fresh = run({ desired: BOTH(), source: done.source, destination: done.destination });
    const adopted = at(fresh, ADDRESS);
    assert.equal(adopted.action, 'adopt');
    assert.equal(adopted.reason.code, 'exists_in_destination');
    assert.ok(adopted.reason.text.includes(`policy ${done.destination.rbacPolicies![0]!.id}`), adopted.reason.text);
  });

  test('a policy deleted in the destination after apply is drift, and is made again', () => {
    const c = shared();
    const p = run({ desired: BOTH(), source: c.source, destination: c.destination });
    const done = fakeApply(p, c.source, c.destination);
    const gone = done.destination.rbacPolicies![0]!.id;
    done.destination.rbacPolicies = [];
    const again = run({ desired: BOTH(), source: done.source, destination: done.destination, prior: done.state });
    assert.deepEqual(again.drift.map((d) => [d.address, d.change]), [[ADDRESS, 'deleted']]);
    assert.match(again.drift[0]!.text, new RegExp(gone));
    assert.equal(at(again, ADDRESS).action, 'create');
  });

  test('a policy for a project not migrated is a warning naming it, and nothing is made', () => {
    const c = shared();
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.equal(p.actions.some((x) => x.kind === 'rbac_policy'), false);
    const warning = p.diagnostics.find((d) => d.address === 'tenant[acme].network[private]' && d.summary.includes('RBAC') === false && d.summary.includes("'other'"));
    assert.ok(warning, `a warning on the network: ${JSON.stringify(p.diagnostics.map((d) => d.summary))}`);
    assert.match(warning.summary, /network 'private' is open to project 'other' \(s-p-other\) \(access_as_shared\), which is not migrated/);
  });

  test('external_for names an access_as_external policy; an action pumphouse does not know is warned about', () => {
    const c = shared();
    c.source.rbacPolicies = [policy('s-rbac-ext', 's-n-priv', 's-p-other', { action: 'access_as_external' }), policy('s-rbac-new', 's-n-priv', 's-p-other', { action: 'access_as_future' })];
    const p = run({ desired: BOTH(), source: c.source, destination: c.destination });
    assert.equal(at(p, 'tenant[acme].network[private].external_for[other]').after?.['action'], 'access_as_external');
    assert.ok(p.diagnostics.some((d) => d.severity === 'warning' && d.summary.includes("'access_as_future'")));
  });

  test('a destination without the rbac-policies extension is a plan error on the network', () => {
    const c = shared();
    c.destination.capabilities = { ...c.destination.capabilities, neutron: { allowedAddressPairs: true, portSecurity: true, extraDhcpOpts: true, l3Ha: true, dvr: true, rbac: false } };
    const p = run({ desired: BOTH(), source: c.source, destination: c.destination });
    assert.ok(p.diagnostics.some((d) => d.severity === 'error' && d.address === 'tenant[acme].network[private]' && /no rbac-policies extension/.test(d.summary)));
    assert.equal(p.applyable, false);
  });

  test("a network of a tenant not migrated, found in the destination by name, is not changed: a warning when it is not open to the tenant's copy", () => {
    const c = shared();
    // other's network opened to acme; acme's server uses it; only acme migrates.
    c.source.rbacPolicies = [policy('s-rbac-acme', 's-n-other', 's-p-acme', { projectId: 's-p-other' })];
    c.source.ports.push(port('s-port-web1b', 's-n-other', 's-p-acme', { macAddress: 'fa:16:3e:00:00:43', fixedIps: [{ subnetId: 's-s-other', ipAddress: '10.9.0.43' }], deviceId: 's-sv-web1' }));
    c.destination.networks.push({ ...c.source.networks.find((n) => n.id === 's-n-other')!, id: 'd-n-other', projectId: 'd-p-admin', shared: false });
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.equal(p.actions.some((x) => x.kind === 'rbac_policy'), false);
    assert.ok(p.diagnostics.some((d) => d.severity === 'warning' && /network 'other-net' is open to tenant 'acme' in the source/.test(d.summary)));
    // Shared in the destination: nothing to say.
    c.destination.networks[c.destination.networks.length - 1] = { ...c.destination.networks[c.destination.networks.length - 1]!, shared: true };
    const q = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.equal(q.diagnostics.some((d) => /network 'other-net' is open to tenant/.test(d.summary)), false);
  });

  test('a migrated security group shared by RBAC is warned about: its copy is not shared', () => {
    const c = shared();
    c.source.rbacPolicies = [policy('s-rbac-sg', 's-sg-web', 's-p-other', { objectType: 'security_group' })];
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.ok(p.diagnostics.some((d) => d.address === 'tenant[acme].security_group[web]' && /shared with project 'other' \(s-p-other\) through RBAC/.test(d.summary)));
  });
});
