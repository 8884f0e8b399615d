import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PumphouseError } from '../../../src/errors/index.js';
import { CloudHttpError, CloudTransportError } from '../../../src/openstack/index.js';
import { createOnce } from '../../../src/kinds/common/create-once.js';

function httpError(status: number, ambiguous: boolean): CloudHttpError {
  return new CloudHttpError({ status, ambiguous, cloud: 'destination', service: 'network', method: 'POST', path: '/v2.0/networks', requestId: 'req-1', cloudMessage: 'boom', faultType: undefined });
}

/** A fake clock: records every wait, waits for nothing. */
function fakeClock() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

/**
 * A fake cloud: `find` reads `objects`; `create` runs the next scripted outcome ('ok' makes
 * an object and answers it; 'lost' makes nothing and answers 500; 'reset' makes nothing and
 * loses the connection; 'lost-made' makes one and answers 500; 'conflict' answers 409;
 * 'refused' 400). Every call is logged in order.
 */
function fakeCloud(script: readonly ('ok' | 'lost' | 'reset' | 'lost-made' | 'conflict' | 'refused')[]) {
  const objects: string[] = [];
  const log: string[] = [];
  let n = 0;
  return {
    objects,
    log,
    find: async () => {
      log.push('find');
      return objects[0];
    },
    create: async () => {
      log.push('create');
      const step = script[n++] ?? 'ok';
      if (step === 'ok') {
        objects.push(`obj${objects.length + 1}`);
        return objects.at(-1)!;
      }
      if (step === 'lost-made') objects.push(`obj${objects.length + 1}`);
      if (step === 'conflict') throw httpError(409, false);
      if (step === 'refused') throw httpError(400, false);
      if (step === 'reset') {
        throw new CloudTransportError('PH_CLOUD_UNREACHABLE', 'connection broken', { cloud: 'destination', service: 'network', method: 'POST', path: '/v2.0/networks', requestId: undefined, ambiguous: true });
      }
      throw httpError(500, true);
    },
  };
}

