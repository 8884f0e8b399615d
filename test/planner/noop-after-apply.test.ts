import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { at, changes, run } from './fixtures/helpers.js';
import { desired, tenant } from './fixtures/manifest.js';
import { neutronClouds } from './fixtures/neutron-clouds.js';
import { fakeApply } from './fixtures/fake-apply.js';

const HOST = { name: 'node-1', environment: 'new', roles: ['compute'], layout: { kind: 'plugin' as const } };

describe('plan after apply', () => {
  for (const sourceAfter of ['keep', 'stop', 'delete'] as const) {
    test(`a full apply leaves nothing to do (source_after ${sourceAfter})`, () => {
      const c = neutronClouds();
      const want = desired({ tenants: [tenant('acme', { sourceAfter })], hosts: [HOST] });
      const first = run({ desired: want, source: c.source, destination: c.destination, fuel: c.fuel });
      assert.ok(changes(first).length > 40);
      const r = fakeApply(first, c.source, c.destination, c.fuel);
      const again = run({ desired: want, source: r.source, destination: r.destination, fuel: r.fuel, prior: r.state });
      assert.deepEqual(changes(again).map((a) => `${a.action} ${a.address}`), []);
      assert.equal(again.summary.total, 0);
      assert.equal(again.applyable, false, 'nothing to apply');
      assert.deepEqual(again.drift, []);
      assert.deepEqual(again.prior_state, { lineage: 'lineage-1', serial: 1 });
      assert.ok(again.actions.length > 0, 'already-migrated objects are listed as no-ops');
    });
  }

  test('without state, objects carrying our marker are adopted, never made again', () => {
    const c = neutronClouds();
    const want = desired({ tenants: [tenant('acme')] });
    const first = run({ desired: want, source: c.source, destination: c.destination });
    const r = fakeApply(first, c.source, c.destination);
    const again = run({ desired: want, source: r.source, destination: r.destination, prior: null });
    // A legacy source's keypair set (owner_keypairs) is, like a password hash, known done only
    // from state: it is listed again as the owner, which imports nothing twice (it adopts).
    const made = again.actions.filter((a) => (a.action === 'create' || a.action === 'migrate') && a.kind !== 'owner_keypairs');
    assert.deepEqual(made.map((a) => a.address), []);
    assert.equal(at(again, 'user[alice].owner_keypairs').action, 'create');
    const server = at(again, 'tenant[acme].server[web-1]');
    assert.equal(server.action, 'adopt');
    assert.equal(server.reason.code, 'found_half_made');
    // A password hash leaves no trace in the destination: only state can say it was copied.
    assert.equal(at(again, 'user[alice].password_hash').action, 'update');
  });

  test('a half-made copy (server not running) is completed, not adopted', () => {
    const c = neutronClouds();
    const want = desired({ tenants: [tenant('acme')] });
    const first = run({ desired: want, source: c.source, destination: c.destination });
    const r = fakeApply(first, c.source, c.destination);
    const i = r.destination.servers.findIndex((s) => s.marker?.sourceId === 's-sv-web1');
    r.destination.servers[i] = { ...r.destination.servers[i]!, status: 'BUILD' };
    const again = run({ desired: want, source: r.source, destination: r.destination, prior: null });
    const web = at(again, 'tenant[acme].server[web-1]');
    assert.equal(web.action, 'migrate');
    assert.equal(web.destination?.id, r.destination.servers[i]!.id);
  });

  test('an action state marks pending or tainted is redone, naming the step it stopped at', () => {
    const c = neutronClouds();
    const want = desired({ tenants: [tenant('acme')] });
    const first = run({ desired: want, source: c.source, destination: c.destination });
    const r = fakeApply(first, c.source, c.destination);
    const objects = r.state.objects.map((o) =>
      o.address === 'tenant[acme].volume[scratch]' ? { ...o, status: 'pending' as const, pending: { step: 'transfer', at: '2026-11-26T13:00:00Z' } } : o,
    );
    const again = run({ desired: want, source: r.source, destination: r.destination, prior: { ...r.state, objects } });
    const vol = at(again, 'tenant[acme].volume[scratch]');
    assert.equal(vol.action, 'migrate');
    assert.equal(vol.reason.code, 'tainted_in_state');
    assert.match(vol.reason.text, /pending at step transfer/);
    assert.equal(at(again, 'tenant[acme].admin_membership', 'grant').action, 'grant');
    assert.equal(changes(again).length, 3, 'the volume and its tenant grant/revoke');
  });

  test('a grant an earlier apply never revoked is revoked', () => {
    const c = neutronClouds();
    const want = desired({ tenants: [tenant('acme')] });
    const first = run({ desired: want, source: c.source, destination: c.destination });
    const r = fakeApply(first, c.source, c.destination);
    const objects = r.state.objects.map((o) => (o.kind === 'admin_membership' ? { ...o, status: 'ready' as const } : o));
    const again = run({ desired: want, source: r.source, destination: r.destination, prior: { ...r.state, objects } });
    assert.deepEqual(changes(again).map((a) => `${a.action} ${a.address}`), ['revoke tenant[acme].admin_membership']);
  });
});
