import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareFixtures } from './compare.js';
import { buildFixtures, type ServiceFixture } from './fixture.js';
import { findLeaks } from './leaks.js';
import type { Exchange } from './recording-proxy.js';
import type { Volatile } from './templates.js';

const v: Volatile = { projectIds: [], namePrefix: 'phc-', hosts: [] };
const ID = '2266dd87-c89e-46e5-9023-543c3fcef0ef';

function exchange(over: Partial<Exchange>): Exchange {
  return {
    upstream: 'http://127.0.0.1:8774',
    method: 'GET',
    url: `/v2.1/servers/${ID}`,
    requestHeaders: { accept: 'application/json', 'x-auth-token': 'gAAAAAsecret-token-value' },
    requestJson: undefined,
    requestBytes: 0,
    status: 200,
    responseHeaders: { 'content-type': 'application/json', 'x-openstack-request-id': 'req-8b073f31-9fa2-486e-9c9f-4b79dac918a2' },
    responseJson: { server: { id: ID, name: 'phc-1a2b3c4d-vm', status: 'ACTIVE' } },
    responseText: undefined,
    responseBytes: 10,
    ...over,
  };
}

describe('buildFixtures', () => {
  const exchanges = [
    exchange({}),
    exchange({ responseJson: { server: { id: ID, name: 'phc-1a2b3c4d-vm', status: 'ERROR', fault: { code: 500 } } } }),
    exchange({ status: 404, responseJson: { itemNotFound: { code: 404, message: 'nope' } } }),
    exchange({ method: 'POST', url: `/v2.1/servers/${ID}/action`, requestJson: { 'os-stop': null }, status: 202, responseJson: undefined, responseBytes: 0 }),
    exchange({ upstream: 'http://127.0.0.1:9292', url: `/v2/images/${ID}/file`, responseHeaders: { 'content-type': 'application/octet-stream', 'content-md5': 'abc' }, responseJson: undefined, responseBytes: 1024 }),
    exchange({ upstream: 'http://127.0.0.1:1', url: '/unknown' }),
  ];
  const serviceOf = (u: string) => ({ 'http://127.0.0.1:8774': 'compute', 'http://127.0.0.1:9292': 'image' })[u];
  const fixtures = buildFixtures(exchanges, serviceOf, v);
  const compute = fixtures.find((f) => f.service === 'compute');

  test('groups by service, templated endpoint (actions by name) and status; unknown origins are left out', () => {
    assert.deepEqual(fixtures.map((f) => f.service), ['compute', 'image']);
    assert.deepEqual(Object.keys(compute?.endpoints ?? {}), ['GET /v2.1/servers/{id}', 'POST /v2.1/servers/{id}/action#os-stop']);
    assert.deepEqual(Object.keys(compute?.endpoints['GET /v2.1/servers/{id}'] ?? {}), ['200', '404']);
  });

  test('merges the bodies of one status, keeps headers as templated value sets, tokens as presence', () => {
    const ok = compute?.endpoints['GET /v2.1/servers/{id}']?.['200'];
    assert.deepEqual(ok?.response.body, { server: { 'fault?': { code: 'integer' }, id: 'string', name: 'string', status: 'string' } });
    assert.deepEqual(ok?.response.headers['x-openstack-request-id'], ['req-{uuid}']);
    assert.deepEqual(ok?.request.headers['x-auth-token'], ['(present)']);
    const image = fixtures.find((f) => f.service === 'image')?.endpoints['GET /v2/images/{id}/file']?.['200'];
    assert.deepEqual(image?.response.body, { $binary: 'bytes' });
    assert.deepEqual(image?.response.headers['content-md5'], ['(present)']);
  });

  test('a list asked with fields= is its own operation (its items hold only the named attributes)', () => {
    const neutron = (url: string, port: Record<string, unknown>): Exchange =>
      exchange({ upstream: 'http://127.0.0.1:9696', url, responseJson: { ports: [port] } });
    const built = buildFixtures(
      [neutron('/v2.0/ports', { id: ID, name: 'phc-1a2b3c4d-p', status: 'ACTIVE' }), neutron(`/v2.0/ports?id=${ID}&fields=id&fields=name`, { id: ID, name: 'phc-1a2b3c4d-p' })],
      () => 'network',
      v,
    );
    const endpoints = built[0]?.endpoints ?? {};
    assert.deepEqual(Object.keys(endpoints), ['GET /v2.0/ports', 'GET /v2.0/ports fields=']);
    assert.deepEqual(endpoints['GET /v2.0/ports']?.['200']?.response.body, { ports: [{ id: 'string', name: 'string', status: 'string' }] });
  });

  test('nothing volatile or secret ends up in the fixtures', () => {
    const text = JSON.stringify(fixtures);
    assert.deepEqual(findLeaks(text, ['gAAAAAsecret-token-value']), []);
    assert.deepEqual(findLeaks(`${text} ${ID} phc-1a2b3c4d-vm gAAAAAsecret-token-value`, ['gAAAAAsecret-token-value']), ['a token seen on the wire', 'a uuid', 'a name made by the contract suite']);
  });
});

