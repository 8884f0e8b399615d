/**
 * The rbac_policy kind on the simulator's modern Neutron (the real Zed testbed runs the same
 * scenario in test/real/kinds-network.test.ts), and discovery's read of the policies back.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toRbacPolicy } from '../../../src/discovery/records/network.js';
import { simDestination, type SimDestination } from '../support/sim-destination.js';
import { cloudAccess, StepHarness } from '../support/step-harness.js';
import { openNetworkScenario } from './rbac-policy-scenario.js';

describe('rbac_policy on a modern simulated destination', () => {
  let d: SimDestination;
  before(async () => {
    d = await simDestination();
  });
  after(() => d?.close());

  it('opens a network to another project once, adopts it, and asks to plan again when it is gone', async () => {
    const id = d.cloud.identity;
    const owner = await id.projects.create({ name: 'rbac-owner' });
    const other = await id.projects.create({ name: 'rbac-other' });
    const n = await d.cloud.network!.networks.create({ name: 'rbac-net', tenantId: owner.id });
    await openNetworkScenario(d.cloud, new StepHarness(cloudAccess(undefined, d.cloud)), { networkId: n.id, owner: owner.id, other: other.id });
  });

  it('discovery reads a policy as the planner needs it', async () => {
    const net = d.cloud.network!;
    const n = await net.networks.create({ name: 'rbac-read' });
    const made = await net.rbacPolicies.create({ objectType: 'network', objectId: n.id, action: 'access_as_external', targetTenant: 'p-reader' });
    const read = (await net.rbacPolicies.list()).filter((p) => p.objectId === n.id).map(toRbacPolicy);
    assert.deepEqual(read, [{ id: made.id, objectType: 'network', objectId: n.id, action: 'access_as_external', targetProject: 'p-reader', projectId: d.cloud.session.projectId }]);
  });
});
