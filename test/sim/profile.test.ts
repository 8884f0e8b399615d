import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProfile, profileFor, SIM_RELEASES } from '../../src/sim/index.js';

describe('profiles', () => {
  test('legacy releases speak Keystone v2.0 and v3, modern only v3', () => {
    for (const r of ['havana', 'icehouse', 'juno'] as const) {
      const p = profileFor(r, 'neutron');
      assert.equal(p.keystoneV2, true, r);
      assert.equal(p.keystoneV3, true, r);
      assert.equal(p.hashScheme, 'sha512_crypt');
      assert.equal(p.neutronPagination, false);
      assert.equal(p.glanceV2OwnerAllowed, false);
      assert.deepEqual(p.cinderVersions, ['1', '2']);
    }
    const m = profileFor('modern', 'neutron');
    assert.equal(m.keystoneV2, false);
    assert.equal(m.hashScheme, 'bcrypt');
    assert.equal(m.novaMaxMicroversion, '2.93');
    assert.deepEqual(m.cinderVersions, ['3']);
    assert.equal(m.neutronPagination, true);
    assert.equal(m.floatingIpAddressChoice, true);
  });

  test('release differences of §7 are encoded', () => {
    const [h, i, j] = (['havana', 'icehouse', 'juno'] as const).map((r) => profileFor(r, 'nova-network:flatdhcp'));
    assert.deepEqual([h!.tokenFormat, i!.tokenFormat, j!.tokenFormat], ['pki', 'pki', 'uuid']);
    assert.deepEqual([h!.tokenLifetimeS, i!.tokenLifetimeS, j!.tokenLifetimeS], [86400, 3600, 3600]);
    assert.deepEqual([h!.novaServerGroups, i!.novaServerGroups], [false, true]);
    assert.deepEqual([h!.v3CatalogRegionId, i!.v3CatalogRegionId, j!.v3CatalogRegionId], [false, false, true]);
    assert.deepEqual([h!.novaNetworkCreateErrorStatus, j!.novaNetworkCreateErrorStatus], [422, 400]);
    assert.deepEqual(j!.novaVersions, ['v2', 'v2.1']);
    assert.equal(j!.novaMaxMicroversion, null);
    assert.equal(h!.v2UsersHaveUsername, false);
    assert.equal(h!.assignmentStorage, 'metadata-json');
    assert.equal(j!.novaNetworkApis, true);
  });

  test('parseProfile reads release:network and refuses nonsense', () => {
    assert.equal(parseProfile('juno:nova-network:vlan').label, 'juno:nova-network:vlan');
    assert.equal(parseProfile('modern:neutron').neutron, true);
    assert.throws(() => parseProfile('modern:nova-network:flatdhcp'), /nova-network/);
    assert.throws(() => parseProfile('kilo:neutron'), /unknown simulator release/);
    assert.throws(() => parseProfile('juno'), /release:network/);
    assert.equal(SIM_RELEASES.length, 4);
  });
});
