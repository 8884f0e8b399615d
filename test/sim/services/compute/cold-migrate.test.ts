// The simulated Nova's cold migration (`migrate`) and `confirmResize`, through the compute client.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCloudHttpError } from '../../../../src/openstack/index.js';
import { bootActive, novaCloud } from './helpers.js';

/** The HTTP status a call failed with (0: it did not fail), and the cloud's message. */
async function refused(call: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await call;
    return { status: 0, message: '' };
  } catch (err) {
    if (isCloudHttpError(err)) return { status: err.status, message: err.cloudMessage };
    throw err;
  }
}

describe('compute cold migration', () => {
  for (const label of ['juno:nova-network:flatdhcp', 'modern:neutron']) {
    it(`${label}: a SHUTOFF server goes RESIZE, VERIFY_RESIZE on the other host, then SHUTOFF there after confirmResize`, async () => {
      const t = await novaCloud(label);
      try {
        const id = await bootActive(t, t.nova, 'vm');
        const from = (await t.nova.servers.get(id)).host;
        await t.nova.servers.stop(id);
        t.cloud.flush();
        assert.equal((await t.nova.servers.get(id)).status, 'SHUTOFF');
        assert.equal((await refused(t.nova.servers.confirmResize(id))).status, 409, 'nothing to confirm');
        await t.nova.servers.coldMigrate(id);
        const moving = await t.nova.servers.get(id);
        assert.deepEqual([moving.status, moving.taskState, moving.host], ['RESIZE', 'resize_prep', from]);
        assert.equal((await refused(t.nova.servers.coldMigrate(id))).status, 409, 'already moving');
        t.cloud.flush();
        const moved = await t.nova.servers.get(id);
        assert.equal(moved.status, 'VERIFY_RESIZE');
        assert.notEqual(moved.host, from);
        // Cold migrations are listed on every release (type only from 2.23).
        const [m] = await t.nova.migrations({ serverId: id });
        assert.deepEqual([m?.status, m?.sourceCompute, m?.destCompute], ['finished', from, moved.host]);
        if (label.startsWith('modern')) assert.equal(m?.type, 'migration');
        await t.nova.servers.confirmResize(id);
        const done = await t.nova.servers.get(id);
        assert.deepEqual([done.status, done.taskState, done.host], ['SHUTOFF', null, moved.host]);
        assert.equal((await t.nova.migrations({ serverId: id }))[0]?.status, 'confirmed');
      } finally {
        await t.close();
      }
    });
  }

  it('juno: no valid host is a 400 at once; modern: accepted, then rolled back with a fault', async () => {
    for (const label of ['juno:nova-network:flatdhcp', 'modern:neutron']) {
      const t = await novaCloud(label);
      try {
        const id = await bootActive(t, t.nova, 'vm');
        const from = (await t.nova.servers.get(id)).host;
        for (const h of t.cloud.store.hypervisors.values()) if (h.host !== from) h.memoryMb = 600;
        if (label.startsWith('juno')) {
          const r = await refused(t.nova.servers.coldMigrate(id));
          assert.equal(r.status, 400);
          assert.match(r.message, /No valid host/);
        } else {
          await t.nova.servers.coldMigrate(id);
          t.cloud.flush();
          const back = await t.nova.servers.get(id);
          assert.deepEqual([back.status, back.taskState, back.host], ['ACTIVE', null, from]);
          assert.equal((await t.nova.migrations({ serverId: id }))[0]?.status, 'error');
        }
      } finally {
        await t.close();
      }
    }
  });
});
