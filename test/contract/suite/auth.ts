import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Session, type CloudCredentials } from '../../../src/openstack/index.js';
import { area } from './area.js';
import type { ContractRun } from './contract-run.js';
import { expectAuthFailed } from './expect-error.js';

/** The auth URL without its version segment (`http://h:5000/v3` -> `http://h:5000`). */
export function unversioned(authUrl: string): string {
  return authUrl.replace(/\/+$/, '').replace(/\/v(2\.0|3)$/, '');
}

/** Where the target's Keystone v2.0 lives. */
export function v2Url(run: ContractRun): string {
  return run.target.fixtures?.identityV2Url ?? `${unversioned(run.target.credentials.authUrl)}/v2.0`;
}

/** Why v2.0 parts cannot run on this target, when its capabilities say so; false otherwise. */
export function v2SkipReason(run: ContractRun): string | false {
  const offered = run.target.capabilities.identity;
  if (offered === undefined || offered.includes('2.0')) return false;
  return run.target.notes?.['identity-v2'] ?? `${run.target.name} serves Keystone ${offered.join(', ')} only (v2.0 was removed in Queens); v2.0 runs on the simulator's legacy profiles`;
}

const probes = new WeakMap<ContractRun, Promise<string | false>>();

/**
 * For targets whose Keystone versions are not declared: asks the version document (one
 * unauthenticated GET, cached per run) and answers a skip reason when it lists no v2.0.
 */
export function v2Probe(run: ContractRun): () => Promise<string | false> {
  return () => {
    if (run.target.capabilities.identity !== undefined) return Promise.resolve(v2SkipReason(run));
    let p = probes.get(run);
    if (!p) {
      p = (async () => {
        if (run.target.fixtures?.identityV2Url) return false;
        const res = await run.cloud.session.request({ service: 'identity', method: 'GET', url: `${unversioned(run.target.credentials.authUrl)}/`, authenticated: false, okStatuses: [300] });
        const text = JSON.stringify(res.data ?? {});
        return /"id":\s*"v2\.0"/.test(text) ? false : `${run.target.name}: Keystone's version document lists no v2.0`;
      })();
      probes.set(run, p);
    }
    return p;
  };
}

/** Logs in, checks the token and catalog, and that refused logins never leak the password. */
export function authArea(run: ContractRun): void {
  const expected = run.target.capabilities;
  area(run, 'auth and catalog', {}, (a) => {
    a.step('logs in with the target credentials and scopes the token to their project', async () => {
      const s = run.cloud.session;
      const creds = run.target.credentials;
      if (expected.identity) assert.equal(s.identityVersion, expected.identity[0]);
      assert.match(s.userId, /^[0-9a-f]{32}$|^[0-9a-f-]{36}$/, 'user id');
      if (creds.projectName) assert.equal(s.projectName, creds.projectName);
      if (creds.projectId) assert.equal(s.projectId, creds.projectId);
      assert.ok(s.projectId, 'the token is scoped to a project');
      assert.ok(s.roles.includes('admin'), `the admin role on the project (roles: ${s.roles.join(', ')})`);
    });

    a.step('the catalog has an absolute URL for every service the target offers', async () => {
      const s = run.cloud.session;
      const types = ['identity', 'compute', 'image'];
      if (run.cloud.capabilities.network === 'neutron') types.push('network');
      if (run.cloud.capabilities.volumeServiceType) types.push(run.cloud.capabilities.volumeServiceType);
      for (const type of types) {
        const url = s.endpoint(type);
        assert.match(url, /^https?:\/\/[^/]+/, `${type} endpoint`);
        assert.ok(!/%\(|\$\(/.test(url), `${type} URL template was filled in: ${url}`);
      }
      const volumeUrl = run.cloud.capabilities.volumeServiceType ? s.endpoint(run.cloud.capabilities.volumeServiceType) : undefined;
      if (volumeUrl && run.cloud.capabilities.volumeVersion !== '3') assert.ok(volumeUrl.includes(s.projectId as string), 'Cinder URLs carry the project id');
    });

    a.step('discovers what the target is expected to offer', async () => {
      const c = run.cloud.capabilities;
      if (expected.identity) assert.equal(c.identityVersion, expected.identity[0]);
      if (expected.network) assert.equal(c.network, expected.network);
      if (expected.image) assert.equal(c.imageVersion, expected.image);
      if (expected.volume !== undefined) assert.equal(c.volumeVersion, expected.volume);
      if (expected.computeMicroversions !== undefined) assert.equal(c.computeMicroversion !== null, expected.computeMicroversions);
      if (c.network === 'neutron') {
        assert.ok(c.networkExtensions.includes('router'), 'Neutron has the router extension');
        assert.ok(c.networkExtensions.includes('external-net'), 'Neutron has the external-net extension');
      } else {
        assert.deepEqual(c.networkExtensions, []);
        assert.equal(run.cloud.network, undefined);
        assert.ok(run.cloud.novaNetwork, 'the nova-network client is there');
      }
    });

    a.step('finds the Keystone API from an unversioned auth URL', async () => {
      const creds: CloudCredentials = { ...run.target.credentials, authUrl: unversioned(run.target.credentials.authUrl) };
      const s = await Session.login(creds, { name: run.target.name });
      try {
        assert.equal(s.identityVersion, expected.identity?.includes('3') === false ? '2.0' : '3');
        assert.equal(s.projectId, run.cloud.session.projectId);
      } finally {
        await s.close();
      }
    });

    a.step(
      'logs in with Keystone v2.0 (tenant-scoped token, v2.0 catalog)',
      async () => {
        const s = await Session.login({ ...run.target.credentials, authUrl: v2Url(run) }, { name: run.target.name });
        try {
          assert.equal(s.identityVersion, '2.0');
          assert.equal(s.userName, run.target.credentials.username);
          assert.equal(s.projectId, run.cloud.session.projectId, 'the same project as the main session');
          assert.ok(s.roles.includes('admin'));
          assert.match(s.endpoint('compute'), /^https?:\/\//);
        } finally {
          await s.close();
        }
      },
      { skip: v2SkipReason(run), skipIf: v2Probe(run) },
    );

    a.step('a wrong password is PH_AUTH_FAILED (Keystone v3) without the password in the error', async (t) => {
      if (run.cloud.session.identityVersion !== '3' && !expected.identity?.includes('3')) return t.skip('the target has no Keystone v3');
      const wrong = `phc-wrong-${randomBytes(6).toString('hex')}`;
      const creds = { ...run.target.credentials, authUrl: `${unversioned(run.target.credentials.authUrl)}/v3`, password: wrong };
      await expectAuthFailed(Session.login(creds, { name: run.target.name }), creds.username, wrong);
    });

    a.step(
      'a wrong password is PH_AUTH_FAILED (Keystone v2.0) without the password in the error',
      async () => {
        const wrong = `phc-wrong-${randomBytes(6).toString('hex')}`;
        const creds = { ...run.target.credentials, authUrl: v2Url(run), password: wrong };
        await expectAuthFailed(Session.login(creds, { name: run.target.name }), creds.username, wrong);
      },
      { skip: v2SkipReason(run), skipIf: v2Probe(run) },
    );
  });
}
