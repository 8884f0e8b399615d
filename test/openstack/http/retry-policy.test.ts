import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RETRY_POLICY, backoffDelay, parseRetryAfter } from '../../../src/openstack/http/retry-policy.js';

test('Retry-After in seconds and as an HTTP date', () => {
  assert.equal(parseRetryAfter('3'), 3000);
  assert.equal(parseRetryAfter('0'), 0);
  const now = Date.parse('2024-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('Mon, 01 Jan 2024 00:00:10 GMT', now), 10_000);
  assert.equal(parseRetryAfter('Sun, 31 Dec 2023 23:00:00 GMT', now), 0, 'a date in the past means now');
  assert.equal(parseRetryAfter('soon'), undefined);
  assert.equal(parseRetryAfter(undefined), undefined);
});

test('backoff doubles, is capped, and jitters within the upper half', () => {
  const p = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
  assert.equal(backoffDelay(p, 1, () => 0), 50);
  assert.equal(backoffDelay(p, 1, () => 1), 100);
  assert.equal(backoffDelay(p, 3, () => 1), 400);
  assert.equal(backoffDelay(p, 10, () => 1), 1000);
  assert.equal(backoffDelay(p, 10, () => 0), 500);
});
