import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor, waitGone } from './wait.js';

test('answers the first value that is done', async () => {
  const seen = ['BUILD', 'BUILD', 'ACTIVE'];
  const got = await waitFor(async () => seen.shift() ?? 'none', (s) => s === 'ACTIVE', { timeoutMs: 5_000, what: 'server', intervalMs: 1 });
  assert.equal(got, 'ACTIVE');
});

test('stops at once on a dead end, naming what it saw', async () => {
  await assert.rejects(
    waitFor(async () => 'ERROR', (s) => s === 'ACTIVE', { timeoutMs: 5_000, what: 'server x to ACTIVE', fail: (s) => s === 'ERROR', describe: (s) => s }),
    /server x to ACTIVE: reached ERROR, which it cannot leave/,
  );
});

test('gives up when the time is up, naming the last value', async () => {
  await assert.rejects(waitFor(async () => 'BUILD', () => false, { timeoutMs: 5, what: 'server y', intervalMs: 2, describe: (s) => s }), /server y: still BUILD after 5 ms/);
});

test('waitGone ends on the not-found error and rethrows any other', async () => {
  let calls = 0;
  const gone = new Error('404');
  await waitGone(async () => { if (++calls > 2) throw gone; }, (e) => e === gone, { timeoutMs: 5_000, what: 'x', intervalMs: 1 });
  assert.equal(calls, 3);
  await assert.rejects(waitGone(async () => { throw new Error('500'); }, (e) => e === gone, { timeoutMs: 5_000, what: 'x' }), /500/);
});
