import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nextHref, pageRequest, paginate, renderError, Router, json, type Route } from '../../src/sim/index.js';

describe('framework http pieces', () => {
  test('router: literal before parameter, params decoded, 405 lists allowed methods, GET answers HEAD', () => {
    const h = () => json(200, {});
    const routes: Route[] = [
      { method: 'GET', path: '/v2/{tenant_id}/servers/detail', auth: 'token', handler: h },
      { method: 'GET', path: '/v2/{tenant_id}/servers/{id}', auth: 'token', handler: h },
      { method: 'DELETE', path: '/v2/{tenant_id}/servers/{id}', auth: 'token', handler: h },
    ];
    const r = new Router(routes);
    const detail = r.match('GET', '/v2/t1/servers/detail');
    assert.equal(detail.kind === 'found' && detail.route, routes[0]);
    const one = r.match('GET', '/v2/t1/servers/a%20b');
    assert.deepEqual(one.kind === 'found' && one.params, { tenant_id: 't1', id: 'a b' });
    assert.deepEqual(r.match('PUT', '/v2/t1/servers/x'), { kind: 'wrong-method', allowed: ['GET', 'DELETE'] });
    assert.equal(r.match('HEAD', '/v2/t1/servers/x').kind, 'found');
    assert.deepEqual(r.match('GET', '/v2/t1/nothing'), { kind: 'none' });
  });

  test('router: only routes of the same length match; a parameter that does not decode skips its route', () => {
    const h = () => json(200, {});
    const routes: Route[] = [
      { method: 'GET', path: '/v2/{tenant_id}/os-quota-sets/{id}', auth: 'token', handler: h },
      { method: 'GET', path: '/v2/{tenant_id}/os-quota-sets/{id}/defaults', auth: 'token', handler: h },
      { method: 'GET', path: '/v2/{tenant_id}/{any}/%zz', auth: 'token', handler: h },
      { method: 'GET', path: '/v2/{tenant_id}/{rest}/{more}', auth: 'token', handler: h },
    ];
    const r = new Router(routes);
    const quota = r.match('GET', '/v2/t1/os-quota-sets/p1');
    assert.deepEqual(quota.kind === 'found' && [quota.route, quota.params], [routes[0], { tenant_id: 't1', id: 'p1' }]);
    const defaults = r.match('GET', '/v2/t1/os-quota-sets/p1/defaults');
    assert.equal(defaults.kind === 'found' && defaults.route, routes[1]);
    // '%zz' is not percent-encoding: the first route that would take it is skipped, not an error.
    const bad = r.match('GET', '/v2/t1/os-quota-sets/%zz');
    assert.equal(bad.kind === 'found' && bad.route, routes[2]);
    assert.deepEqual(r.match('GET', '/v2/t1'), { kind: 'none' });
  });

  test('error styles of §0.2', () => {
    assert.deepEqual(JSON.parse(renderError('keystone', 404, 'x').body), { error: { code: 404, title: 'Not Found', message: 'x' } });
    assert.deepEqual(JSON.parse(renderError('nova', 404, 'x').body), { itemNotFound: { code: 404, message: 'x' } });
    assert.deepEqual(JSON.parse(renderError('nova', 409, 'x').body), { conflictingRequest: { code: 409, message: 'x' } });
    assert.deepEqual(JSON.parse(renderError('cinder', 429, 'x').body), { overLimit: { code: 429, message: 'x' } });
    assert.deepEqual(JSON.parse(renderError('nova', 500, 'x').body), { computeFault: { code: 500, message: 'x' } });
    assert.deepEqual(JSON.parse(renderError('neutron', 404, 'x', 'NetworkNotFound').body), { NeutronError: { type: 'NetworkNotFound', message: 'x', detail: '' } });
    const glance = renderError('glance', 404, 'No image found with ID x');
    assert.equal(glance.contentType.startsWith('text/plain'), true);
    assert.match(glance.body, /^404 Not Found\n\nNo image found with ID x/);
  });

  test('pagination: limit/marker pages, 400 on an unknown marker, next link keeps the query', () => {
    const items = Array.from({ length: 7 }, (_, i) => ({ id: `s${i}` }));
    const q = new URLSearchParams('all_tenants=1&limit=3');
    const p1 = paginate(items, pageRequest(q, 1000), (x) => x.id);
    assert.deepEqual([p1.items.map((x) => x.id), p1.more], [['s0', 's1', 's2'], true]);
    const p3 = paginate(items, pageRequest(new URLSearchParams('limit=3&marker=s5')), (x) => x.id);
    assert.deepEqual([p3.items.map((x) => x.id), p3.more], [['s6'], false]);
    assert.throws(() => paginate(items, pageRequest(new URLSearchParams('marker=zz')), (x) => x.id), /marker \[zz\] not found/);
    assert.deepEqual(paginate(items, pageRequest(new URLSearchParams('marker=zz')), (x) => x.id, { unknownMarker: 'empty' }).items, []);
    assert.equal(pageRequest(new URLSearchParams(''), 1000).limit, 1000);
    assert.throws(() => pageRequest(new URLSearchParams('limit=-1')), /limit/);
    assert.equal(nextHref('http://h/compute/v2.1/servers/detail', q, 's2'), 'http://h/compute/v2.1/servers/detail?all_tenants=1&limit=3&marker=s2');
  });
});
