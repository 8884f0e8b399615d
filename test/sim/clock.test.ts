import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SimClock } from '../../src/sim/index.js';

describe('SimClock', () => {
  test('settle waits for transitions, including ones scheduled by transitions (fake timers: no real waiting)', async (t) => {
    // Mocked setTimeout and Date: the clock's timers fire only when the test moves time, so the
    // order and the moment settle() resolves do not depend on the machine's load.
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
    const clock = new SimClock(0.001);
    const log: string[] = [];
    clock.after(2000, () => {
      log.push('build');
      clock.after(1000, () => log.push('active'));
    });
    clock.after(500, () => log.push('quick'));
    assert.equal(clock.size, 2);
    let settled = false;
    const done = clock.settle().then(() => {
      settled = true;
    });
    const microtasks = () => new Promise<void>((resolve) => setImmediate(resolve));

    t.mock.timers.tick(1); // 1 ms real = 1000 simulated ms: only `quick` (500) is due
    await microtasks();
    assert.deepEqual(log, ['quick']);
    assert.equal(settled, false);

    t.mock.timers.tick(1); // 2000: `build` runs and schedules `active` 1000 simulated ms later
    await microtasks();
    assert.deepEqual(log, ['quick', 'build']);
    assert.equal(clock.size, 1);
    assert.equal(settled, false, 'settle still waits for the transition a transition scheduled');

    t.mock.timers.tick(1); // 3000: `active`
    await done;
    assert.deepEqual(log, ['quick', 'build', 'active']);
    assert.equal(clock.size, 0);
  });

  test('flush runs everything now in due order; cancel drops one; close drops all', () => {
    const clock = new SimClock(1);
    const log: number[] = [];
    clock.after(3_600_000, () => log.push(3));
    const cancel = clock.after(1_000, () => log.push(99));
    clock.after(60_000, () => log.push(2));
    clock.after(10, () => log.push(1));
    cancel();
    clock.flush();
    assert.deepEqual(log, [1, 2, 3]);
    clock.after(10, () => log.push(4));
    clock.close();
    clock.after(10, () => log.push(5));
    assert.equal(clock.size, 0);
    assert.deepEqual(log, [1, 2, 3]);
  });

  test('a throwing transition is reported and does not stop the others', async () => {
    const clock = new SimClock(0);
    const errors: unknown[] = [];
    clock.onError = (e) => errors.push(e);
    let ran = false;
    clock.after(1, () => {
      throw new Error('boom');
    });
    clock.after(2, () => {
      ran = true;
    });
    await clock.settle();
    assert.equal(ran, true);
    assert.equal(errors.length, 1);
  });
});
