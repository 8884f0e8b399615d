import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FaultRules, SimCloud } from '../../src/sim/index.js';
import { call, cloudOf, loginV2 } from './helpers.js';

/** Statuses of `n` identical requests (0 = connection reset). */
async function sequence(cloud: SimCloud, token: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    try {
      out.push((await call('GET', `${cloud.adminUrlV2}/tenants`, { token })).status);
    } catch {
      out.push(0);
    }
  }
  return out;
}

const RULES: FaultRules = { 'identity-admin': { GET: { errorRate: 0.3, resetRate: 0.1, errorStatus: 503 } } };

describe('fault injection', () => {
  test('the same seed gives the same fault sequence; another seed another one', async () => {
    const runs: number[][] = [];
    for (const seed of [7, 7, 8]) {
      const cloud = await cloudOf('juno:nova-network:flatdhcp', {}, seed);
      try {
        const token = (await loginV2(cloud)).token.id;
        cloud.setFaults(RULES);
        runs.push(await sequence(cloud, token, 40));
      } finally {
        await cloud.close();
      }
    }
    assert.deepEqual(runs[0], runs[1]);
    assert.notDeepEqual(runs[0], runs[2]);
    const kinds = new Set(runs[0]);
    assert.ok(kinds.has(200) && kinds.has(503) && kinds.has(0), `expected ok, 503 and resets in ${runs[0]}`);
  });

  test('errors come in the service\'s format; faults do not touch other services', async () => {
    const cloud = await cloudOf('juno:nova-network:flatdhcp');
    try {
      const token = (await loginV2(cloud)).token.id;
      cloud.setFaults({ 'identity-admin': { '*': { errorRate: 1 } } });
      const r = await call('GET', `${cloud.adminUrlV2}/tenants`, { token });
      assert.equal(r.status, 500);
      assert.equal(r.body.error.code, 500);
      assert.equal((await call('GET', `${cloud.authUrlV2}/tenants`, { token })).status, 200, 'the public identity endpoint is another service');
      cloud.setFaults({ '*': { '*': { errorRate: 1, errorStatus: 503, pathContains: '/OS-KSADM/' } } });
      assert.equal((await call('GET', `${cloud.adminUrlV2}/OS-KSADM/roles`, { token })).status, 503);
      assert.equal((await call('GET', `${cloud.adminUrlV2}/tenants`, { token })).status, 200);
      assert.equal(cloud.stats().faults['error'], 2);
    } finally {
      await cloud.close();
    }
  });

  test('burst429: every Nth request starts a burst of 429s with Retry-After', async () => {
    const cloud = await cloudOf('juno:nova-network:flatdhcp');
    try {
      const token = (await loginV2(cloud)).token.id;
      cloud.setFaults({ 'identity-admin': { GET: { burst429: { every: 3, count: 2, retryAfterS: 7 } } } });
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 7; i++) {
        const r = await call('GET', `${cloud.adminUrlV2}/tenants`, { token });
        statuses.push(r.status);
        if (r.status === 429) retryAfter = r.headers.get('retry-after');
      }
      assert.deepEqual(statuses, [200, 200, 429, 429, 200, 429, 429]);
      assert.equal(retryAfter, '7');
    } finally {
      await cloud.close();
    }
  });

  test('a rule under a name that is no simulated service (nova, not compute) is refused, not silently ignored', async () => {
    const cloud = await cloudOf('juno:nova-network:flatdhcp');
    try {
      const unknown = { nova: { GET: { burst429: { every: 1, count: 1, retryAfterS: 1 } } } } as unknown as FaultRules;
      assert.throws(() => cloud.setFaults(unknown), /unknown service 'nova'/);
      assert.throws(() => cloud.setKnobs({ faults: unknown }), /unknown service 'nova'/);
      const put = await call('PUT', `${cloud.url}/_sim/faults`, { body: { keystone: { '*': { errorRate: 1 } } } });
      assert.equal(put.status, 400);
      assert.match(JSON.stringify(put.body), /unknown service 'keystone'/);
      assert.deepEqual(cloud.knobs.faults, {}, 'the rules in force are unchanged');
      cloud.setFaults({ compute: { GET: { errorRate: 1 } }, '*': { DELETE: { errorRate: 1 } } });
      assert.equal((await call('GET', `${cloud.url}/compute/v2/`)).status, 500);
    } finally {
      await cloud.close();
    }
  });

  test('resetRate 1 destroys the socket without an answer', async () => {
    const cloud = await cloudOf('modern:neutron');
    try {
      cloud.setFaults({ identity: { '*': { resetRate: 1 } } });
      await assert.rejects(fetch(`${cloud.url}/identity/`), /fetch failed/);
      assert.equal(cloud.stats().faults['reset'], 1);
    } finally {
      await cloud.close();
    }
  });

  test('lostErrorRate and lostResetRate: the handler acts, then the answer is a 500 or a cut connection', async () => {
    const cloud = await cloudOf('juno:nova-network:flatdhcp');
    try {
      const token = (await loginV2(cloud)).token.id;
      const tenants = async () => ((await call('GET', `${cloud.adminUrlV2}/tenants`, { token })).body.tenants as { name: string }[]).map((t) => t.name);
      cloud.setFaults({ 'identity-admin': { POST: { lostErrorRate: 1 } } });
      const r = await call('POST', `${cloud.adminUrlV2}/tenants`, { token, body: { tenant: { name: 'lost-answer', enabled: true } } });
      assert.equal(r.status, 500);
      assert.equal(r.body.error.code, 500);
      assert.ok((await tenants()).includes('lost-answer'), 'the tenant was made although the answer was a 500');
      cloud.setFaults({ 'identity-admin': { POST: { lostResetRate: 1 } } });
      await assert.rejects(call('POST', `${cloud.adminUrlV2}/tenants`, { token, body: { tenant: { name: 'cut-answer', enabled: true } } }), /fetch failed/);
      assert.ok((await tenants()).includes('cut-answer'), 'the tenant was made although the connection was cut');
      // A refusal the handler throws is not a reply to lose: the 409 goes out.
      cloud.setFaults({ 'identity-admin': { POST: { lostErrorRate: 1 } } });
      assert.equal((await call('POST', `${cloud.adminUrlV2}/tenants`, { token, body: { tenant: { name: 'cut-answer', enabled: true } } })).status, 409);
      assert.deepEqual([cloud.stats().faults['lost-error'], cloud.stats().faults['lost-reset']], [1, 1], 'the 409 is not counted as a lost answer');
      assert.deepEqual(cloud.handlerErrors, []);
    } finally {
      await cloud.close();
    }
  });

  test('latencyMs delays answers (knob read per request)', async () => {
    const cloud = await cloudOf('modern:neutron');
    try {
      cloud.setKnobs({ latencyMs: 50 });
      const t = performance.now();
      await call('GET', `${cloud.url}/identity/`);
      // A floor, not a speed assertion: the answer cannot come before the injected delay.
      assert.ok(performance.now() - t >= 45);
    } finally {
      await cloud.close();
    }
  });
});
