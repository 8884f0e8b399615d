import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SimCloud } from '../../src/sim/index.js';
import { call, cloudOf, loginV2 } from './helpers.js';

describe('control endpoint /_sim', () => {
  let cloud: SimCloud;
  before(async () => {
    cloud = await cloudOf('icehouse:nova-network:flatdhcp');
  });
  after(() => cloud.close());

  test('GET/PUT knobs merges and validates', async () => {
    const k = await call('GET', `${cloud.url}/_sim/knobs`);
    assert.equal(k.body.buildMs, 2000);
    const put = await call('PUT', `${cloud.url}/_sim/knobs`, { body: { buildMs: 10, imageRateBps: 1000 } });
    assert.equal(put.status, 200);
    assert.equal(put.body.buildMs, 10);
    assert.equal(cloud.knobs.imageRateBps, 1000);
    assert.equal(cloud.knobs.volumeCreateMs, 1000, 'other knobs untouched');
    const bad = await call('PUT', `${cloud.url}/_sim/knobs`, { body: { buildMs: -1, nope: 1 } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /unknown knob 'nope'/);
    assert.match(bad.body.error, /buildMs must be a number >= 0/);
  });

  test('faults, expire-tokens and stats', async () => {
    const token = (await loginV2(cloud)).token.id;
    await call('DELETE', `${cloud.url}/_sim/stats`);
    assert.equal((await call('PUT', `${cloud.url}/_sim/faults`, { body: { 'identity-admin': { GET: { errorRate: 1 } } } })).status, 200);
    assert.equal((await call('GET', `${cloud.adminUrlV2}/tenants`, { token })).status, 500);
    assert.deepEqual((await call('GET', `${cloud.url}/_sim/faults`)).body, { 'identity-admin': { GET: { errorRate: 1 } } });
    assert.equal((await call('DELETE', `${cloud.url}/_sim/faults`)).status, 204);
    assert.equal((await call('GET', `${cloud.adminUrlV2}/tenants`, { token })).status, 200);
    const exp = await call('POST', `${cloud.url}/_sim/expire-tokens`);
    assert.ok(exp.body.expired >= 1);
    const r = await call('GET', `${cloud.adminUrlV2}/tenants`, { token });
    assert.equal(r.status, 401);
    const stats = (await call('GET', `${cloud.url}/_sim/stats`)).body;
    assert.deepEqual(stats.requests, { 'identity-admin': { GET: 3 } });
    assert.equal(stats.total, 3);
    assert.deepEqual(stats.statuses, { 200: 1, 401: 1, 500: 1 });
    assert.equal(stats.pending_transitions, 0);
  });

  test('compute hosts: add, mark down, remove', async () => {
    assert.equal((await call('POST', `${cloud.url}/_sim/hosts`, { body: { name: 'node-9' } })).status, 201);
    const svc = () => cloud.store.computeServices.find((s) => s.host === 'node-9');
    assert.equal(svc()?.state, 'up');
    assert.ok(cloud.store.hypervisors.find((h) => h.host === 'node-9' && h.hostname === 'node-9'));
    assert.equal((await call('PUT', `${cloud.url}/_sim/hosts/node-9`, { body: { down: true } })).status, 200);
    assert.equal(svc()?.state, 'down');
    assert.equal((await call('DELETE', `${cloud.url}/_sim/hosts/node-9`)).status, 204);
    assert.equal(svc(), undefined);
    assert.equal((await call('DELETE', `${cloud.url}/_sim/hosts/node-9`)).status, 404);
  });

  test('unknown services and control paths answer 404', async () => {
    assert.equal((await call('GET', `${cloud.url}/nothing`)).status, 404);
    assert.equal((await call('GET', `${cloud.url}/_sim/nothing`)).status, 404);
  });
});
