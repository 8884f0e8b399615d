import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PumphouseError } from '../../src/errors/index.js';
import { waitOffHost, type MoveWait } from '../../src/kinds/host/move-outcome.js';
import type { Evacuation } from '../../src/kinds/host/live-migrate.js';
import type { WaitPoll } from '../../src/kinds/contract.js';
import type { Cloud, Server } from '../../src/openstack/index.js';

/** One poll of the shared wait, with the server as given (the cloud answers nothing else). */
async function poll(now: Partial<Server>, how: MoveWait): Promise<WaitPoll<string | null> | PumphouseError> {
  const initial = { id: 's1', name: 'web', status: 'ACTIVE', taskState: null, host: 'node-1', fault: null, imageId: 'i' } as Server;
  const cloud = {
    compute: {
      servers: { get: async () => ({ ...initial, ...now }) },
      // roomElsewhere is asked after a rollback: unknown, so it is not a capacity problem.
      services: { list: async () => Promise.reject(new Error('not here')) },
    },
  } as unknown as Cloud;
  let seen: WaitPoll<string | null> | undefined;
  const e = {
    address: 'host[node-1].evacuation',
    host: 'node-1',
    settings: { pollIntervalMs: 1, maxPollIntervalMs: 1 },
    timeouts: { liveMigrationS: 1 },
    ctx: {
      wait: async (_what: string, p: () => Promise<WaitPoll<string | null>>) => {
        seen = await p();
        return null;
      },
    },
  } as unknown as Evacuation;
  try {
    await waitOffHost(e, cloud, initial, how);
    return seen!;
  } catch (err) {
    assert.ok(err instanceof PumphouseError, String(err));
    return err;
  }
}

const live: MoveWait = { move: 'live migration', rolledBackAs: 'movable', during: 'while live-migrating', unconfirmed: async (_s, host) => ({ done: true, value: `s1:${host}` }) };
const cold: MoveWait = { move: 'cold migration', rolledBackAs: 'stopped', during: 'during its cold migration', unconfirmed: async () => ({ done: false, status: 'confirmed' }) };

describe('waitOffHost: what live and cold migration share, and where they differ', () => {
  it('answers the new host, null when deleted, and waits while a task runs, for both moves', async () => {
    for (const how of [live, cold]) {
      assert.deepEqual(await poll({ host: 'node-2' }, how), { done: true, value: 's1:node-2' });
      assert.deepEqual(await poll({ status: 'DELETED' }, how), { done: true, value: null });
      assert.deepEqual(await poll({ status: 'MIGRATING', taskState: 'migrating' }, how), { done: false, status: 'MIGRATING (migrating) on node-1' });
      assert.deepEqual(await poll({ taskState: 'resize_migrating' }, how), { done: false, status: 'ACTIVE (resize_migrating) on node-1' });
    }
  });

  it('hands VERIFY_RESIZE on another host to the move', async () => {
    assert.deepEqual(await poll({ status: 'VERIFY_RESIZE', host: 'node-2' }, live), { done: true, value: 's1:node-2' });
    assert.deepEqual(await poll({ status: 'VERIFY_RESIZE', host: 'node-2' }, cold), { done: false, status: 'confirmed' });
  });

  it('reads back on the host as a rollback for the move that left it so, and as the operator meddling for the other', async () => {
    const liveBack = (await poll({ status: 'ACTIVE' }, live)) as PumphouseError;
    assert.equal(liveBack.code, 'PH_CLOUD_OBJECT_FAILED');
    assert.match(liveBack.message, /rolled back the live migration/);
    const coldBack = (await poll({ status: 'SHUTOFF' }, cold)) as PumphouseError;
    assert.match(coldBack.message, /rolled back the cold migration/);
    const stopped = (await poll({ status: 'SHUTOFF' }, live)) as PumphouseError;
    assert.equal(stopped.code, 'PH_PRECONDITION_FAILED');
    assert.match(stopped.message, /web \(s1\) on host node-1 was stopped while live-migrating/);
    const started = (await poll({ status: 'PAUSED' }, cold)) as PumphouseError;
    assert.match(started.message, /was started \(PAUSED\) during its cold migration/);
  });

  it('names ERROR and states neither move takes', async () => {
    const err = (await poll({ status: 'ERROR', fault: { message: 'disk full' } as Server['fault'] }, cold)) as PumphouseError;
    assert.match(err.message, /went into ERROR during its cold migration off host node-1: disk full/);
    const stuck = (await poll({ status: 'SUSPENDED' }, live)) as PumphouseError;
    assert.match(stuck.message, /became SUSPENDED while live-migrating/);
  });
});
