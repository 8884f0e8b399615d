import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNotFound } from '../../../../src/openstack/index.js';
import { expectHttpError } from '../../../contract/suite/expect-error.js';
import { bootActive, novaCloud, PROFILES } from './helpers.js';

for (const label of PROFILES) {
  describe(`compute servers: ${label}`, () => {
    it('boots to ACTIVE on a host with an address, stops (409 when stopped), starts, deletes (404)', async () => {
      const t = await novaCloud(label);
      try {
        const { id } = await t.nova.servers.create({ name: 'vm-1', flavorId: '1', imageId: t.image.id, metadata: { a: 'b' }, ...(t.networks ? { networks: t.networks } : {}) });
        const building = await t.nova.servers.get(id);
        assert.equal(building.status, 'BUILD');
        t.cloud.flush();
        const s = await t.nova.servers.get(id);
        assert.equal(s.status, 'ACTIVE');
        assert.equal(s.taskState, null);
        assert.equal(s.powerState, 1);
        assert.ok(s.host?.startsWith('sim-compute-'));
        assert.deepEqual(s.metadata, { a: 'b' });
        assert.deepEqual(s.securityGroups, ['default']);
        const addrs = Object.values(s.addresses).flat();
        assert.equal(addrs.length, 1, JSON.stringify(s.addresses));
        assert.equal(addrs[0]?.type, 'fixed');
        assert.match(addrs[0]?.mac ?? '', /^fa:16:3e:/);
        await t.nova.servers.stop(id);
        assert.equal((await t.nova.servers.get(id)).taskState, 'powering-off');
        t.cloud.flush();
        assert.equal((await t.nova.servers.get(id)).status, 'SHUTOFF');
        await expectHttpError(t.nova.servers.stop(id), { status: 409, service: 'compute', cloud: label, method: 'POST', faultType: 'conflictingRequest' });
        await t.nova.servers.start(id);
        t.cloud.flush();
        assert.equal((await t.nova.servers.get(id)).status, 'ACTIVE');
        await t.nova.servers.delete(id);
        t.cloud.flush();
        await expectHttpError(t.nova.servers.get(id), { status: 404, service: 'compute', cloud: label, pathIncludes: id, faultType: 'itemNotFound' });
        assert.deepEqual(t.cloud.handlerErrors, []);
      } finally {
        await t.close();
      }
    });
  });
}

describe('compute power actions', () => {
  it('suspend/resume, pause/unpause, reboot and admin resetState go through their task states', async () => {
    const label = 'icehouse:neutron';
    const t = await novaCloud(label);
    try {
      const { id } = await t.nova.servers.create({ name: 'vm', flavorId: '1', imageId: t.image.id, networks: t.networks });
      t.cloud.flush();
      const step = async (act: () => Promise<void>, task: string, status: string, power: number) => {
        await act();
        assert.equal((await t.nova.servers.get(id)).taskState, task);
        t.cloud.flush();
        const s = await t.nova.servers.get(id);
        assert.deepEqual([s.status, s.taskState, s.powerState], [status, null, power]);
      };
      await step(() => t.nova.servers.suspend(id), 'suspending', 'SUSPENDED', 7);
      await expectHttpError(t.nova.servers.pause(id), { status: 409, service: 'compute', cloud: label, faultType: 'conflictingRequest' });
      await step(() => t.nova.servers.resume(id), 'resuming', 'ACTIVE', 1);
      await step(() => t.nova.servers.pause(id), 'pausing', 'PAUSED', 3);
      await step(() => t.nova.servers.unpause(id), 'unpausing', 'ACTIVE', 1);
      await t.nova.api.post(`/servers/${id}/action`, { reboot: { type: 'HARD' } });
      assert.equal((await t.nova.servers.get(id)).status, 'HARD_REBOOT');
      t.cloud.flush();
      await t.nova.servers.resetState(id, 'error');
      assert.equal((await t.nova.servers.get(id)).status, 'ERROR');
      await t.nova.servers.resetState(id, 'active');
      assert.equal((await t.nova.servers.get(id)).status, 'ACTIVE');
    } finally {
      await t.close();
    }
  });
});
