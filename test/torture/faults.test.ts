// Fault torture (issue #5): the whole-tenant migration of the crash torture, applied while
// both simulated clouds fail 5% of requests (500 on creates, 503 elsewhere), reset 1% of
// connections, answer bursts of 429 with Retry-After, and forget every token mid-apply. The
// same plan is applied again after a failed run (what a CI retry does) until it completes;
// then nothing is duplicated or left behind, and the clouds' request logs show that no create
// was sent again after an ambiguous failure (5xx or reset) without a lookup of its kind first.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { apply } from '../../src/app/index.js';
import { loadConfig } from '../../src/config/index.js';
import type { FaultRules, SimLoggedRequest } from '../../src/sim/index.js';
import { duplicates, holdings, leftovers, stateTemporaries, unfinished } from './checks.js';
import { torturedKinds } from './kinds.js';
import { tortureWorld } from './world.js';

const SEED = Number(process.env['PUMPHOUSE_TORTURE_SEED'] ?? 2026);
const MAX_RUNS = 25;

const spec = (status: 500 | 503) => ({ errorRate: 0.05, errorStatus: status, resetRate: 0.01, burst429: { every: 60, count: 3, retryAfterS: 1 } });
const RULES: FaultRules = {
  '*': { POST: spec(500), GET: spec(503), PUT: spec(503), PATCH: spec(503), DELETE: spec(503), HEAD: spec(503) },
};

/**
 * The kind of object a request is about: its path with ids replaced and a trailing
 * `/detail` dropped, cut after the first collection (`/compute/v2/*\/servers`), so a POST
 * creating a server and a GET listing or showing servers share one key.
 */
export function resourceOf(path: string): string {
  const parts = path.split('/').filter(Boolean);
  const out: string[] = [];
  for (const p of parts) {
    const isId = /^[0-9a-f]{32}$|^[0-9a-f-]{36}$|^\d+$/.test(p);
    if (out.length >= 3 && isId) break; // the collection's member: the key is the collection
    out.push(isId ? '*' : p);
  }
  if (out.at(-1) === 'detail') out.pop();
  return out.join('/');
}

/** Logins are not creates of anything the migration owns: sending one again is harmless. */
const isLogin = (r: SimLoggedRequest) => /\/(auth\/)?tokens$/.test(r.path);
/** Failures after which the cloud may have acted: 5xx, or no answer (connection reset). */
const ambiguous = (r: SimLoggedRequest) => r.status === 0 || r.status >= 500;

/**
 * Every POST sent again after an ambiguous failure of a POST to the same resource without a
 * GET (list or show) of that resource in between, as `cloud: POST path`.
 */
export function blindRetries(cloud: string, log: readonly SimLoggedRequest[]): string[] {
  const out: string[] = [];
  const waiting = new Map<string, SimLoggedRequest>(); // resource -> its failed POST
  for (const r of log) {
    if (isLogin(r)) continue;
    const key = resourceOf(r.path);
    if (r.method === 'GET' || r.method === 'HEAD') {
      // A lookup of that kind of object (or, for an action on one object, of that object).
      for (const k of [...waiting.keys()]) if (k === key || k.startsWith(`${key}/`) || key.startsWith(`${k}/`)) waiting.delete(k);
      continue;
    }
    if (r.method !== 'POST') continue;
    if (waiting.has(key)) out.push(`${cloud}: POST ${r.path} (after ${waiting.get(key)!.status || 'a reset'})`);
    waiting.delete(key);
    if (ambiguous(r)) waiting.set(key, r);
  }
  return out;
}

test('5% 500/503, resets, 429 bursts and an expired token mid-apply: the apply completes, nothing twice or left, no create re-sent without a lookup', async (t) => {
  const world = await tortureWorld(SEED);
  t.after(() => world.close());
  const sourceBefore = holdings(world.sim.source.store);
  const destinationBefore = holdings(world.sim.destination.store);
  const planned = await world.plan(join(world.dir, 'plan.json'));
  const clouds = [world.sim.source, world.sim.destination];
  for (const c of clouds) {
    c.requestLog = [];
    c.setFaults(RULES);
  }
  const kinds = torturedKinds(await loadConfig(world.config), world.passwords);
  t.after(() => kinds.close());
  const failures: string[] = [];
  let result = '';
  let runs = 0;
  const started = Date.now();
  while (result !== 'ok' && runs < MAX_RUNS) {
    runs++;
    // Every token is forgotten while the first run is busy: each client must log in again.
    const expiry = runs === 1 ? setTimeout(() => clouds.forEach((c) => c.expireTokens()), 600) : undefined;
    try {
      const r = await apply({ planPath: planned.path!, configPath: world.config, statePath: world.state, kinds, parallelism: 2, resetPasswordsPath: world.passwords });
      result = r.result;
      failures.push(...r.failures.map((f) => `${f.code} ${f.address}: ${f.message}`));
    } catch (err) {
      // A refusal before any action (the plan or state read, the lock) is a bug, not a fault.
      throw new Error(`run ${runs} was refused: ${(err as Error).message}`, { cause: err });
    } finally {
      clearTimeout(expiry);
    }
  }
  const elapsed = Date.now() - started;
  for (const c of clouds) c.setFaults({});
  assert.equal(result, 'ok', `not complete after ${runs} runs:\n${failures.join('\n')}`);

  const logs = clouds.map((c) => c.requestLog!);
  const all = logs.flat();
  const count = (f: (r: SimLoggedRequest) => boolean) => all.filter(f).length;
  // The faults happened.
  assert.ok(count((r) => r.fault === 'error') > 0 && count((r) => r.fault === 'reset') > 0 && count((r) => r.fault === 'throttle') > 0);
  assert.ok(count((r) => r.status === 401) > 0, 'no request met the expired token');
  assert.deepEqual([...blindRetries('source', logs[0]!), ...blindRetries('destination', logs[1]!)], [], 'a create was sent again without a lookup');

  const after = await world.plan();
  assert.equal(after.changes, 0, 'a plan after the apply still has changes');
  assert.deepEqual(duplicates(world.sim.destination.store, after.destination), [], 'duplicates in the destination');
  assert.deepEqual(leftovers('source', world.sim.source.store, sourceBefore, world.sim.source.admin.userId), [], 'temporaries left in the source');
  assert.deepEqual(leftovers('destination', world.sim.destination.store, destinationBefore, world.sim.destination.admin.userId), [], 'temporaries left in the destination');
  assert.deepEqual(await stateTemporaries(world.state), []);
  assert.deepEqual(await unfinished(world.state), []);
  t.diagnostic(
    `${runs} runs in ${(elapsed / 1000).toFixed(1)} s; ${all.length} requests, ${count((r) => r.fault === 'error')} 5xx, ${count((r) => r.fault === 'reset')} resets, ` +
      `${count((r) => r.fault === 'throttle')} 429s, ${count((r) => r.status === 401)} 401s injected/met; ${count((r) => r.method === 'POST' && ambiguous(r) && !isLogin(r))} POSTs failed ambiguously`,
  );
  for (const f of failures) t.diagnostic(`failed on the way: ${f}`);
});
