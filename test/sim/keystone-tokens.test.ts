import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SimCloud } from '../../src/sim/index.js';
import { call, cloudOf, loginV2, loginV3 } from './helpers.js';

describe('Keystone tokens', () => {
  let havana: SimCloud;
  let juno: SimCloud;
  let modern: SimCloud;
  before(async () => {
    havana = await cloudOf('havana:nova-network:flatdhcp');
    juno = await cloudOf('juno:neutron');
    modern = await cloudOf('modern:neutron');
  });
  after(async () => {
    await Promise.all([havana.close(), juno.close(), modern.close()]);
  });

  test('token formats follow the release: PKI blobs, UUIDs, fernet-like', async () => {
    const pki = (await loginV2(havana)).token.id as string;
    assert.ok(pki.startsWith('MII') && pki.length > 2000, `PKI token of ${pki.length} chars`);
    const uuid = (await loginV2(juno)).token.id as string;
    assert.match(uuid, /^[0-9a-f]{32}$/);
    const fernet = (await loginV3(modern)).id;
    assert.match(fernet, /^gAAAAA[\w-]+$/);
  });

  test('v2.0 token: 200, expires per release, roles by name, role ids in metadata', async () => {
    const before = Date.now();
    const access = await loginV2(havana);
    const ttl = Date.parse(access.token.expires) - before;
    assert.ok(ttl > 86_000_000 && ttl <= 86_401_000, `havana lifetime ${ttl}`);
    const juTtl = Date.parse((await loginV2(juno)).token.expires) - before;
    assert.ok(juTtl > 3_500_000 && juTtl <= 3_601_000, `juno lifetime ${juTtl}`);
    assert.deepEqual(access.user.roles, [{ name: 'admin' }]);
    assert.equal(access.user.username, 'admin');
    assert.equal(access.metadata.roles.length, 1);
    assert.match(access.metadata.roles[0], /^[0-9a-f]{32}$/);
  });

  test('v2.0 rescoping by token keeps the user and the expiry', async () => {
    const unscoped = await loginV2(juno, 'admin', 'admin', null);
    const r = await call('POST', `${juno.authUrlV2}/tokens`, { body: { auth: { token: { id: unscoped.token.id }, tenantName: 'admin' } } });
    assert.equal(r.status, 200);
    assert.equal(r.body.access.token.tenant.name, 'admin');
    assert.equal(r.body.access.token.expires, unscoped.token.expires);
  });

  test('v3 token: 201 + X-Subject-Token, validation with GET/HEAD, revocation with DELETE', async () => {
    const { id, token } = await loginV3(modern);
    assert.deepEqual(token.methods, ['password']);
    assert.equal(token.user.domain.id, 'default');
    assert.equal(token.project.name, 'admin');
    assert.deepEqual(token.roles.map((r: any) => r.name).sort(), ['admin', 'member', 'reader']);
    const admin = (await loginV3(modern)).id;
    const v = await call('GET', `${modern.authUrlV3}/auth/tokens`, { token: admin, headers: { 'X-Subject-Token': id } });
    assert.equal(v.status, 200);
    assert.equal(v.body.token.user.id, token.user.id);
    assert.equal((await call('HEAD', `${modern.authUrlV3}/auth/tokens`, { token: admin, headers: { 'X-Subject-Token': id } })).status, 200);
    assert.equal((await call('DELETE', `${modern.authUrlV3}/auth/tokens`, { token: admin, headers: { 'X-Subject-Token': id } })).status, 204);
    const gone = await call('GET', `${modern.authUrlV3}/auth/tokens`, { token: admin, headers: { 'X-Subject-Token': id } });
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.body, { error: { code: 404, title: 'Not Found', message: 'Could not recognize Fernet token' } });
  });

  test('wrong password: 401 with a Keystone error body and WWW-Authenticate', async () => {
    const v2 = await call('POST', `${juno.authUrlV2}/tokens`, { body: { auth: { passwordCredentials: { username: 'admin', password: 'nope' }, tenantName: 'admin' } } });
    assert.equal(v2.status, 401);
    assert.equal(v2.body.error.code, 401);
    assert.equal(v2.body.error.title, 'Unauthorized');
    assert.match(v2.headers.get('www-authenticate') ?? '', /^Keystone uri=/);
    const v3 = await call('POST', `${modern.authUrlV3}/auth/tokens`, { body: { auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: 'x' } } } } } });
    assert.equal(v3.status, 401);
    assert.deepEqual(v3.body, { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } });
    const bad = await call('POST', `${juno.authUrlV2}/tokens`, { body: { auth: {} } });
    assert.equal(bad.status, 400);
  });

  test('modern serves no v2.0; its version document lists v3 only', async () => {
    const r = await call('POST', `${modern.url}/identity/v2.0/tokens`, { body: { auth: { passwordCredentials: { username: 'admin', password: 'admin' } } } });
    assert.equal(r.status, 404);
    const versions = await call('GET', `${modern.url}/identity/`);
    assert.equal(versions.status, 300);
    assert.deepEqual(versions.body.versions.values.map((v: any) => v.id), ['v3.14']);
    const legacy = await call('GET', `${juno.url}/identity/`);
    assert.deepEqual(legacy.body.versions.values.map((v: any) => v.id).sort(), ['v2.0', 'v3.0']);
  });

  test('expiry: tokenExpireAfterMs and expireTokens() make tokens fail with 401', async () => {
    const access = await loginV2(juno);
    const adminUrl = `${juno.adminUrlV2}/tenants`;
    assert.equal((await call('GET', adminUrl, { token: access.token.id })).status, 200);
    assert.equal(juno.expireTokens() >= 1, true);
    const expired = await call('GET', adminUrl, { token: access.token.id });
    assert.equal(expired.status, 401);
    juno.setKnobs({ tokenExpireAfterMs: 0 });
    try {
      const short = await loginV2(juno);
      assert.equal((await call('GET', adminUrl, { token: short.token.id })).status, 401);
    } finally {
      juno.setKnobs({ tokenExpireAfterMs: null });
    }
    const fresh = await loginV2(juno);
    assert.equal((await call('GET', adminUrl, { token: fresh.token.id })).status, 200);
  });

  test('a disabled user or a deleted project invalidates tokens', async () => {
    const { id } = await loginV3(modern);
    const admin = (await loginV3(modern)).id;
    const p = await call('POST', `${modern.authUrlV3}/projects`, { token: admin, body: { project: { name: 'temp' } } });
    const u = await call('POST', `${modern.authUrlV3}/users`, { token: admin, body: { user: { name: 'tempuser', password: 'pw', default_project_id: p.body.project.id } } });
    const member = modern.store.identity.roleByName('member')!;
    assert.equal((await call('PUT', `${modern.authUrlV3}/projects/${p.body.project.id}/users/${u.body.user.id}/roles/${member.id}`, { token: admin })).status, 204);
    const userToken = (await loginV3(modern, 'tempuser', 'pw', 'temp')).id;
    const check = () => call('GET', `${modern.authUrlV3}/auth/tokens`, { token: admin, headers: { 'X-Subject-Token': userToken } });
    assert.equal((await check()).status, 200);
    await call('PATCH', `${modern.authUrlV3}/users/${u.body.user.id}`, { token: admin, body: { user: { enabled: false } } });
    assert.equal((await check()).status, 404);
    void id;
  });
});
