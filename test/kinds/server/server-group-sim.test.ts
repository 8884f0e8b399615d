/** The server_group kind on the simulator's modern Nova (the real Zed testbed runs the same scenario). */
import { after, before, describe, it } from 'node:test';
import { simDestination, type SimDestination } from '../support/sim-destination.js';
import { cloudAccess, StepHarness } from '../support/step-harness.js';
import { scopedProject, serverGroupScenario } from './server-group-scenario.js';

describe('server_group on a modern simulated destination', () => {
  let d: SimDestination;
  before(async () => {
    d = await simDestination();
  });
  after(() => d?.close());

  it("makes the group once in the tenant's project, adopts it, and asks to plan again when it is gone", async () => {
    const projectId = await scopedProject(d.cloud, 'group-tenant');
    await serverGroupScenario(d.cloud, new StepHarness(cloudAccess(undefined, d.cloud)), projectId, 'ha');
  });
});
