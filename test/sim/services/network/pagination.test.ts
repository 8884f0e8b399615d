import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generate } from '../../../../src/sim/index.js';
import { expectHttpError } from '../../../contract/suite/expect-error.js';
import { neutronCloud } from './helpers.js';

describe('simulated Neutron: pagination (legacy-apis.md §0.3) and filter validation', () => {
  it('legacy (allow_pagination False): limit and marker are ignored, the full list comes back without links; the client still gets everything once', async () => {
    for (const label of ['havana:neutron', 'juno:neutron'] as const) {
      const t = await neutronCloud(label);
      try {
        for (let i = 0; i < 5; i++) await t.neutron.networks.create({ name: `n${i}` });
        const all = (await t.raw('GET', '/networks')).body.networks;
        assert.equal(all.length, 6);
        const paged = await t.raw('GET', `/networks?limit=2&marker=${all[0].id}`);
        assert.equal(paged.body.networks.length, 6, 'limit and marker ignored');
        assert.equal('networks_links' in paged.body, false);
        assert.equal((await t.raw('GET', '/networks?limit=abc')).status, 200, 'a bad limit is not even parsed');
        assert.equal((await t.raw('GET', '/networks?marker=not-there')).status, 200);
        assert.equal((await t.raw('GET', '/networks?bogus=1')).status, 200, 'unknown filters are ignored before filter-validation');
        const ids = (await t.neutron.networks.list()).map((n) => n.id);
        assert.equal(ids.length, 6);
        assert.equal(new Set(ids).size, 6);
      } finally {
        await t.close();
      }
    }
  });

  it('modern: pages by id with networks_links (next on a full page, previous always, as Zed); the client walks every page; bad limit 400, unknown marker 404, unknown filter 400', async () => {
    const t = await neutronCloud('modern:neutron');
    try {
      for (let i = 0; i < 6; i++) await t.neutron.networks.create({ name: `n${i}` });
      const sorted = (await t.raw('GET', '/networks')).body.networks.map((n: { id: string }) => n.id);
      assert.deepEqual(sorted, [...sorted].sort(), 'id order');
      const first = await t.raw('GET', '/networks?limit=3');
      assert.deepEqual(first.body.networks.map((n: { id: string }) => n.id), sorted.slice(0, 3));
      const links = first.body.networks_links as Array<{ rel: string; href: string }>;
      assert.deepEqual(links.map((l) => l.rel), ['next', 'previous']);
      const next = new URL(links[0]!.href);
      assert.equal(next.pathname, '/network/v2.0/networks');
      assert.equal(next.searchParams.get('marker'), sorted[2]);
      const second = await t.raw('GET', `/networks?limit=3&marker=${sorted[2]}`);
      assert.deepEqual(second.body.networks.map((n: { id: string }) => n.id), sorted.slice(3, 6));
      const third = await t.raw('GET', `/networks?limit=3&marker=${sorted[5]}`);
      assert.deepEqual(third.body.networks.map((n: { id: string }) => n.id), sorted.slice(6));
      assert.deepEqual(third.body.networks_links.map((l: { rel: string }) => l.rel), ['previous'], 'a short page ends the walk');
      const full = await t.raw('GET', '/networks?limit=7');
      assert.equal(full.body.networks_links[0].rel, 'next', 'a full page links on even when nothing follows');
      const after = await t.raw('GET', `/networks?limit=7&marker=${sorted[6]}`);
      assert.deepEqual(after.body.networks, []);
      assert.deepEqual(after.body.networks_links.map((l: { rel: string }) => l.rel), ['previous']);
      const filtered = await t.raw('GET', '/networks?limit=2&name=n1&name=n4');
      assert.equal(filtered.body.networks.length, 2);
      assert.ok(filtered.body.networks_links[0].href.includes('name=n1'), 'filters stay in the next link');

      assert.deepEqual((await t.raw('GET', '/networks?limit=abc')).body.NeutronError, {
        type: 'BadRequest', message: "Bad limit request: Limit must be an integer 0 or greater and not 'abc'.", detail: '',
      });
      assert.equal((await t.raw('GET', '/networks?limit=0')).body.networks.length, 7, 'limit=0 is no limit');
      await expectHttpError(t.neutron.networks.list({ marker: '00000000-0000-4000-8000-000000000000', limit: 2 }), { status: 404, service: 'network', cloud: 'modern:neutron', faultType: 'NetworkNotFound' });
      assert.equal((await t.raw('GET', '/networks?bogus=1')).body.NeutronError.message, "['bogus'] is invalid attribute for filtering");

      const names = (await t.neutron.networks.list()).map((n) => n.name);
      assert.equal(names.length, 7);
    } finally {
      await t.close();
    }
  });

  it('a generated cloud: the client pages through every port of the modern profile in id order without duplicates; Juno answers it in one response', async () => {
    for (const label of ['modern:neutron', 'juno:neutron'] as const) {
      const t = await neutronCloud(label);
      try {
        await generate(t.cloud.store, { tenants: 450, serversPerTenant: 2, usersPerTenant: 1, volumesPerTenant: 0, imagesPerTenant: 0, publicImages: 0, floatingIpsPerTenant: 0 });
        const stored = t.cloud.store.ports.size;
        assert.ok(stored > 1000, `more ports (${stored}) than one page of the client (1000)`);
        const before = t.cloud.stats().requests['network']?.['GET'] ?? 0;
        const ports = await t.neutron.ports.list();
        const calls = (t.cloud.stats().requests['network']?.['GET'] ?? 0) - before;
        assert.equal(ports.length, stored);
        assert.equal(new Set(ports.map((p) => p.id)).size, stored);
        const ids = ports.map((p) => p.id);
        assert.deepEqual(ids, [...ids].sort());
        assert.equal(calls, label === 'modern:neutron' ? Math.ceil(stored / 1000) + (stored % 1000 === 0 ? 1 : 0) : 1);
        const bound = ports.filter((p) => p.deviceOwner === 'compute:nova');
        assert.equal(bound.length, 900);
        assert.ok(bound.every((p) => p.bindingHostId?.startsWith(`${t.cloud.name}-compute-`)), 'bound to a compute host');
      } finally {
        await t.close();
      }
    }
  });
});
