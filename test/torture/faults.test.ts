// Fault torture (issue #5): the whole-tenant migration of the crash torture, applied while
// both simulated clouds fail 5% of requests (500 on creates, 503 elsewhere), reset 3% of
// connections, answer bursts of 429 with Retry-After, and forget every token mid-apply. The
// FIRST apply must complete (an ambiguous create or action is looked up, and sent again only
// after lookups over a settle time found nothing: src/kinds/common/settle.ts); then nothing
// is duplicated or left behind, the destination equals that of a twin applied without
// faults, and the clouds' request logs show that no create was sent again after an ambiguous
// failure (5xx or reset) without a lookup of its kind first. Run for a Juno nova-network
// source and a Havana Neutron one.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { apply } from '../../src/app/index.js';
import { setDefaultSettleDelays } from '../../src/kinds/common/settle.js';
import { loadConfig } from '../../src/config/index.js';
import { MemoryReporter } from '../../src/events/index.js';
import type { FaultRules, SimLoggedRequest } from '../../src/sim/index.js';
import { blindRetries, isLogin, ambiguous } from './request-order.js';
import { duplicates, failedLogins, holdings, leftovers, normalized, sourceIds, stateTemporaries, unfinished } from './checks.js';
import { torturedKinds } from './kinds.js';
import { HAVANA_NEUTRON, JUNO_NOVA_NETWORK, tortureWorld, type TortureSource } from './world.js';

const SEED = Number(process.env['PUMPHOUSE_TORTURE_SEED'] ?? 2026);
const EXPIRE_AT = 60;

const spec = (status: 500 | 503) => ({ errorRate: 0.05, errorStatus: status, resetRate: 0.03, burst429: { every: 60, count: 3, retryAfterS: 1 } });
// Requests that change something: the same 5% 5xx and 3% resets, but part of them come after
// the handler acted (the answer lost, the object made or the action done): the ambiguous
// failure settle-and-resend must adopt rather than repeat. POSTs (creates, actions), the
// case that matters, get 5 of their 8 points after acting; PUT, PATCH and DELETE 3.5.
const changing = (status: 500 | 503, lostError: number, lostReset: number) => ({
  ...spec(status),
  errorRate: 0.05 - lostError,
  lostErrorRate: lostError,
  resetRate: 0.03 - lostReset,
  lostResetRate: lostReset,
});
const RULES: FaultRules = {
  '*': { POST: changing(500, 0.03, 0.02), GET: spec(503), PUT: changing(503, 0.02, 0.015), PATCH: changing(503, 0.02, 0.015), DELETE: changing(503, 0.02, 0.015), HEAD: spec(503) },
};

test('the request-order check finds a create sent again blind, and accepts one sent after a lookup', () => {
  const r = (method: string, path: string, status: number): SimLoggedRequest => ({ method, path, query: '', status });
  const ports = '/network/v2.0/ports';
  assert.deepEqual(blindRetries('d', [r('POST', ports, 500), r('POST', ports, 201)]), ['d: POST /network/v2.0/ports (after 500)']);
  assert.deepEqual(blindRetries('d', [r('POST', ports, 0), r('GET', '/network/v2.0/networks', 200), r('POST', ports, 201)]), ['d: POST /network/v2.0/ports (after a reset)']);
  assert.deepEqual(blindRetries('d', [r('POST', ports, 500), r('GET', ports, 200), r('POST', ports, 201)]), []);
  assert.deepEqual(blindRetries('d', [r('POST', ports, 429), r('POST', ports, 201), r('POST', ports, 409)]), [], '429: the cloud did not act');
  const servers = '/compute/v2/abc/servers';
  assert.deepEqual(blindRetries('s', [r('POST', servers, 503), r('GET', `${servers}/detail`, 200), r('POST', servers, 202)]), []);
  const action = '/compute/v2/abc/servers/6f1c2a4e-0d7b-4a57-9d51-5d1f3b0c9e21/action';
  assert.deepEqual(blindRetries('s', [r('POST', action, 500), r('POST', action, 202)]), [`s: POST ${action} (after 500)`]);
  assert.deepEqual(blindRetries('s', [r('POST', action, 500), r('GET', '/compute/v2/abc/servers/6f1c2a4e-0d7b-4a57-9d51-5d1f3b0c9e21', 200), r('POST', action, 202)]), []);
  const rules = '/network/v2.0/security-group-rules';
  assert.deepEqual(blindRetries('d', [r('POST', rules, 0), r('GET', '/network/v2.0/security-groups/6f1c2a4e-0d7b-4a57-9d51-5d1f3b0c9e21', 200), r('POST', rules, 201)]), [], 'rules are read in their group');
  assert.deepEqual(blindRetries('d', [r('POST', ports, 500), r('GET', '/network/v2.0/ports/6f1c2a4e-0d7b-4a57-9d51-5d1f3b0c9e21', 200), r('POST', ports, 201)]), ['d: POST /network/v2.0/ports (after 500)'], 'showing another port is no lookup');
  assert.deepEqual(blindRetries('s', [r('POST', '/identity/v3/auth/tokens', 500), r('POST', '/identity/v3/auth/tokens', 201)]), [], 'logins');
});