describe('compareFixtures', () => {
  const ref: ServiceFixture[] = [
    {
      service: 'compute',
      endpoints: {
        'GET /v2.1/servers/{id}': {
          '200': { request: { queries: [], headers: {} }, response: { headers: { 'content-type': ['application/json'], 'x-openstack-request-id': ['req-{uuid}'] }, body: { server: { id: 'string', 'fault?': { code: 'integer' }, image: { $oneOf: ['string', { id: 'string' }] } } } } },
          '404': { request: { queries: [], headers: {} }, response: { headers: { 'content-type': ['application/json'] }, body: { itemNotFound: { code: 'integer', message: 'string' } } } },
        },
        'DELETE /v2.1/servers/{id}': { '204': { request: { queries: [], headers: {} }, response: { headers: {} } } },
      },
    },
  ];

  test('a faithful candidate (extra keys allowed, optional keys may be missing) shows no difference', () => {
    const cand: ServiceFixture[] = [
      {
        service: 'compute',
        endpoints: {
          'GET /v2.1/servers/{id}': {
            '200': { request: { queries: [], headers: {} }, response: { headers: { 'content-type': ['application/json'], 'x-openstack-request-id': ['req-{uuid}'] }, body: { server: { id: 'string', image: { id: 'string' }, extra: 'boolean' } } } },
            '404': { request: { queries: [], headers: {} }, response: { headers: { 'content-type': ['application/json; charset=UTF-8'] }, body: { itemNotFound: { code: 'integer', message: 'string' } } } },
          },
          'DELETE /v2.1/servers/{id}': { '204': { request: { queries: [], headers: {} }, response: { headers: {} } } },
        },
      },
    ];
    assert.deepEqual(compareFixtures(ref, cand), []);
  });

  test('reports missing keys, wrong types, text for JSON, missing headers, statuses and endpoints', () => {
    const cand: ServiceFixture[] = [
      {
        service: 'compute',
        endpoints: {
          'GET /v2.1/servers/{id}': {
            '200': { request: { queries: [], headers: {} }, response: { headers: { 'content-type': ['text/html'] }, body: { server: { id: 'integer', image: 'string' } } } },
            '400': { request: { queries: [], headers: {} }, response: { headers: {}, body: { $text: '400 Bad Request' } } },
          },
        },
      },
    ];
    const diffs = compareFixtures(ref, cand).map((d) => `${d.where} | ${d.at} | ${d.what}`);
    assert.deepEqual(diffs, [
      'compute GET /v2.1/servers/{id} 200 | header content-type | text/html where the reference sends json',
      'compute GET /v2.1/servers/{id} 200 | header x-openstack-request-id | always sent by the reference (req-{uuid}), missing in the candidate',
      'compute GET /v2.1/servers/{id} 200 | body.server.id | integer where the reference sends string',
      'compute GET /v2.1/servers/{id} 404 |  | the candidate never answered 404 here (it answered 200, 400)',
      'compute DELETE /v2.1/servers/{id} |  | not exercised: the candidate was never asked this',
    ]);
  });
});
