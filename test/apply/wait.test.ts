import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryReporter } from '../../src/events/index.js';
import { PumphouseError } from '../../src/errors/index.js';
import { FuelTransportError } from '../../src/fuel/index.js';
import type { WaitPoll } from '../../src/kinds/contract.js';
import { CloudHttpError, CloudTransportError } from '../../src/openstack/index.js';
import { WAIT_UNREACHABLE_S, waitFor, type WaitClock } from '../../src/apply/wait.js';

/** A clock that moves only when the wait sleeps. */
function fakeClock(): WaitClock & { t: number; sleeps: number[] } {
  const c = {
    t: 0,
    sleeps: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.sleeps.push(ms);
      c.t += ms;
    },
  };
  return c;
}

const http = (status: number) =>
  new CloudHttpError({ status, ambiguous: false, cloud: 'destination', service: 'compute', method: 'GET', path: '/servers/s1', requestId: undefined, cloudMessage: 'down', faultType: undefined });
const unreachable = () => new CloudTransportError('PH_CLOUD_UNREACHABLE', 'connect ECONNREFUSED', { cloud: 'destination', service: 'compute', method: 'GET', path: '/servers/s1', requestId: undefined, ambiguous: false });
const fuelDown = () => new FuelTransportError('PH_CLOUD_TIMEOUT', 'timed out', { master: '10.20.0.2', service: 'nailgun', method: 'GET', path: '/api/tasks/7', ambiguous: false });

/** A poll answering `script` in order: an Error is thrown, a string is a status, `done` ends. */
function scripted(script: readonly (Error | string)[]): () => Promise<WaitPoll<string>> {
  let i = 0;
  return async () => {
    const s = script[Math.min(i++, script.length - 1)]!;
    if (s instanceof Error) throw s;
    return s === 'done' ? { done: true, value: 'ok' } : { done: false, status: s };
  };
}

const options = { timeoutS: 3600, intervalMs: 1000, maxIntervalMs: 10_000 };
const wait = (script: readonly (Error | string)[], clock: WaitClock, reporter = new MemoryReporter(), extra: object = {}) =>
  waitFor('fuel_node.node-4', 'the deployment', scripted(script), { ...options, ...extra }, reporter, new AbortController().signal, clock);

describe('waitFor: transient poll failures', () => {
  it('an outage shorter than the bound (5xx, refused, Fuel timeout) is waited out; one warn event per outage', async () => {
    const clock = fakeClock();
    const reporter = new MemoryReporter();
    const value = await wait(['deploying', http(503), unreachable(), fuelDown(), http(502), 'deploying', http(500), 'done'], clock, reporter);
    assert.equal(value, 'ok');
    const events = reporter.ofType('wait');
    assert.deepEqual(
      events.map((e) => [e['@level'], e.status]),
      [
        ['info', 'deploying'],
        ['warn', 'unreachable'],
        ['info', 'deploying'],
        ['warn', 'unreachable'],
      ],
    );
    assert.match(events[1]!['@message'], /polling failed .*HTTP 503.*polling on for up to 120 s/);
    // The backoff goes on through the failures, as between statuses.
    assert.deepEqual(clock.sleeps, [1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });

  it('polls failing for longer than the bound end the wait with the last error, its code, how long and how many', async () => {
    const clock = fakeClock();
    const err = await wait(['deploying', unreachable(), http(503)], clock).then(
      () => assert.fail('the wait ended'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof PumphouseError);
    assert.equal(err.code, 'PH_CLOUD_HTTP');
    assert.equal(err.address, 'fuel_node.node-4');
    assert.match(err.message, /^fuel_node\.node-4: waiting for the deployment: the polls failed for 1[2-3]\d s \(\d+ in a row\), giving up; last error: destination compute GET \/servers\/s1 failed with HTTP 503/);
    assert.ok(err.details!['unreachable_s']! as number >= WAIT_UNREACHABLE_S);
    assert.ok(clock.t - 1000 <= (WAIT_UNREACHABLE_S + 10) * 1000, 'gave up within one poll interval after the bound');
    assert.ok(err.cause instanceof CloudHttpError);
  });

  it('the bound is an option (unreachableS), and the wait timeout still applies during an outage', async () => {
    const short = fakeClock();
    await assert.rejects(wait([http(503)], short, undefined, { unreachableS: 5 }), /polls failed for [5-9] s/);
    assert.ok(short.t <= 8000);
    const timed = fakeClock();
    await assert.rejects(wait(['building', http(503)], timed, undefined, { timeoutS: 30 }), /the wait's 30 s ran out; last error/);
    assert.equal(timed.t, 30_000);
  });

  it('answers that are not transient end the wait at once: 404, 400, 403, 401, a failed task', async () => {
    for (const e of [http(404), http(400), http(403), http(401), new PumphouseError('PH_FUEL_TASK_FAILED', 'deployment failed')]) {
      const clock = fakeClock();
      await assert.rejects(wait(['deploying', e], clock), (got: unknown) => got === e);
      assert.deepEqual(clock.sleeps, [1000], `${e.message}: one sleep, between the two polls`);
    }
  });
});
