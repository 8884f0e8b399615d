import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CloudHttpError, type Cloud, type CloudRequest } from '../../../src/openstack/index.js';
import { KeystoneMarked } from '../../../src/kinds/identity/index.js';

type Route = (req: CloudRequest) => { status: number; data: unknown };

/** A Cloud whose session answers identity requests from `route`, recording them. */
function fakeCloud(version: '2.0' | '3', route: Route): { cloud: Cloud; requests: CloudRequest[] } {
  const requests: CloudRequest[] = [];
  const session = {
    identityVersion: version,
    authUrl: version === '3' ? 'http://ks:5000/v3' : 'http://ks:5000/v2.0',
    hasEndpoint: () => true,
    endpoint: () => 'http://ks:35357/v2.0',
    request: async (req: CloudRequest) => {
      requests.push(req);
      const { status, data } = route(req);
      const call = { cloud: 'destination', service: 'identity', method: req.method, path: new URL(req.url).pathname, requestId: undefined };
      if (status >= 400) throw new CloudHttpError({ ...call, status, ambiguous: false, cloudMessage: 'no', faultType: undefined });
      return { status, headers: {}, data, text: JSON.stringify(data), call };
    },
  };
  return { cloud: { session } as unknown as Cloud, requests };
}

const marker = { sourceId: 'src-p1', kind: 'project' };

describe('KeystoneMarked', () => {
  it('v3: sends the marker as extra attributes and in the description, and reads it back on lookup', async () => {
    const { cloud, requests } = fakeCloud('3', (req) =>
      req.method === 'POST'
        ? { status: 201, data: { project: { id: 'd1', name: 'acme', description: 'a', enabled: true, domain_id: 'default', pumphouse_source: 'src-p1', pumphouse_kind: 'project' } } }
        : { status: 200, data: { projects: [{ id: 'd1', name: 'acme', description: 'a', enabled: true, extra: { pumphouse_source: 'src-p1', pumphouse_kind: 'project' } }] } },
    );
    const ks = new KeystoneMarked(cloud);
    const made = await ks.createProject({ name: 'acme', description: 'a', enabled: true }, marker);
    assert.deepEqual(made.marker, marker);
    assert.deepEqual(requests[0]!.json, {
      project: { name: 'acme', description: 'a [pumphouse_source=src-p1 kind=project]', enabled: true, domain_id: 'default', pumphouse_source: 'src-p1', pumphouse_kind: 'project' },
    });
    assert.equal(requests[0]!.url, 'http://ks:5000/v3/projects');
    const found = await ks.findProject('acme');
    assert.deepEqual(found?.marker, marker, 'a marker nested in `extra` is read too');
    assert.deepEqual(requests[1]!.query, { name: 'acme', domain_id: 'default' });
  });

  it('v2.0: marks tenants in the description on the admin endpoint, and hides the suffix when read', async () => {
    const { cloud, requests } = fakeCloud('2.0', (req) => {
      if (req.method === 'POST') {
        const t = (req.json as { tenant: Record<string, unknown> }).tenant;
        return { status: 200, data: { tenant: { ...t, id: t['id'] ?? 'd2' } } };
      }
      return req.query?.['name'] === 'acme'
        ? { status: 200, data: { tenant: { id: 'd2', name: 'acme', description: 'a [pumphouse_source=src-p1 kind=project]', enabled: true } } }
        : { status: 404, data: {} };
    });
    const ks = new KeystoneMarked(cloud);
    const made = await ks.createProject({ name: 'acme', description: 'a', enabled: true, id: 'keep-me' }, marker);
    assert.equal(requests[0]!.url, 'http://ks:35357/v2.0/tenants');
    assert.deepEqual(requests[0]!.json, { tenant: { name: 'acme', description: 'a [pumphouse_source=src-p1 kind=project]', enabled: true, id: 'keep-me' } });
    assert.deepEqual([made.id, made.description, made.marker], ['keep-me', 'a', marker]);
    assert.deepEqual((await ks.findProject('acme'))?.marker, marker);
    assert.equal(await ks.findProject('other'), undefined, 'v2.0 answers an unknown name with 404');
  });

  it('users: throwaway password and marker in one request; v2.0 names the default tenant tenantId', async () => {
    const { cloud, requests } = fakeCloud('2.0', (req) => ({ status: 200, data: { user: { id: 'u1', name: 'alice', enabled: true, ...(req.json as { user: object }).user } } }));
    const u = await new KeystoneMarked(cloud).createUser({ name: 'alice', password: 'pw', email: null, enabled: true, defaultProjectId: 'd2' }, { sourceId: 'src-u1', kind: 'user' });
    assert.deepEqual(requests[0]!.json, {
      user: { name: 'alice', password: 'pw', enabled: true, description: '[pumphouse_source=src-u1 kind=user]', pumphouse_source: 'src-u1', pumphouse_kind: 'user', tenantId: 'd2' },
    });
    assert.equal(u.description, '', 'the suffix is hidden when read back');
    assert.deepEqual(u.marker, { sourceId: 'src-u1', kind: 'user' });
    assert.equal(u.defaultProjectId, 'd2');
  });
});

describe('KeystoneMarked and discovery', () => {
  it('a marker only in the description (what the identity client shows discovery) is read too', async () => {
    const { cloud } = fakeCloud('3', () => ({ status: 200, data: { users: [{ id: 'u1', name: 'alice', description: 'x [pumphouse_source=src-u1 kind=user]' }] } }));
    const u = await new KeystoneMarked(cloud).findUser('alice');
    assert.deepEqual([u?.marker, u?.description], [{ sourceId: 'src-u1', kind: 'user' }, 'x']);
  });
});
