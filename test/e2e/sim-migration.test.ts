// End to end on the simulator: a generated tenant holding every kind moves from a legacy source
// (Juno nova-network FlatDHCP; Havana Neutron) to a modern Neutron destination through the
// app's plan() and apply(), both clouds keeping their Keystone database in a throwaway MariaDB
// so `identity.passwords: copy-hash` runs. Then: the destination holds an equivalent copy
// (field by field, ids mapped through the state: support/compare.ts), a migrated user logs in
// with the source password, and the next plan has nothing to do.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { plan } from '../../src/app/index.js';
import { loginV2, loginV3 } from '../sim/helpers.js';
import {
  compareCompleteness, compareCompute, compareData, compareIdentity, compareKeypairs, compareSettings, novaNetworkSource, type AreaResult,
} from './support/compare.js';
import { compareNetwork } from './support/compare-network.js';
import { compareVolumeBytes, migrate, type MigrationRun } from './support/migration.js';
import { e2eWorld, EXTRA, type E2eOptions, type E2eWorld, type SourceProfile } from './support/world.js';

// The Juno destination shares the source's external range (floating IPs keep their
// addresses); the Havana one does not (they get new ones). Juno moves two tenants: both sit
// on the one shared FlatDHCP network, which becomes one Neutron network.
const SCENARIOS: ReadonlyArray<{ readonly label: string; readonly source: SourceProfile; readonly options: E2eOptions }> = [
  { label: 'Juno nova-network FlatDHCP -> modern Neutron, two tenants, same external range', source: { release: 'juno', network: 'nova-network:flatdhcp' }, options: { sameFloatingRange: true, tenants: 2 } },
  { label: 'Havana Neutron -> modern Neutron, another external range', source: { release: 'havana', network: 'neutron' }, options: {} },
];

/** Fails with every mismatch listed; also fails when nothing was compared. */
function equivalent(area: AreaResult): void {
  assert.deepEqual(area.mismatches, []);
  assert.ok(area.checked > 0, 'nothing was compared');
}

