import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryReporter } from '../../../src/events/index.js';
import { PumphouseError } from '../../../src/errors/index.js';
import { CloudHttpError, CloudTransportError, Session } from '../../../src/openstack/index.js';
import { FakeCloud, creds, fastRetry, send } from '../fake-cloud.js';

const clouds: FakeCloud[] = [];
async function start(opts?: ConstructorParameters<typeof FakeCloud>[0]): Promise<FakeCloud> {
  const c = await FakeCloud.start(opts);
  clouds.push(c);
  return c;
}
after(async () => {
  for (const c of clouds) await c.close();
});

async function login(cloud: FakeCloud, version: 'v3' | 'v2.0' | '' = 'v3', extra: Record<string, unknown> = {}) {
  const fr = fastRetry();
  const reporter = new MemoryReporter();
  const session = await Session.login(creds(cloud, version), { name: 'source', reporter, retry: fr.retry, sleep: fr.sleep, ...extra });
  return { session, reporter, sleeps: fr.sleeps };
}

describe('login and catalog', () => {
  test('v3 password login reads the token, project, user and the modern catalog', async () => {
    const cloud = await start();
    const { session } = await login(cloud);
    assert.equal(session.identityVersion, '3');
    assert.equal(session.projectId, 'p-admin');
    assert.equal(session.userId, 'u-admin');
    assert.deepEqual(session.roles, ['admin']);
    assert.equal(session.endpoint('compute'), `${cloud.url}/compute/v2.1`);
    assert.equal(session.endpoint('volumev3'), `${cloud.url}/volume/v3/p-admin`);
    assert.equal(session.endpoint('identity', { interface: 'admin' }), `${cloud.url}/identity-admin/v3`);
    assert.equal(session.callCount, 1);
    const body = cloud.hits('POST', '/identity/v3/auth/tokens')[0]!.json();
    assert.deepEqual(body.auth.scope, { project: { name: 'admin', domain: { id: 'default' } } });
    assert.deepEqual(body.auth.identity.password.user.domain, { id: 'default' });
    await session.close();
  });

  test('v3 legacy catalog (region only, no service name) is read', async () => {
    const cloud = await start({ catalogShape: 'v3-legacy' });
    const { session } = await login(cloud, 'v3', {});
    assert.equal(session.endpoint('network', { region: 'RegionOne' }), `${cloud.url}/network`);
    assert.equal(session.catalog.find((e) => e.type === 'network')?.name, undefined);
    await session.close();
  });

  test('v2.0 login reads <interface>URL catalog entries and the tenant', async () => {
    const cloud = await start();
    const { session } = await login(cloud, 'v2.0');
    assert.equal(session.identityVersion, '2.0');
    assert.equal(session.projectId, 'p-admin');
    assert.equal(session.endpoint('identity', { interface: 'admin' }), `${cloud.url}/identity-admin/v3`);
    assert.equal(session.endpoint('compute', { interface: 'internal' }), `${cloud.url}/compute/v2.1`);
    const body = cloud.hits('POST', '/identity/v2.0/tokens')[0]!.json();
    assert.equal(body.auth.tenantName, 'admin');
    await session.close();
  });

  test('an unversioned auth URL is discovered (300 Multiple Choices) and v3 preferred', async () => {
    const cloud = await start();
    cloud.on('GET', '/identity/', (_req, res) =>
      send(res, 300, {
        versions: {
          values: [
            { id: 'v3.14', status: 'stable', links: [{ rel: 'self', href: 'http://elsewhere/v3/' }] },
            { id: 'v2.0', status: 'deprecated', links: [] },
          ],
        },
      }),
    );
    const { session } = await login(cloud, '');
    assert.equal(session.identityVersion, '3');
    assert.equal(session.authUrl, `${cloud.url}/identity/v3`);
    assert.equal(session.callCount, 2, 'discovery counts as a call');
    await session.close();
  });

  test('discovery falls back to v2.0 on a cloud without v3', async () => {
    const cloud = await start();
    cloud.on('GET', '/identity/', (_req, res) => send(res, 300, { versions: { values: [{ id: 'v2.0', status: 'stable' }] } }));
    const { session } = await login(cloud, '');
    assert.equal(session.identityVersion, '2.0');
    await session.close();
  });

  test('401 on login is PH_AUTH_FAILED naming the URL and user, never the password', async () => {
    const cloud = await start();
    cloud.rejectLogins = true;
    await assert.rejects(login(cloud), (err: unknown) => {
      assert.ok(PumphouseError.is(err));
      assert.equal(err.code, 'PH_AUTH_FAILED');
      assert.match(err.message, /rejected user "admin"/);
      assert.ok(err.message.includes(`${cloud.url}/identity/v3`));
      assert.ok(!JSON.stringify({ m: err.message, d: err.details }).includes(cloud.password));
      return true;
    });
  });

  test('a catalog without the service gives PH_CATALOG_MISSING', async () => {
    const cloud = await start();
    const { session } = await login(cloud);
    assert.throws(() => session.endpoint('object-store'), (err: unknown) => PumphouseError.is(err) && err.code === 'PH_CATALOG_MISSING');
    assert.throws(() => session.endpoint('compute', { region: 'Nowhere' }), /has: public@RegionOne/);
    await session.close();
  });
});