// The simulator acts at once or not at all (a lost answer's effect is there before the
// client sees the failure), so the first lookup finds it or nothing will: 20 ms + 40 ms keeps
// the rule (lookups, waits, resend) without 3 s per ambiguous failure. Set once for the file:
// the variants run at once.
let restoreSettle: () => void = () => undefined;
before(() => {
  restoreSettle = setDefaultSettleDelays([20, 40]);
});
after(() => restoreSettle());

// The two variants run concurrently: each is mostly waiting (Retry-After, client backoff).
describe('the first apply under faults', { concurrency: true }, () => {
  for (const [label, source] of [
    ['Juno nova-network', JUNO_NOVA_NETWORK],
    ['Havana Neutron', HAVANA_NEUTRON],
  ] as const) {
    test(`${label} source: 5% 500/503, resets, 429 bursts and an expired token mid-apply: the first apply completes, nothing twice or left, no create re-sent without a lookup`, async (t) => {
      await tortureFaults(t, source);
    });
  }
});

async function tortureFaults(t: TestContext, source: TortureSource): Promise<void> {
  // The uninterrupted twin: the same seed applied without faults, whose destination the
  // tortured one must equal.
  const reference = await tortureWorld(SEED, { source });
  t.after(() => reference.close());
  const refPlan = await reference.plan(join(reference.dir, 'plan.json'));
  const refKinds = torturedKinds(await loadConfig(reference.config), reference.passwords, reference.ownerPasswords);
  const ref = await apply({ planPath: refPlan.path!, configPath: reference.config, statePath: reference.state, kinds: refKinds, parallelism: 4, resetPasswordsPath: reference.passwords });
  await refKinds.close();
  assert.deepEqual(ref.failures, [], 'the uninterrupted run failed');
  const refAfter = await reference.plan();

  const world = await tortureWorld(SEED, { source });
  t.after(() => world.close());
  const sourceBefore = holdings(world.sim.source.store);
  const destinationBefore = holdings(world.sim.destination.store);
  const planned = await world.plan(join(world.dir, 'plan.json'));
  const clouds = [world.sim.source, world.sim.destination];
  // Every token of both clouds is forgotten once the destination has answered EXPIRE_AT
  // requests (mid-apply whatever the machine's speed): each client must notice the 401 and
  // log in again.
  let expired = false;
  for (const c of clouds) {
    const log: SimLoggedRequest[] = [];
    const push = log.push.bind(log);
    log.push = (...items: SimLoggedRequest[]) => {
      const n = push(...items);
      if (c === world.sim.destination && n >= EXPIRE_AT && !expired) {
        expired = true;
        clouds.forEach((x) => x.expireTokens());
      }
      return n;
    };
    c.requestLog = log;
    c.setFaults(RULES);
  }
  const kinds = torturedKinds(await loadConfig(world.config), world.passwords, world.ownerPasswords);
  t.after(() => kinds.close());
  const started = Date.now();
  // One apply, no re-run: a refusal before any action (the plan or state read, the lock)
  // is a bug, not a fault, and rejects here.
  const reporter = new MemoryReporter();
  const r = await apply({ planPath: planned.path!, configPath: world.config, statePath: world.state, kinds, parallelism: 1, resetPasswordsPath: world.passwords, reporter });
  const elapsed = Date.now() - started;
  for (const c of clouds) c.setFaults({});
  const logs = clouds.map((c) => c.requestLog!);
  if (process.env['TORTURE_DUMP']) (await import('node:fs')).writeFileSync('/tmp/torture-faults-log.json', JSON.stringify(logs, null, 0));
  const failures = r.failures.map((f) => `${f.code} ${f.address}: ${f.message}`);
  assert.equal(r.result, 'ok', `the first apply did not complete:\n${failures.join('\n')}`);
  const all = logs.flat();
  const count = (f: (r: SimLoggedRequest) => boolean) => all.filter(f).length;
  // The faults happened.
  const injected = { error: count((r) => r.fault === 'error'), reset: count((r) => r.fault === 'reset'), throttle: count((r) => r.fault === 'throttle'), lost: count((r) => r.fault === 'lost-error' || r.fault === 'lost-reset') };
  assert.ok(injected.error > 0 && injected.reset > 0 && injected.throttle > 0 && injected.lost > 0, `not every fault happened: ${JSON.stringify(injected)}`);
  assert.ok(count((r) => r.status === 401) > 0, 'no request met the expired token');
  assert.deepEqual([...blindRetries('source', logs[0]!), ...blindRetries('destination', logs[1]!)], [], 'a create was sent again without a lookup');
  // Every resend was reported with the action it served, and only after an ambiguous failure.
  const resent = reporter.ofType('request_resent');
  assert.deepEqual(resent.filter((e) => e.address === null || e.attempt < 2), [], 'a resend reported without its action');
  assert.ok(resent.length <= count((r) => r.method !== 'GET' && r.method !== 'HEAD' && ambiguous(r) && !isLogin(r)), 'more resends reported than ambiguous failures');

  const after = await world.plan();
  assert.equal(after.changes, 0, 'a plan after the apply still has changes');
  assert.deepEqual(duplicates(world.sim.destination.store, after.destination), [], 'duplicates in the destination');
  assert.deepEqual(leftovers('source', world.sim.source.store, sourceBefore, world.sim.source.admin.userId), [], 'temporaries left in the source');
  assert.deepEqual(leftovers('destination', world.sim.destination.store, destinationBefore, world.sim.destination.admin.userId), [], 'temporaries left in the destination');
  assert.deepEqual(await stateTemporaries(world.state), []);
  assert.deepEqual(await unfinished(world.state), []);
  assert.deepEqual(await failedLogins(world.sim.source, world.sim.generated), [], 'a source password was left changed');
  const keep = sourceIds(after.source);
  assert.deepEqual(normalized(after.destination, keep), normalized(refAfter.destination, keep), 'the destination differs from the run without faults');
  t.diagnostic(
    `1 run in ${(elapsed / 1000).toFixed(1)} s; ${all.length} requests, ${count((r) => r.fault === 'error')} 5xx, ${count((r) => r.fault === 'reset')} resets, ` +
      `${count((r) => r.fault === 'throttle')} 429s, ${count((r) => r.status === 401)} 401s injected/met; ${count((r) => r.method === 'POST' && ambiguous(r) && !isLogin(r))} POSTs failed ambiguously; ` +
      `answers lost after acting: ${count((r) => r.fault === 'lost-error')} 5xx, ${count((r) => r.fault === 'lost-reset')} resets (${count((r) => r.fault?.startsWith('lost-') === true && r.method === 'POST' && !isLogin(r))} POSTs); ${resent.length} requests sent again`,
  );
}