for (const scenario of SCENARIOS) {
  describe(`migration on the simulator: ${scenario.label}`, { concurrency: false }, () => {
    let w: E2eWorld;
    let run: MigrationRun;
    before(async () => {
      w = await e2eWorld(scenario.source, scenario.options);
      run = await migrate(w);
    });
    after(async () => {
      await w?.close();
    });

    test('the generated tenant holds every kind, and the apply runs every action of the plan', (t) => {
      t.diagnostic(`ms: ${JSON.stringify(run.timings)}; actions: ${run.first.actions.length}`);
      const S = run.view.before;
      const tenant = run.view.tenants[0]!;
      const kinds = new Set<string>(run.first.actions.map((a) => a.kind));
      for (const k of ['project', 'user', 'role', 'role_assignment', 'password_hash', 'quota', 'flavor', 'flavor_access', 'security_group', 'security_group_rule',
        'network', 'subnet', 'router', 'router_interface', 'port', 'floating_ip', 'image', 'volume', 'server']) assert.ok(kinds.has(k), `the plan has no ${k}`);
      assert.ok(S.securityGroups.some((g) => g.projectId === tenant && g.rules.some((r) => r.remoteGroupId !== null)), 'a rule references another group');
      assert.ok(S.volumes.some((v) => v.projectId === tenant && v.attachments.length > 0), 'a volume is attached');
      assert.ok(S.servers.some((s) => s.flavorId === EXTRA.flavor.id), 'a server uses the private flavor');
      assert.deepEqual(S.servers.filter((s) => s.projectId === tenant && s.configDrive).length, 1, 'a server has a config drive');
      assert.equal(S.images.filter((i) => i.owner === tenant && i.tags?.length === 2).length, 1, 'an image has tags');
      // Server groups came with Icehouse: the Juno tenant's servers share one, Havana has none.
      assert.equal((S.serverGroups ?? []).filter((g) => g.projectId === tenant && g.members.length === 2).length, scenario.source.release === 'havana' ? 0 : 1, 'the servers share a group');
      assert.equal(kinds.has('server_group'), scenario.source.release !== 'havana', 'server_group actions where the source has groups');
      if (!novaNetworkSource(run.view)) {
        const pairs = [{ ipAddress: '192.0.2.10' }, { ipAddress: '198.51.100.0/28', macAddress: 'fa:16:3e:00:00:01' }];
        assert.deepEqual(S.ports.filter((p) => p.projectId === tenant && p.allowedAddressPairs).map((p) => p.allowedAddressPairs), [pairs], 'a port has address pairs');
        assert.equal(S.ports.filter((p) => p.projectId === tenant && p.extraDhcpOpts?.length === 2).length, 1, 'a port has DHCP options');
        assert.equal(S.ports.filter((p) => p.projectId === tenant && p.name === EXTRA.vipPort && p.deviceId === '').length, 1, 'a port no device holds');
        assert.equal(S.routers.filter((r) => r.projectId === tenant && r.routes.length === 1).length, 1, 'a router has a static route');
      }
      assert.deepEqual(S.servers.filter((s) => s.projectId === tenant).map((s) => s.status).sort(), ['ACTIVE', 'SHUTOFF']);
      assert.ok(run.sourceKeypairs.length >= 2, 'users own keypairs');
      assert.equal(run.view.tenants.length, scenario.options.tenants ?? 1);
      assert.equal(run.applied.result, 'ok', JSON.stringify(run.applied.failures));
      assert.equal(run.applied.counts.failed + run.applied.counts.skipped + run.applied.counts.precondition, 0);
      assert.equal(run.applied.counts.done, run.first.actions.filter((a) => a.action !== 'no-op').length);
      // The state: every object ready (the temporary admin membership deleted), none pending or
      // in error, one successful apply in the history.
      const objects = run.view.state.objects;
      assert.deepEqual(objects.filter((o) => o.status !== 'ready' && !(o.status === 'deleted' && o.kind === 'admin_membership')).map((o) => `${o.address} ${o.status}`), []);
      assert.deepEqual(objects.filter((o) => o.pending !== null || o.error !== null).map((o) => o.address), []);
      assert.deepEqual(run.view.state.history.map((h) => [h.operation, h.result]), [['apply', 'ok']]);
    });

    test('floating IPs keep their addresses exactly when the destination\'s external range holds them', () => {
      const D = run.view.destination;
      const copies = D.floatingIps.filter((f) => f.marker !== undefined);
      assert.ok(copies.length > 0);
      for (const f of copies) assert.equal(f.address === f.marker!.sourceId || run.view.before.floatingIps.some((s) => s.id === f.marker!.sourceId && s.address === f.address), scenario.options.sameFloatingRange === true, f.address);
      const warned = run.first.diagnostics.some((x) => /will get a new address/.test(x.summary));
      assert.equal(warned, !scenario.options.sameFloatingRange);
    });

    test('identity: projects, users, roles and exactly the source role assignments', () => equivalent(compareIdentity(run.view)));
    test('settings: quotas (nova-network limits in Neutron) and the used flavors with access and extra specs', () => equivalent(compareSettings(run.view)));
    test('network: security groups with rules (group references mapped), networks, subnets, routers, ports, floating IPs', () => equivalent(compareNetwork(run.view)));
    test('data: images (checksums) and volumes (attachments mapped)', () => equivalent(compareData(run.view)));
    test('data: every volume copy holds the source volume\'s bytes', async () => equivalent(await compareVolumeBytes(w, run.view)));
    test('compute: servers (status, flavor, groups, addresses, volumes, zone, metadata)', () => equivalent(compareCompute(run.view)));
    test('nothing more than the copies, no temporary left in either cloud or the state', () => equivalent(compareCompleteness(run.view)));
    test('keypairs the servers use: owned by the owner\'s copy with the same key, servers booted with it', () => {
      equivalent(compareKeypairs(run.view, run.sourceKeypairs, 'used'));
    });
    test('keypairs no server uses: owned by the user\'s copy (listed as their owner at apply time, one temporary password per user)', () => {
      equivalent(compareKeypairs(run.view, run.sourceKeypairs, 'unused'));
      // One owner_keypairs action per migrated user other than the admin, no keypair read one by one.
      const users = run.first.actions.filter((a) => a.kind === 'user' && a.action !== 'no-op').map((a) => a.source!.id);
      const sets = run.first.actions.filter((a) => a.kind === 'owner_keypairs');
      assert.deepEqual(sets.map((a) => a.source!.id).sort(), [...users].sort());
      assert.ok(sets.every((a) => a.action === 'create' && a.warnings?.some((w) => /known only at apply time/.test(w) && /temporary password in the SOURCE/.test(w))));
      assert.ok(!run.first.actions.some((a) => a.kind === 'keypair' && a.steps.includes('read_as_owner')));
    });

    test('the comparison sees a tampered destination', () => {
      const D = run.view.destination;
      const tenant = run.view.tenants[0]!;
      const server = D.servers.find((s) => s.marker !== undefined && s.attachedVolumeIds.length > 0)!;
      const group = D.securityGroups.find((g) => g.marker !== undefined && g.rules.some((r) => r.remoteGroupId !== null))!;
      const fip = D.floatingIps[0]!;
      const tampered = {
        ...run.view,
        destination: {
          ...D,
          servers: D.servers.map((s) => (s === server ? { ...s, name: 'renamed', attachedVolumeIds: [] } : s)),
          securityGroups: D.securityGroups.map((g) => (g === group ? { ...g, rules: g.rules.filter((r) => r.remoteGroupId === null) } : g)),
          floatingIps: D.floatingIps.map((f) => (f === fip ? { ...f, fixedIpAddress: '10.9.9.9' } : f)),
          roleAssignments: [...D.roleAssignments, { userId: D.session?.userId ?? 'admin', roleId: D.roles[0]!.id, projectId: D.projects.find((p) => p.marker?.sourceId === tenant)!.id }],
          images: D.images.map((i) => (i.marker ? { ...i, checksum: '0'.repeat(32) } : i)),
        },
      };
      const all = [compareIdentity, compareNetwork, compareData, compareCompute].flatMap((f) => f(tampered).mismatches).join('\n');
      for (const expected of [/server\[.*\]\.name: expected/, /server\[.*\]\.attachedVolumeIds/, /security_group\[db\]: rule '.*' missing/, /floating_ip\[.*\]\.fixedIpAddress/, /role assignments/, /image\[.*\]\.checksum/]) {
        assert.match(all, expected);
      }
    });

    test('a migrated user logs in to the destination with the source password, and still to the source', async () => {
      for (const tenant of w.sim.generated.tenants) {
        for (const user of tenant.users) {
          const login = await loginV3(w.sim.destination, user.name, user.password, tenant.name);
          assert.equal(login.token.user.name, user.name);
          assert.equal(login.token.project.name, tenant.name);
          // Reading a keypair as its owner gave the owner a temporary password in the source:
          // the source password works there again.
          assert.equal((await loginV2(w.sim.source, user.name, user.password, tenant.name)).user.name, user.name);
        }
        await assert.rejects(loginV3(w.sim.destination, tenant.users[0]!.name, 'not-the-password', tenant.name), /401/);
      }
    });

    test('an immediate second plan says "no changes"', async () => {
      const again = await plan({ configPath: w.config, manifestPath: w.manifest, statePath: w.state });
      assert.deepEqual(again.plan.actions.filter((a) => a.action !== 'no-op').map((a) => `${a.action} ${a.address}`), []);
      assert.equal(again.hasChanges, false);
      assert.deepEqual(again.plan.diagnostics.filter((x) => x.severity === 'error'), []);
      // What apply recorded (names, addresses, pairs, DHCP options, pools...) is what the destination holds.
      assert.deepEqual(again.plan.drift, []);
    });
  });
}
