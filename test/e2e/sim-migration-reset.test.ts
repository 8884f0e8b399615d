// The same migration with `identity.passwords: reset` (the config names no Keystone database):
// Juno nova-network FlatDHCP -> modern Neutron through plan() and apply(). Each migrated user
// gets a new password, delivered only in the 0600 passwords file beside the state; it logs in
// to the destination, the source password does not; the copy is otherwise equivalent and the
// next plan has nothing to do.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { plan } from '../../src/app/index.js';
import { loginV3 } from '../sim/helpers.js';
import { compareCompleteness, compareCompute, compareData, compareIdentity, compareSettings, type AreaResult } from './support/compare.js';
import { compareNetwork } from './support/compare-network.js';
import { migrate, type MigrationRun } from './support/migration.js';
import { e2eWorld, type E2eWorld } from './support/world.js';

function equivalent(area: AreaResult): void {
  assert.deepEqual(area.mismatches, []);
  assert.ok(area.checked > 0, 'nothing was compared');
}

describe('migration with passwords reset: Juno nova-network FlatDHCP -> modern Neutron', { concurrency: false }, () => {
  let w: E2eWorld;
  let run: MigrationRun;
  before(async () => {
    w = await e2eWorld({ release: 'juno', network: 'nova-network:flatdhcp' }, { seed: 5, passwords: 'reset', sameFloatingRange: true });
    run = await migrate(w);
  });
  after(async () => {
    await w?.close();
  });

  test('the plan resets each user\'s password and the apply runs it all', (t) => {
    t.diagnostic(`ms: ${JSON.stringify(run.timings)}; actions: ${run.first.actions.length}`);
    assert.equal(run.applied.result, 'ok', JSON.stringify(run.applied.failures));
    const hashes = run.first.actions.filter((a) => a.kind === 'password_hash');
    assert.equal(hashes.length, w.sim.generated.tenants[0]!.users.length);
  });

  test('the passwords file (0600) holds one line per user: name, destination id, new password; each logs in, the source password does not', async () => {
    const tenant = w.sim.generated.tenants[0]!;
    assert.equal((await stat(w.passwords)).mode & 0o777, 0o600);
    const lines = (await readFile(w.passwords, 'utf8')).trim().split('\n').map((l) => l.split('\t'));
    assert.deepEqual(lines.map((l) => l[0]).sort(), tenant.users.map((u) => u.name).sort());
    for (const [name, id, password] of lines) {
      const user = tenant.users.find((u) => u.name === name)!;
      assert.ok(password && password.length >= 12 && password !== user.password, `a new password for ${name}`);
      const login = await loginV3(w.sim.destination, name!, password, tenant.name);
      assert.equal(login.token.user.id, id);
      await assert.rejects(loginV3(w.sim.destination, name!, user.password, tenant.name), /401/);
    }
  });

  test('no new password in the plan, the state or the events', async () => {
    const passwords = (await readFile(w.passwords, 'utf8')).trim().split('\n').map((l) => l.split('\t')[2]!);
    const texts = [await readFile(run.planPath, 'utf8'), await readFile(w.state, 'utf8'), JSON.stringify(run.events.events)];
    for (const p of passwords) assert.ok(!texts.some((t) => t.includes(p)));
  });

  test('with no source Keystone database, keypairs cannot be read as their owner: the plan says so per server, the copies boot without', () => {
    const servers = run.first.actions.filter((a) => a.kind === 'server');
    const warned = servers.filter((a) => (a.warnings ?? []).some((x) => /keypair 'key-1'.*CLOUDS\.source\.identity\.connection/.test(x)));
    assert.equal(warned.length, w.sim.generated.tenants[0]!.servers.length, JSON.stringify(servers.map((a) => a.warnings)));
    assert.ok(!run.first.actions.some((a) => a.kind === 'keypair'));
    assert.ok(run.view.destination.servers.filter((s) => s.marker).every((s) => s.keyName === null));
  });

  test('the copy is equivalent: identity, settings, network, data, compute, nothing more', () => {
    for (const area of [compareIdentity, compareSettings, compareNetwork, compareData, compareCompute, compareCompleteness]) equivalent(area(run.view));
  });

  test('an immediate second plan says "no changes" (no second reset)', async () => {
    const again = await plan({ configPath: w.config, manifestPath: w.manifest, statePath: w.state });
    assert.deepEqual(again.plan.actions.filter((a) => a.action !== 'no-op').map((a) => `${a.action} ${a.address}`), []);
  });
});
