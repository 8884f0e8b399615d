import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FuelHttpError } from '../../../src/fuel/index.js';
import { CloudHttpError } from '../../../src/openstack/index.js';
import { sendSettled, setDefaultSettleDelays, SETTLE_DELAYS_MS } from '../../../src/kinds/common/settle.js';

const nova = (status: number, ambiguous: boolean) =>
  new CloudHttpError({ status, ambiguous, cloud: 'source', service: 'compute', method: 'POST', path: '/servers/s1/action', requestId: undefined, cloudMessage: 'boom', faultType: undefined });

describe('sendSettled (actions)', () => {
  it('a server action lost and never seen is sent again after the lookups; a 409 then adopts what the late first one did', async () => {
    // The stop is lost; the server shows nothing during the settle; the second stop gets
    // 409 "in task_state powering-off" because the first arrived late: adopted by lookup.
    const log: string[] = [];
    let task: string | null = null;
    const waits: number[] = [];
    const r = await sendSettled(
      async () => {
        log.push('stop');
        if (log.filter((x) => x === 'stop').length === 1) throw nova(500, true);
        task = 'powering-off';
        throw nova(409, false);
      },
      async () => {
        log.push('get');
        return task === 'powering-off' ? true : undefined;
      },
      { sleep: async (ms) => void waits.push(ms) },
    );
    assert.deepEqual(r, { value: true, sent: false });
    assert.deepEqual(log, ['stop', 'get', 'get', 'get', 'stop', 'get']);
    assert.deepEqual(waits, [...SETTLE_DELAYS_MS]);
  });

  it('a Nailgun request that may have acted (FuelHttpError ambiguous) is looked up before sending again', async () => {
    const log: string[] = [];
    const r = await sendSettled(
      async () => {
        log.push('deploy');
        if (log.length === 1) throw new FuelHttpError({ master: '10.20.0.2', service: 'nailgun', method: 'PUT', path: '/api/clusters/1/changes', ambiguous: true, status: 500, fuelMessage: 'boom' });
        return 'task-2';
      },
      async () => {
        log.push('tasks');
        return undefined;
      },
      { sleep: async () => undefined },
    );
    assert.deepEqual(r, { value: 'task-2', sent: true });
    assert.deepEqual(log, ['deploy', 'tasks', 'tasks', 'tasks', 'deploy']);
  });

  it('setDefaultSettleDelays changes the delays of calls that give none, and its result puts them back', async () => {
    const waits: number[] = [];
    // Each call: the first send is lost, the second answers.
    const once = () => {
      let sends = 0;
      return sendSettled(
        async () => {
          if (sends++ === 0) throw nova(503, true);
          return 'ok';
        },
        async () => undefined,
        { sleep: async (ms) => void waits.push(ms), attempts: 2 },
      );
    };
    const restore = setDefaultSettleDelays([7]);
    try {
      await once();
    } finally {
      restore();
    }
    assert.deepEqual(waits, [7]);
    waits.length = 0;
    await once();
    assert.deepEqual(waits, [...SETTLE_DELAYS_MS]);
  });
});
