import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectHttpError } from '../../../contract/suite/expect-error.js';
import { call } from '../../helpers.js';
import { bootActive, novaCloud } from './helpers.js';

const other = (host: string | null) => (host === 'sim-compute-1' ? 'sim-compute-2' : 'sim-compute-1');

describe('compute live migration', () => {
  it('modern: MIGRATING, then ACTIVE on the target with a completed live-migration record and the port bound there', async () => {
    const t = await novaCloud('modern:neutron');
    try {
      const id = await bootActive(t, t.nova, 'vm');
      const from = (await t.nova.servers.get(id)).host;
      const to = other(from);
      await t.nova.servers.liveMigrate(id, { host: to });
      const moving = await t.nova.servers.get(id);
      assert.equal(moving.status, 'MIGRATING');
      assert.equal(moving.taskState, 'migrating');
      assert.equal(moving.host, from);
      t.cloud.flush();
      const moved = await t.nova.servers.get(id);
      assert.deepEqual([moved.status, moved.taskState, moved.host], ['ACTIVE', null, to]);
      const [m] = await t.nova.migrations({ serverId: id });
      assert.deepEqual([m?.type, m?.status, m?.sourceCompute, m?.destCompute], ['live-migration', 'completed', from, to]);
      assert.ok(t.cloud.store.ports.filter((p) => p.deviceId === id).every((p) => p.bindingHostId === to));
      assert.ok((await t.nova.hypervisors.servers(to)).some((h) => h.servers.some((s) => s.id === id)));
    } finally {
      await t.close();
    }
  });

  it('modern: a disabled target is accepted (202) and rolled back: ACTIVE on the old host, migration error; the scheduler picks a host for host=null', async () => {
    const t = await novaCloud('modern:neutron');
    try {
      const id = await bootActive(t, t.nova, 'vm');
      const from = (await t.nova.servers.get(id)).host;
      const to = other(from);
      await t.nova.services.disable({ host: to, binary: 'nova-compute' }, 'maintenance');
      await t.nova.servers.liveMigrate(id, { host: to });
      assert.equal((await t.nova.servers.get(id)).taskState, 'migrating');
      t.cloud.flush();
      const back = await t.nova.servers.get(id);
      assert.deepEqual([back.status, back.taskState, back.host], ['ACTIVE', null, from]);
      assert.equal((await t.nova.migrations({ serverId: id }))[0]?.status, 'error');
      assert.match(t.cloud.store.servers.get(id)?.fault?.message ?? '', /disabled/);
      await t.nova.services.enable({ host: to, binary: 'nova-compute' });
      await t.nova.servers.liveMigrate(id, { host: null });
      t.cloud.flush();
      assert.equal((await t.nova.servers.get(id)).host, to);
    } finally {
      await t.close();
    }
  });

  it('a target that goes down during the migration rolls it back', async () => {
    const t = await novaCloud('modern:neutron');
    try {
      const id = await bootActive(t, t.nova, 'vm');
      const from = (await t.nova.servers.get(id)).host;
      await t.nova.servers.liveMigrate(id, { host: other(from) });
      t.cloud.markHostDown(other(from));
      t.cloud.flush();
      const s = await t.nova.servers.get(id);
      assert.deepEqual([s.status, s.host], ['ACTIVE', from]);
    } finally {
      await t.close();
    }
  });

  it('legacy (Juno): pre-checks answer 400 at once (target down, no room, current host); missing keys 400; 409 when not ACTIVE; os-migrations omits live migrations', async () => {
    const label = 'juno:nova-network:vlan';
    const t = await novaCloud(label);
    try {
      const id = await bootActive(t, t.nova, 'vm');
      const from = (await t.nova.servers.get(id)).host;
      const to = other(from);
      t.cloud.markHostDown(to);
      const down = await expectHttpError(t.nova.servers.liveMigrate(id, { host: to }), { status: 400, service: 'compute', cloud: label, faultType: 'badRequest' });
      assert.equal(down.cloudMessage, `Compute service of ${to} is unavailable at this time.`);
      t.cloud.markHostDown(to, false);
      const self = await expectHttpError(t.nova.servers.liveMigrate(id, { host: from }), { status: 400, service: 'compute', cloud: label });
      assert.match(self.cloudMessage, /to current host/);
      t.cloud.store.hypervisors.find((h) => h.host === to)!.memoryMb = 256;
      const full = await expectHttpError(t.nova.servers.liveMigrate(id, { host: to }), { status: 400, service: 'compute', cloud: label });
      assert.match(full.cloudMessage, /^Migration pre-check error: .*Lack of memory/);
      t.cloud.store.hypervisors.find((h) => h.host === to)!.memoryMb = 262144;
      const missing = await call('POST', `${t.computeUrl}/servers/${id}/action`, { token: t.token, body: { 'os-migrateLive': { host: to, block_migration: false } } });
      assert.equal(missing.status, 400);
      assert.equal(t.cloud.store.servers.get(id)?.taskState, null);
      await t.nova.servers.liveMigrate(id, { host: to });
      await expectHttpError(t.nova.servers.liveMigrate(id, { host: from }), { status: 409, service: 'compute', cloud: label, faultType: 'conflictingRequest' });
      t.cloud.flush();
      assert.equal((await t.nova.servers.get(id)).host, to);
      assert.deepEqual(await t.nova.migrations(), []);
    } finally {
      await t.close();
    }
  });
});