describe('createOnce', () => {
  it('adopts what the lookup finds and never creates', async () => {
    let creates = 0;
    const r = await createOnce(async () => 'found', async () => `made${++creates}`);
    assert.deepEqual(r, { value: 'found', created: false });
    assert.equal(creates, 0);
  });

  it('creates when nothing is found', async () => {
    assert.deepEqual(await createOnce(async () => undefined, async () => 'made'), { value: 'made', created: true });
  });

  it('ambiguous then found: adopts what the lost request made, without waiting or creating again', async () => {
    const cloud = fakeCloud(['lost-made']);
    const clock = fakeClock();
    const r = await createOnce(cloud.find, cloud.create, { sleep: clock.sleep });
    assert.deepEqual(r, { value: 'obj1', created: false });
    assert.deepEqual(cloud.log, ['find', 'create', 'find']);
    assert.deepEqual(clock.waits, []);
    assert.deepEqual(cloud.objects, ['obj1']);
  });

  it('ambiguous, then absent after every settle wait: creates again, after lookups only, and keeps one object', async () => {
    const cloud = fakeCloud(['reset', 'ok']);
    const clock = fakeClock();
    const r = await createOnce(cloud.find, cloud.create, { sleep: clock.sleep });
    assert.deepEqual(r, { value: 'obj1', created: true });
    assert.deepEqual(cloud.log, ['find', 'create', 'find', 'find', 'find', 'create']);
    assert.deepEqual(clock.waits, [1000, 2000], 'production settle: 1 s then 2 s');
    assert.deepEqual(cloud.objects, ['obj1']);
  });

  it('a cloud that acts during the settle time is adopted by the later lookup', async () => {
    const cloud = fakeCloud(['lost']);
    const clock = fakeClock();
    const find = async () => (clock.waits.length >= 1 && cloud.objects.length === 0 ? (cloud.objects.push('late1'), cloud.find()) : cloud.find());
    const r = await createOnce(find, cloud.create, { sleep: clock.sleep, delaysMs: [5, 10] });
    assert.deepEqual(r, { value: 'late1', created: false });
    assert.deepEqual(clock.waits, [5]);
    assert.equal(cloud.log.filter((x) => x === 'create').length, 1);
  });

  it('409 on a create sent again (unique names, the lost one acted late): adopts by lookup', async () => {
    // The first create is lost and acts only after the three lookups; the second gets 409.
    let acted = false;
    const log: string[] = [];
    let lookups = 0;
    const r = await createOnce(
      async () => {
        log.push('find');
        lookups++;
        return acted ? 'late' : undefined;
      },
      async () => {
        log.push('create');
        if (log.filter((x) => x === 'create').length === 1) throw httpError(503, true);
        acted = true;
        throw httpError(409, false);
      },
      { sleep: fakeClock().sleep },
    );
    assert.deepEqual(r, { value: 'late', created: false });
    assert.deepEqual(log, ['find', 'create', 'find', 'find', 'find', 'create', 'find']);
    assert.equal(lookups, 5);
  });

  it('409 on a create sent again that no lookup explains is thrown as is', async () => {
    const cloud = fakeCloud(['lost', 'conflict']);
    await assert.rejects(createOnce(cloud.find, cloud.create, { sleep: fakeClock().sleep }), (err: unknown) => err instanceof CloudHttpError && err.status === 409);
  });

  it('a 409 on the first create (nothing lost before) is no adoption: thrown at once', async () => {
    const cloud = fakeCloud(['conflict']);
    await assert.rejects(createOnce(cloud.find, cloud.create, { sleep: fakeClock().sleep }), (err: unknown) => err instanceof CloudHttpError && err.status === 409);
    assert.deepEqual(cloud.log, ['find', 'create']);
  });

  it('bound reached: every send lost and never found; the error says how often and keeps the cloud context', async () => {
    const cloud = fakeCloud(['lost', 'lost', 'lost', 'ok']);
    const clock = fakeClock();
    await assert.rejects(createOnce(cloud.find, cloud.create, { sleep: clock.sleep, delaysMs: [1, 2], attempts: 3, what: "the create of network 'web'" }), (err: unknown) => {
      assert.ok(PumphouseError.is(err));
      assert.equal(err.code, 'PH_CLOUD_HTTP');
      assert.match(err.message, /POST \/v2\.0\/networks failed with HTTP 500/);
      assert.match(err.message, /the create of network 'web' was sent 3 times, each failed ambiguously and was looked up 3 times over 0.003 s without finding its effect/);
      assert.equal(err.details?.['sent'], 3);
      assert.ok(err.cause instanceof CloudHttpError);
      return true;
    });
    assert.equal(cloud.log.filter((x) => x === 'create').length, 3);
    assert.deepEqual(clock.waits, [1, 2, 1, 2, 1, 2]);
    assert.deepEqual(cloud.objects, []);
    // Every create after the first came after a lookup.
    cloud.log.forEach((x, i) => i > 0 && x === 'create' && assert.equal(cloud.log[i - 1], 'find'));
  });

  it('the default bound is 5 sends', async () => {
    const cloud = fakeCloud(['lost', 'reset', 'lost', 'reset', 'lost', 'ok']);
    await assert.rejects(createOnce(cloud.find, cloud.create, { sleep: fakeClock().sleep }), (err: unknown) => PumphouseError.is(err) && err.details?.['sent'] === 5);
    assert.equal(cloud.log.filter((x) => x === 'create').length, 5);
    const four = fakeCloud(['lost', 'reset', 'lost', 'reset', 'ok']);
    assert.deepEqual(await createOnce(four.find, four.create, { sleep: fakeClock().sleep }), { value: 'obj1', created: true });
  });

  it('attempts: 1 restores fail-after-lookups (no second send)', async () => {
    const cloud = fakeCloud(['lost', 'ok']);
    await assert.rejects(createOnce(cloud.find, cloud.create, { sleep: fakeClock().sleep, attempts: 1 }), (err: unknown) => PumphouseError.is(err) && err.details?.['sent'] === 1);
    assert.deepEqual(cloud.objects, []);
  });

  it('rethrows a clear failure without a second lookup', async () => {
    const cloud = fakeCloud(['refused']);
    await assert.rejects(createOnce(cloud.find, cloud.create, { sleep: fakeClock().sleep }), (err: unknown) => err instanceof CloudHttpError && err.status === 400);
    assert.deepEqual(cloud.log, ['find', 'create']);
  });
});
