/**
 * The automatic rules a source group lacked, removed by apply right after the group is made
 * (or, for `default`, found) on the simulator's modern Neutron, and again harmlessly on a
 * second run of the step.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { projectKind } from '../../../src/kinds/identity/index.js';
import { securityGroupKind } from '../../../src/kinds/network/index.js';
import type { Cloud, SecurityGroupRule } from '../../../src/openstack/index.js';
import { simDestination, type SimDestination } from '../support/sim-destination.js';
import { cloudAccess, makeAction, ref, StepHarness } from '../support/step-harness.js';

const key = (r: SecurityGroupRule, self: string): string => `${r.direction} ${r.ethertype} ${r.remoteGroupId === self ? 'self' : (r.remoteGroupId ?? 'any')}`;

describe('security groups: automatic rules the source lacked are removed', { concurrency: false }, () => {
  let d: SimDestination;
  let dst: Cloud;
  before(async () => {
    d = await simDestination();
    dst = d.cloud;
  });
  after(() => d?.close());

  it('a new group loses its IPv6 egress, a new project\'s default its ingress from itself; the rest stays', async () => {
    const h = new StepHarness(cloudAccess(undefined, dst));
    const project = makeAction({ kind: 'project', action: 'create', address: 'tenant[trim]', sourceId: 'src-p-trim', after: { name: 'trim', description: '', enabled: true } });
    await h.run(projectKind, project);
    const web = makeAction({
      kind: 'security_group', action: 'create', address: 'tenant[trim].security_group[web]', sourceId: 'src-sg-web',
      after: { name: 'web', description: '', project_id: ref(project), remove_automatic_rules: [{ direction: 'egress', ethertype: 'IPv6', from_itself: false }] },
    });
    const def = makeAction({
      kind: 'security_group', action: 'adopt', address: 'tenant[trim].security_group[default]', sourceId: 'src-sg-def',
      after: {
        name: 'default', description: '', project_id: ref(project),
        remove_automatic_rules: [{ direction: 'ingress', ethertype: 'IPv4', from_itself: true }, { direction: 'ingress', ethertype: 'IPv6', from_itself: true }],
      },
    });
    const [w] = await h.run(securityGroupKind, web);
    const [dg] = await h.run(securityGroupKind, def);
    const rules = async (id: string) => (await dst.network!.securityGroups.get(id)).rules.map((r) => key(r, id)).sort();
    assert.deepEqual(await rules(w!.destinationId!), ['egress IPv4 any']);
    assert.deepEqual(await rules(dg!.destinationId!), ['egress IPv4 any', 'egress IPv6 any']);
    // Run again (a resumed apply): found by its marker, nothing more to remove, no error.
    const [again] = await h.run(securityGroupKind, web);
    assert.equal(again!.destinationId, w!.destinationId);
    assert.deepEqual(await rules(w!.destinationId!), ['egress IPv4 any']);
  });
});
