import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CloudHttpError } from '../../../src/openstack/index.js';
import { createOnce } from '../../../src/kinds/common/create-once.js';

function httpError(status: number, ambiguous: boolean): CloudHttpError {
  return new CloudHttpError({ status, ambiguous, cloud: 'destination', service: 'network', method: 'POST', path: '/v2.0/networks', requestId: undefined, cloudMessage: 'boom', faultType: undefined });
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

  it('looks up again after an ambiguous failure and adopts what the lost request made', async () => {
    const world: string[] = [];
    let lookups = 0;
    const r = await createOnce(
      async () => {
        lookups++;
        return world[0];
      },
      async () => {
        world.push('made-by-lost-request');
        throw httpError(503, true);
      },
    );
    assert.deepEqual(r, { value: 'made-by-lost-request', created: false });
    assert.equal(lookups, 2);
  });

  it('rethrows an ambiguous failure when the object is not there, without creating again', async () => {
    let creates = 0;
    await assert.rejects(
      createOnce(async () => undefined, async () => {
        creates++;
        throw httpError(502, true);
      }),
      (err: unknown) => err instanceof CloudHttpError && err.ambiguous,
    );
    assert.equal(creates, 1);
  });

  it('rethrows a clear failure without a second lookup', async () => {
    let lookups = 0;
    await assert.rejects(
      createOnce(async () => {
        lookups++;
        return undefined;
      }, async () => {
        throw httpError(400, false);
      }),
      (err: unknown) => err instanceof CloudHttpError && err.status === 400,
    );
    assert.equal(lookups, 1);
  });
});
