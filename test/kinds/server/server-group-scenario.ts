// The server_group kind's behaviour, run against the simulator (server-group-sim.test.ts) and
// the real Zed testbed (test/real/kinds-data-server.test.ts): the same assertions on both.
import assert from 'node:assert/strict';
import { serverGroupKind } from '../../../src/kinds/server/index.js';
import type { Cloud } from '../../../src/openstack/index.js';
import { makeAction, type StepHarness } from '../support/step-harness.js';

/** A destination project the admin holds the `admin` role in (what admin_membership grants), for tenant-scoped writes. */
export async function scopedProject(cloud: Cloud, name: string): Promise<string> {
  const p = await cloud.identity.projects.create({ name, description: 'pumphouse server group test' });
  const admin = (await cloud.identity.roles.findByName('admin'))!;
  await cloud.identity.roleAssignments.grant({ userId: cloud.session.userId!, projectId: p.id, roleId: admin.id });
  return p.id;
}

/**
 * Makes an anti-affinity group in `projectId` twice as two fresh applies would (the second
 * finds the first's group by name and policy in the project), adopts it, and after it is
 * deleted checks that adopt asks to plan again. Leaves nothing behind.
 */
export async function serverGroupScenario(dst: Cloud, h: StepHarness, projectId: string, name: string): Promise<void> {
  const after = { name, policy: 'anti-affinity', project_id: projectId };
  const address = `tenant[a].server_group[${name}]`;
  const create = makeAction({ kind: 'server_group', action: 'create', address, sourceId: 'src-grp', after });
  const first = (await h.run(serverGroupKind, create)).at(-1)!.destinationId!;
  h.forget(create);
  const second = (await h.run(serverGroupKind, create)).at(-1)!.destinationId!;
  assert.equal(second, first, 'a second run finds the group instead of making another');
  try {
    const scoped = await h.clouds.scoped('destination', projectId);
    assert.deepEqual(
      (await scoped.compute.serverGroups.list()).filter((g) => g.name === name).map((g) => [g.id, g.policies]),
      [[first, ['anti-affinity']]],
      "one group, in the tenant's project",
    );
    const adopt = makeAction({ kind: 'server_group', action: 'adopt', address, sourceId: 'src-grp', after, destinationId: first });
    assert.equal((await h.run(serverGroupKind, adopt)).at(-1)!.destinationId, first);
  } finally {
    await dst.compute.serverGroups.delete(first);
  }
  const adopt = makeAction({ kind: 'server_group', action: 'adopt', address, sourceId: 'src-grp', after, destinationId: first });
  await assert.rejects(h.run(serverGroupKind, adopt), (err: Error & { code?: string }) => err.code === 'PH_PRECONDITION_FAILED' && /no longer in the destination/.test(err.message));
}