describe('compute evacuation', () => {
  it('refuses while the source nova-compute is up; once it is down, rebuilds on the target (stopped stays stopped)', async () => {
    const label = 'icehouse:nova-network:flatdhcp';
    const t = await novaCloud(label);
    try {
      const id = await bootActive(t, t.nova, 'vm');
      const stopped = await bootActive(t, t.nova, 'vm-stopped', { availabilityZone: 'nova' });
      const from = (await t.nova.servers.get(id)).host!;
      t.cloud.store.servers.get(stopped)!.host = from;
      await t.nova.servers.stop(stopped);
      t.cloud.flush();
      const up = await expectHttpError(t.nova.servers.evacuate(id, { host: other(from) }), { status: 400, service: 'compute', cloud: label });
      assert.equal(up.cloudMessage, `Compute service of ${from} is still in use.`);
      t.cloud.markHostDown(from);
      const noHost = await expectHttpError(t.nova.servers.evacuate(id, {}), { status: 400, service: 'compute', cloud: label });
      assert.match(noHost.cloudMessage, /host/, 'Icehouse needs a host');
      const pass = await t.nova.servers.evacuate(id, { host: other(from) });
      assert.ok(pass && pass.length > 0, 'adminPass when not on shared storage');
      assert.equal((await t.nova.servers.get(id)).status, 'REBUILD');
      await t.nova.servers.evacuate(stopped, { host: other(from), onSharedStorage: true });
      t.cloud.flush();
      const s = await t.nova.servers.get(id);
      assert.deepEqual([s.status, s.host, s.taskState], ['ACTIVE', other(from), null]);
      assert.equal(t.cloud.store.fixedIps.find((f) => f.instanceUuid === id)?.host, other(from));
      assert.equal((await t.nova.servers.get(stopped)).status, 'SHUTOFF');
    } finally {
      await t.close();
    }
  });

  it('Juno+ lets the scheduler choose; modern (2.14) answers no adminPass; a forced-down source counts as down', async () => {
    for (const label of ['juno:neutron', 'modern:neutron']) {
      const t = await novaCloud(label);
      try {
        const id = await bootActive(t, t.nova, 'vm');
        const from = (await t.nova.servers.get(id)).host!;
        if (t.nova.supports('2.11')) await t.nova.services.setForcedDown({ host: from, binary: 'nova-compute' }, true);
        else t.cloud.markHostDown(from);
        const pass = await t.nova.servers.evacuate(id);
        assert.equal(pass === null, label.startsWith('modern'));
        t.cloud.flush();
        assert.equal((await t.nova.servers.get(id)).host, other(from));
      } finally {
        await t.close();
      }
    }
  });
});
