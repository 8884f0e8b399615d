import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { at, run } from './fixtures/helpers.js';
import { desired, tenant } from './fixtures/manifest.js';
import { neutronClouds } from './fixtures/neutron-clouds.js';
import { plan } from '../../src/planner/index.js';
import { planOptions } from './fixtures/manifest.js';

describe('plan: manifest scope', () => {
  test('an unknown tenant is an error naming the manifest entry; the plan is not applyable', () => {
    const c = neutronClouds();
    const p = run({ desired: desired({ tenants: [tenant('acme'), tenant('ghost')] }), source: c.source, destination: c.destination });
    assert.deepEqual(
      p.diagnostics.filter((d) => d.severity === 'error').map((d) => d.summary),
      ['manifest tenants[ghost]: tenant name ghost not found in the source cloud'],
    );
    assert.equal(p.applyable, false);
    assert.equal(p.complete, false);
    assert.ok(at(p, 'tenant[acme]'), 'the rest is still planned, for review');
  });

  test('the caller may say where entries are in the manifest file', () => {
    const c = neutronClouds();
    const p = plan({
      desired: desired({ tenants: [tenant('ghost')] }),
      entries: { tenants: new Map([['ghost', 'manifest.yaml:7']]) },
      source: c.source,
      destination: c.destination,
      prior: null,
      options: planOptions(),
    });
    assert.match(p.diagnostics[0]!.summary, /^manifest manifest\.yaml:7: tenant/);
  });

  test('tenants by id; server selection limits servers and their volumes', () => {
    const c = neutronClouds();
    const t = tenant('id:s-p-acme', { ref: { by: 'id', value: 's-p-acme' }, servers: { kind: 'some', refs: [{ by: 'name-or-id', value: 'web-1' }, { by: 'name', value: 'nope' }] } });
    const p = run({ desired: desired({ tenants: [t] }), source: c.source, destination: c.destination });
    const servers = p.actions.filter((a) => a.kind === 'server').map((a) => a.address);
    assert.deepEqual(servers, ['tenant[acme].server[web-1]']);
    assert.ok(!p.actions.some((a) => a.address === 'tenant[acme].volume[data]'), 'attached to db-1, which stays');
    assert.ok(at(p, 'tenant[acme].volume[scratch]'), 'detached volumes go with the tenant');
    assert.ok(p.diagnostics.some((d) => d.severity === 'error' && d.summary === 'manifest tenants[id:s-p-acme]: server name nope not found in this tenant'));
  });

  test('a tenant gone from the source that state records as migrated is only a warning', () => {
    const c = neutronClouds();
    const prior = {
      version: 1 as const,
      pumphouse_version: '0.1.0',
      lineage: 'l',
      serial: 3,
      objects: [
        {
          address: 'tenant[gone]',
          kind: 'project',
          source_id: 's-p-gone',
          destination_id: 'd-p-gone',
          status: 'ready' as const,
          step: 'create',
          steps_done: ['create'],
          pending: null,
          attributes: {},
          error: null,
          plan_id: null,
          action_id: null,
          updated_at: '2026-11-01T00:00:00Z',
        },
      ],
      temporaries: [],
      history: [],
    };
    const p = run({ desired: desired({ tenants: [tenant('gone')] }), source: c.source, destination: c.destination, prior });
    assert.deepEqual(p.diagnostics.map((d) => d.severity), ['warning']);
    assert.deepEqual(p.prior_state, { lineage: 'l', serial: 3 });
  });

  test('public images: none, or a list', () => {
    const c = neutronClouds();
    const none = run({ desired: desired({ images: { public: { kind: 'none' } } }), source: c.source, destination: c.destination });
    assert.ok(!none.actions.some((a) => a.address.startsWith('image[')));
    assert.ok(at(none, 'tenant[acme].image[web-1-snap]'), 'private images always go');
    const some = run({ desired: desired({ images: { public: { kind: 'some', refs: [{ by: 'name', value: 'ubuntu' }, { by: 'id', value: 'nope' }] } } }), source: c.source, destination: c.destination });
    assert.deepEqual(some.actions.filter((a) => a.address.startsWith('image[')).map((a) => a.address), ['image[ubuntu]']);
    assert.ok(some.diagnostics.some((d) => d.severity === 'error' && d.summary.includes('id nope')));
  });

  test('duplicate names get a short id suffix', () => {
    const c = neutronClouds();
    c.source.servers.push({ ...c.source.servers[0]!, id: 'x-dup-0001', addresses: [], securityGroupNames: [], keyName: null });
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    const names = p.actions.filter((a) => a.kind === 'server').map((a) => a.address);
    assert.ok(names.includes('tenant[acme].server[web-1#s-sv-web]'));
    assert.ok(names.includes('tenant[acme].server[web-1#x-dup-00]'));
  });
});

describe('plan: destination requirements', () => {
  test('a nova-network destination is an error', () => {
    const c = neutronClouds();
    c.destination.capabilities = { ...c.destination.capabilities, networkModel: 'nova-network' };
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.ok(p.diagnostics.some((d) => d.severity === 'error' && d.summary.includes('Neutron destinations only')));
    assert.equal(p.applyable, false);
  });
});
