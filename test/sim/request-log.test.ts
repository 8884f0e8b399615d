import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, cloudOf, loginV2 } from './helpers.js';

test('request log: off by default; once set, each service request in arrival order with its status, query and injected fault', async () => {
  const cloud = await cloudOf('juno:nova-network:flatdhcp', {}, 3);
  try {
    const token = (await loginV2(cloud)).token.id;
    assert.equal(cloud.requestLog, undefined);
    cloud.requestLog = [];
    await call('GET', `${cloud.adminUrlV2}/tenants?limit=5`, { token });
    await call('GET', `${cloud.adminUrlV2}/no-such-route`, { token });
    cloud.setFaults({ 'identity-admin': { GET: { errorRate: 1, errorStatus: 503 } } });
    await call('GET', `${cloud.adminUrlV2}/tenants`, { token });
    cloud.setFaults({ 'identity-admin': { GET: { resetRate: 1 } } });
    await call('GET', `${cloud.adminUrlV2}/tenants`, { token }).catch(() => undefined);
    await call('GET', `${cloud.url}/_sim/stats`);
    assert.deepEqual(
      cloud.requestLog.map((r) => [r.method, r.path.replace(/^.*(\/v2\.0\/)/, '$1'), r.query, r.status, r.fault]),
      [
        ['GET', '/v2.0/tenants', '?limit=5', 200, undefined],
        ['GET', '/v2.0/no-such-route', '', 404, undefined],
        ['GET', '/v2.0/tenants', '', 503, 'error'],
        ['GET', '/v2.0/tenants', '', 0, 'reset'],
      ],
    );
  } finally {
    await cloud.close();
  }
});