describe('tokens', () => {
  test('401 from a service re-authenticates once and replays the request', async () => {
    const cloud = await start();
    cloud.on('GET', '/compute/v2.1/flavors', (_req, res) => send(res, 200, { flavors: [] }));
    const { session } = await login(cloud);
    cloud.validTokens.clear(); // the cloud forgot our token (revoked, keystone restarted)
    const res = await session.request({ service: 'compute', method: 'GET', url: `${session.endpoint('compute')}/flavors` });
    assert.deepEqual(res.data, { flavors: [] });
    assert.equal(cloud.logins, 2);
    assert.equal(cloud.hits('GET', '/compute/v2.1/flavors').length, 2);
    await session.close();
  });

  test('a second 401 after re-auth surfaces as CloudHttpError 401', async () => {
    const cloud = await start();
    cloud.on('GET', '/compute/v2.1/flavors', (_req, res) => send(res, 401, 'Authentication required'));
    const { session } = await login(cloud);
    await assert.rejects(session.request({ service: 'compute', method: 'GET', url: `${session.endpoint('compute')}/flavors` }), (err: unknown) => {
      assert.ok(err instanceof CloudHttpError);
      assert.equal(err.status, 401);
      return true;
    });
    assert.equal(cloud.logins, 2, 'exactly one re-auth');
    await session.close();
  });

  test('an expired token is renewed before the request, once', async () => {
    const cloud = await start({ tokenLifetimeS: -1 });
    cloud.on('GET', '/compute/v2.1/flavors', (_req, res) => send(res, 200, { flavors: [] }));
    const { session } = await login(cloud);
    await session.request({ service: 'compute', method: 'GET', url: `${session.endpoint('compute')}/flavors` });
    assert.equal(cloud.logins, 2);
    assert.equal(cloud.hits('GET', '/compute/v2.1/flavors')[0]!.headers['x-auth-token'], 'tok-2');
    await session.close();
  });

  test('concurrent requests share one re-login', async () => {
    const cloud = await start();
    cloud.on('GET', '/compute/v2.1/flavors', (_req, res) => send(res, 200, { flavors: [] }));
    const { session } = await login(cloud);
    cloud.validTokens.clear();
    const url = `${session.endpoint('compute')}/flavors`;
    await Promise.all([1, 2, 3, 4].map(() => session.request({ service: 'compute', method: 'GET', url })));
    assert.equal(cloud.logins, 2);
    await session.close();
  });

  test('scopedTo logs in to another project with the same credentials and caches it', async () => {
    const cloud = await start();
    const { session } = await login(cloud);
    const scoped = await session.scopedTo('p-tenant');
    assert.equal(scoped.projectId, 'p-tenant');
    assert.equal(scoped.endpoint('volumev3'), `${cloud.url}/volume/v3/p-tenant`);
    assert.equal(await session.scopedTo('p-tenant'), scoped);
    assert.equal(await session.scopedTo('p-admin'), session);
    const body = cloud.hits('POST', '/identity/v3/auth/tokens').at(-1)!.json();
    assert.deepEqual(body.auth.scope, { project: { id: 'p-tenant' } });
    assert.equal(scoped.callCount, 1);
    await session.close();
  });
});
