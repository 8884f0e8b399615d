// The rbac_policy kind's behaviour, run against the simulator (rbac-policy-sim.test.ts) and
// the real Zed testbed (test/real/kinds-network.test.ts): the same assertions on both.
import assert from 'node:assert/strict';
import { rbacPolicyKind } from '../../../src/kinds/network/index.js';
import type { Cloud } from '../../../src/openstack/index.js';
import { makeAction, type StepHarness } from '../support/step-harness.js';

/**
 * Opens `networkId` (owned by `owner`) to project `other` twice as two fresh applies would
 * (the second finds the first's policy), checks the policy and its owner, adopts it, and
 * after the policy is deleted checks that adopt asks to plan again. Leaves nothing behind
 * but the network.
 */
export async function openNetworkScenario(dst: Cloud, h: StepHarness, o: { readonly networkId: string; readonly owner: string; readonly other: string }): Promise<void> {
  const net = dst.network!;
  const after = { object_type: 'network', object_id: o.networkId, action: 'access_as_shared', target_tenant: o.other, project_id: o.owner };
  const address = 'tenant[a].network[n].shared_with[b]';
  const create = makeAction({ kind: 'rbac_policy', action: 'create', address, sourceId: 'src-net/access_as_shared/src-b', after });
  const first = (await h.run(rbacPolicyKind, create)).at(-1)!.destinationId!;
  h.forget(create);
  const second = (await h.run(rbacPolicyKind, create)).at(-1)!.destinationId!;
  assert.equal(second, first, 'a second run finds the policy instead of making another');
  const listed = (await net.rbacPolicies.list({ object_id: o.networkId })).filter((p) => p.targetTenant === o.other);
  assert.deepEqual(
    listed.map((p) => [p.id, p.objectType, p.action, p.tenantId]),
    [[first, 'network', 'access_as_shared', o.owner]],
    'one policy, owned by the network owner',
  );
  const adopt = makeAction({ kind: 'rbac_policy', action: 'adopt', address, sourceId: 'src-net/access_as_shared/src-b', after });
  assert.equal((await h.run(rbacPolicyKind, adopt)).at(-1)!.destinationId, first);
  await net.rbacPolicies.delete(first);
  h.forget(adopt);
  await assert.rejects(h.run(rbacPolicyKind, adopt), (err: Error & { code?: string }) => err.code === 'PH_PRECONDITION_FAILED' && /no longer open to project/.test(err.message));
}
