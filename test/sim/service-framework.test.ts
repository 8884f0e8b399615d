import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { SimCloud, caller, empty, json, notFound, stream, type SimServiceModule } from '../../src/sim/index.js';
import { identityModule } from '../../src/sim/services/identity/index.js';
import { call, loginV2, loginV3 } from './helpers.js';

/** A toy service built only from the framework, as a service author would. */
const toy: SimServiceModule = {
  name: 'toy',
  create(cloud) {
    return [
      {
        name: 'compute',
        errorStyle: 'nova',
        routes: [
          { method: 'GET', path: '/v2/{tenant_id}/whoami', auth: 'token', handler: (req) => json(200, { user: caller(req).userName, project: caller(req).projectId, admin: caller(req).isAdmin }) },
          { method: 'GET', path: '/v2/{tenant_id}/admin-only', auth: 'admin', handler: () => json(200, {}) },
          { method: 'GET', path: '/v2/{tenant_id}/things/{id}', auth: 'token', handler: (req) => { throw notFound(`Thing ${req.params['id']} could not be found.`); } },
          { method: 'GET', path: '/v2/{tenant_id}/broken', auth: 'token', handler: () => { throw new Error('bug'); } },
          {
            method: 'POST',
            path: '/v2/{tenant_id}/build',
            auth: 'token',
            handler: async (req) => {
              const body = await req.json<{ name: string }>();
              const state = { name: body.name, status: 'BUILD' };
              cloud.clock.after(cloud.knobs.buildMs, () => {
                state.status = 'ACTIVE';
              });
              built.push(state);
              return empty(202);
            },
          },
          { method: 'GET', path: '/v2/{tenant_id}/data', auth: 'token', handler: () => stream(200, cloud.readData({ kind: 'generated', key: 'k', size: 200_000 }, 'image'), { 'Content-Length': 200_000 }) },
        ],
      },
    ];
  },
};
const built: Array<{ name: string; status: string }> = [];

describe('service framework (a toy service on top of it)', () => {
  let legacy: SimCloud;
  let modern: SimCloud;
  before(async () => {
    const opts = { seed: 1, modules: [identityModule, toy], knobs: { timeScale: 0.001 } } as const;
    legacy = await SimCloud.start({ ...opts, name: 'legacy', spec: { release: 'icehouse', network: 'nova-network:flatdhcp', hashCost: 'fast' } });
    modern = await SimCloud.start({ ...opts, name: 'modern', spec: { release: 'modern', network: 'neutron', hashCost: 'fast' } });
  });
  after(() => Promise.all([legacy.close(), modern.close()]));

  test('401 without a valid token: plain text on legacy, JSON on modern, both with WWW-Authenticate', async () => {
    const l = await call('GET', `${legacy.url}/compute/v2/x/whoami`, { token: 'bogus' });
    assert.equal(l.status, 401);
    assert.equal(l.text, 'Authentication required');
    assert.equal(l.headers.get('www-authenticate'), `Keystone uri='${legacy.authUrl}'`);
    const m = await call('GET', `${modern.url}/compute/v2/x/whoami`);
    assert.equal(m.status, 401);
    assert.deepEqual(m.body, { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } });
    assert.equal(m.headers.get('www-authenticate'), `Keystone uri="${modern.authUrl}"`);
  });

  test('the handler sees the caller; admin routes give 403 in the service style', async () => {
    const access = await loginV2(legacy);
    const me = await call('GET', `${legacy.url}/compute/v2/x/whoami`, { token: access.token.id });
    assert.deepEqual(me.body, { user: 'admin', project: access.token.tenant.id, admin: true });
    assert.match(me.headers.get('x-openstack-request-id') ?? '', /^req-[0-9a-f-]{36}$/);
    assert.equal(me.headers.get('x-compute-request-id'), me.headers.get('x-openstack-request-id'));
    // A plain member is not admin.
    const admin = (await loginV3(modern)).id;
    const p = (await call('POST', `${modern.authUrlV3}/projects`, { token: admin, body: { project: { name: 'p' } } })).body.project;
    const u = (await call('POST', `${modern.authUrlV3}/users`, { token: admin, body: { user: { name: 'm', password: 'pw' } } })).body.user;
    await call('PUT', `${modern.authUrlV3}/projects/${p.id}/users/${u.id}/roles/${modern.store.identity.roleByName('member')!.id}`, { token: admin });
    const member = (await loginV3(modern, 'm', 'pw', 'p')).id;
    const denied = await call('GET', `${modern.url}/compute/v2/x/admin-only`, { token: member });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.forbidden.code, 403);
  });

  test('errors: thrown 404, unknown path 404, wrong method 405, bugs 500 kept for the test', async () => {
    const token = (await loginV2(legacy)).token.id;
    const nf = await call('GET', `${legacy.url}/compute/v2/x/things/7`, { token });
    assert.deepEqual(nf.body, { itemNotFound: { code: 404, message: 'Thing 7 could not be found.' } });
    assert.equal((await call('GET', `${legacy.url}/compute/v2/x/nope`, { token })).body.itemNotFound.code, 404);
    const wm = await call('DELETE', `${legacy.url}/compute/v2/x/whoami`, { token });
    assert.equal(wm.status, 405);
    assert.equal(wm.body.badMethod.code, 405);
    const bug = await call('GET', `${legacy.url}/compute/v2/x/broken`, { token });
    assert.equal(bug.status, 500);
    assert.equal(bug.body.computeFault.code, 500);
    assert.equal(legacy.handlerErrors.length, 1);
    const bad = await fetch(`${legacy.url}/compute/v2/x/build`, { method: 'POST', headers: { 'X-Auth-Token': token }, body: 'not json' });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as any).badRequest.code, 400);
  });

  test('transitions run on the clock; settle() waits for them', async () => {
    const token = (await loginV2(legacy)).token.id;
    // Real time: the transition waits 2 s, so BUILD is observable; flush() runs it now.
    legacy.setKnobs({ timeScale: 1 });
    assert.equal((await call('POST', `${legacy.url}/compute/v2/x/build`, { token, body: { name: 'vm' } })).status, 202);
    assert.equal(built.at(-1)?.status, 'BUILD');
    assert.equal(legacy.pendingTransitions(), 1);
    legacy.flush();
    assert.equal(built.at(-1)?.status, 'ACTIVE');
    // Scaled time: settle() waits for the (2 ms) transition.
    legacy.setKnobs({ timeScale: 0.001 });
    await call('POST', `${legacy.url}/compute/v2/x/build`, { token, body: { name: 'vm2' } });
    await legacy.settle();
    assert.equal(built.at(-1)?.status, 'ACTIVE');
    assert.equal(legacy.pendingTransitions(), 0);
  });

  test('streamed data is the generated content, also when rate-limited', async () => {
    const token = (await loginV2(legacy)).token.id;
    const direct = Buffer.from(await (await fetch(`${legacy.url}/compute/v2/x/data`, { headers: { 'X-Auth-Token': token } })).arrayBuffer());
    assert.equal(direct.length, 200_000);
    legacy.setKnobs({ imageRateBps: 2_000_000 });
    const limited = Buffer.from(await (await fetch(`${legacy.url}/compute/v2/x/data`, { headers: { 'X-Auth-Token': token } })).arrayBuffer());
    legacy.setKnobs({ imageRateBps: 0 });
    assert.equal(createHash('md5').update(limited).digest('hex'), createHash('md5').update(direct).digest('hex'));
  });
});
