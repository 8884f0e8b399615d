// Keypairs on a legacy source (Nova below 2.10): discovery sees only the admin's own, so the
// planner plans one `owner_keypairs` action per migrated user (all its keypairs, listed as the
// owner at apply time) when the source Keystone database is configured (discovery then has
// the owners' hash schemes); the servers depend on their owner's action.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { at, dependsOn, run } from './fixtures/helpers.js';
import { fakeApply } from './fixtures/fake-apply.js';
import { desired, tenant } from './fixtures/manifest.js';
import { novaNetworkClouds } from './fixtures/nova-network-clouds.js';
import { server, user } from './fixtures/records.js';

function clouds(o: { hashes: boolean; microversion?: string | null; keys?: boolean }) {
  const c = novaNetworkClouds('FlatDHCP');
  const s = c.source;
  const servers = s.servers.map((sv) => (sv.id === 'sv-a' ? { ...sv, keyName: 'k1' } : sv));
  // A second server of alice using the same key, and one using another key.
  servers.push(server('sv-c', 'db', '1a', 'u1', { flavorId: '1', imageId: 'img-1', keyName: 'k1' }), server('sv-d', 'cache', '1a', 'u1', { flavorId: '1', imageId: 'img-1', keyName: 'k2' }));
  const source = {
    ...s,
    servers,
    // carol: a member of acme with no server (her keypairs are unknown to the plan).
    users: [...s.users, user('u3', 'carol', { defaultProjectId: null })],
    roleAssignments: [...s.roleAssignments, { userId: 'u3', roleId: 'r1', projectId: '1a' }],
    capabilities: { ...s.capabilities, computeMicroversion: o.microversion ?? null },
    passwordHashRefs: o.hashes ? ['u1', 'u2', 'u3'].map((userId) => ({ userId, scheme: 'sha512_crypt' as const })) : [],
    keypairs: o.keys ? [{ name: 'k1', userId: 'u1', publicKey: 'ssh-rsa AAAA', fingerprint: 'aa:bb', type: 'ssh' as const }] : [],
  };
  return { source, destination: c.destination };
}

const ACME = desired({ tenants: [tenant('acme')] });
const COPY_HASH = { ...ACME, identity: { ...ACME.identity, passwords: 'copy-hash' as const } };

describe('plan: keypairs of other users on a legacy source', () => {
  test('with the source Keystone database: one owner_keypairs action per migrated user, the servers depending on their owner\'s', () => {
    const p = run({ desired: COPY_HASH, ...clouds({ hashes: true }) });
    assert.equal(p.actions.filter((a) => a.kind === 'keypair').length, 0, 'no keypair read one by one');
    const sets = p.actions.filter((a) => a.kind === 'owner_keypairs');
    assert.deepEqual(sets.map((k) => k.address).sort(), ['user[alice].owner_keypairs', 'user[carol].owner_keypairs']);
    const alice = at(p, 'user[alice].owner_keypairs');
    assert.equal(alice.action, 'create');
    assert.deepEqual(alice.steps, ['read_as_owner', 'import']);
    assert.equal(alice.source?.id, 'u1');
    assert.deepEqual(alice.after?.['used_key_names'], ['k1', 'k2']);
    assert.equal(alice.after?.['source_user_id'], 'u1');
    assert.equal(alice.after?.['source_user_name'], 'alice');
    assert.equal(alice.after?.['source_project_id'], '1a');
    assert.match(alice.reason.text, /known only at apply time/);
    assert.match(alice.reason.text, /'k1', 'k2'/);
    assert.match(alice.warnings?.[0] ?? '', /known only at apply time/);
    assert.match(alice.warnings?.[0] ?? '', /temporary password in the SOURCE/);
    assert.ok(dependsOn(p, alice, at(p, 'user[alice].password_hash')), 'after the password copy');
    assert.ok(p.diagnostics.some((d) => d.severity === 'warning' && /keypairs of 2 user\(s\) are read from the source as their owners/.test(d.summary)));
    for (const id of ['sv-a', 'sv-c', 'sv-d']) {
      const sv = p.actions.find((a) => a.kind === 'server' && a.source?.id === id)!;
      assert.ok(dependsOn(p, sv, alice), `${id} waits for its owner's keypairs`);
      assert.ok(!(sv.warnings ?? []).some((w) => /boots without it/.test(w)));
    }
    assert.equal(p.actions.find((a) => a.source?.id === 'sv-d')!.after?.['key_name'], 'k2');
    assert.equal(JSON.stringify(p).includes('$6$'), false);
  });

  test('a user with no server: its action logs in to a tenant it is a member of, with no used key names', () => {
    const p = run({ desired: COPY_HASH, ...clouds({ hashes: true }) });
    const carol = at(p, 'user[carol].owner_keypairs');
    assert.equal(carol.after?.['source_project_id'], '1a');
    assert.deepEqual(carol.after?.['used_key_names'], []);
    assert.doesNotMatch(carol.reason.text, /migrated servers use/);
  });

  test('after an apply, the next plan has nothing to do, and keeps the servers\' keys', () => {
    const c = clouds({ hashes: true });
    const first = run({ desired: COPY_HASH, ...c });
    const r = fakeApply(first, c.source, c.destination);
    assert.ok(r.state.objects.some((o) => o.kind === 'owner_keypairs' && o.address === 'user[alice].owner_keypairs' && o.status === 'ready'));
    const again = run({ desired: COPY_HASH, source: r.source, destination: r.destination, prior: r.state });
    assert.deepEqual(again.actions.filter((a) => a.action !== 'no-op').map((a) => a.address), []);
    assert.equal(at(again, 'user[alice].owner_keypairs').action, 'no-op');
    assert.ok(!again.diagnostics.some((d) => /read from the source as their owners/.test(d.summary)), 'no temporary password announced');
    // A server not migrated yet, planned after its owner's keypairs were copied: it keeps a key
    // the destination user has, and boots without one the earlier apply did not copy.
    const source = { ...r.source, servers: [...r.source.servers, server('sv-e', 'late', '1a', 'u1', { flavorId: '1', imageId: 'img-1', keyName: 'k1' }), server('sv-f', 'later', '1a', 'u1', { flavorId: '1', imageId: 'img-1', keyName: 'k9' })] };
    const late = run({ desired: COPY_HASH, source, destination: r.destination, prior: r.state });
    const e = late.actions.find((a) => a.source?.id === 'sv-e')!;
    assert.equal(e.after?.['key_name'], 'k1');
    const f = late.actions.find((a) => a.source?.id === 'sv-f')!;
    assert.equal(f.after?.['key_name'], null);
    assert.ok((f.warnings ?? []).some((w) => /not among the keypairs an earlier apply copied/.test(w)), JSON.stringify(f.warnings));
  });

  test('without it: no owner_keypairs, the servers boot without their keypair, the plan diagnostics say whose keypairs stay behind', () => {
    const p = run({ desired: ACME, ...clouds({ hashes: false }) });
    assert.equal(p.actions.filter((a) => a.kind === 'keypair' || a.kind === 'owner_keypairs').length, 0);
    const app = p.actions.find((a) => a.kind === 'server' && a.source?.id === 'sv-a')!;
    assert.equal(app.after?.['key_name'], null);
    assert.ok((app.warnings ?? []).some((w) => /boots without it/.test(w) && /configuring the source Keystone database/.test(w)), JSON.stringify(app.warnings));
    const d = p.diagnostics.find((x) => /keypairs of 2 user\(s\) are not copied/.test(x.summary));
    assert.ok(d, JSON.stringify(p.diagnostics));
    assert.equal(d.severity, 'warning');
    assert.match(d.detail ?? '', /CLOUDS\.source\.identity\.connection/);
  });

  test('a disabled owner cannot log in: no action for it, the server and the diagnostics say why', () => {
    const c = clouds({ hashes: true });
    const source = { ...c.source, users: c.source.users.map((u) => (u.id === 'u1' ? { ...u, enabled: false } : u)) };
    const p = run({ desired: ACME, source, destination: c.destination });
    assert.deepEqual(p.actions.filter((a) => a.kind === 'owner_keypairs').map((a) => a.address), ['user[carol].owner_keypairs']);
    const app = p.actions.find((a) => a.kind === 'server' && a.source?.id === 'sv-a')!;
    assert.ok((app.warnings ?? []).some((w) => /disabled in the source/.test(w)), JSON.stringify(app.warnings));
    const d = p.diagnostics.find((x) => /keypairs of 1 user\(s\) cannot be read as their owner/.test(x.summary));
    assert.match(d?.detail ?? '', /'alice' \(.*disabled/);
  });

  test('a keypair discovery listed (the admin\'s own) is copied from the inventory; the owner\'s action runs after it', () => {
    const p = run({ desired: ACME, ...clouds({ hashes: true, keys: true }) });
    const k1 = at(p, 'user[alice].keypair[k1]');
    assert.equal(k1.after?.['public_key'], 'ssh-rsa AAAA');
    const set = at(p, 'user[alice].owner_keypairs');
    assert.ok(dependsOn(p, set, k1));
    const app = p.actions.find((a) => a.kind === 'server' && a.source?.id === 'sv-a')!;
    assert.ok(dependsOn(p, app, k1));
  });

  test('Nova 2.10+ lists every user\'s keypairs: nothing is read as its owner', () => {
    const p = run({ desired: ACME, ...clouds({ hashes: true, microversion: '2.53' }) });
    assert.equal(p.actions.filter((a) => a.kind === 'keypair' || a.kind === 'owner_keypairs').length, 0);
    const app = p.actions.find((a) => a.kind === 'server' && a.source?.id === 'sv-a')!;
    assert.ok((app.warnings ?? []).some((w) => /boots without it/.test(w) && !/Keystone database/.test(w)));
  });
});

/** The manifest with options.legacy_keypairs set. */
const withMode = (mode: 'all' | 'used' | 'none') => desired({ tenants: [tenant('acme')], options: { legacyKeypairs: mode } });

describe('plan: options.legacy_keypairs chooses whose keypairs are read as their owner', () => {
  test('all (the default): every migrated user gets a window, the diagnostics say so', () => {
    const p = run({ desired: withMode('all'), ...clouds({ hashes: true }) });
    assert.deepEqual(p.actions.filter((a) => a.kind === 'owner_keypairs').map((a) => a.address).sort(), ['user[alice].owner_keypairs', 'user[carol].owner_keypairs']);
    const d = p.diagnostics.find((x) => /read from the source as their owners/.test(x.summary));
    assert.match(d?.summary ?? '', /keypairs of 2 user\(s\) .*options\.legacy_keypairs: all/);
    assert.ok(!p.diagnostics.some((x) => /are not copied/.test(x.summary)), JSON.stringify(p.diagnostics));
    assert.deepEqual(run({ desired: ACME, ...clouds({ hashes: true }) }).actions, p.actions, 'the same plan as without the option');
  });

  test('used: only owners of a key a migrated server uses get a window; the servers keep their keys', () => {
    const p = run({ desired: withMode('used'), ...clouds({ hashes: true }) });
    assert.deepEqual(p.actions.filter((a) => a.kind === 'owner_keypairs').map((a) => a.address), ['user[alice].owner_keypairs'], 'carol has no server: no window');
    const alice = at(p, 'user[alice].owner_keypairs');
    assert.equal(alice.action, 'create');
    assert.deepEqual(alice.after?.['used_key_names'], ['k1', 'k2']);
    for (const id of ['sv-a', 'sv-c', 'sv-d']) {
      const sv = p.actions.find((a) => a.kind === 'server' && a.source?.id === id)!;
      assert.ok(dependsOn(p, sv, alice), `${id} waits for its owner's keypairs`);
      assert.notEqual(sv.after?.['key_name'], null);
    }
    assert.match(p.diagnostics.find((x) => /read from the source as their owners/.test(x.summary))?.summary ?? '', /keypairs of 1 user\(s\) .*options\.legacy_keypairs: used/);
    const left = p.diagnostics.find((x) => /are not copied/.test(x.summary));
    assert.equal(left?.severity, 'warning');
    assert.match(left?.summary ?? '', /keypairs of 1 user\(s\) are not copied: options\.legacy_keypairs is used, so 1 user\(s\) get a temporary password/);
    assert.match(left?.detail ?? '', /users: 'carol'$/);
    assert.ok(!p.diagnostics.some((x) => /cannot be read as their owner/.test(x.summary)), 'left out by choice, not unreadable');
  });

  test('none: no window at all; the servers boot without their keys and say why', () => {
    const p = run({ desired: withMode('none'), ...clouds({ hashes: true }) });
    assert.equal(p.actions.filter((a) => a.kind === 'owner_keypairs').length, 0);
    assert.ok(!p.diagnostics.some((x) => /read from the source as their owners/.test(x.summary)), 'no temporary password announced');
    const left = p.diagnostics.find((x) => /are not copied/.test(x.summary));
    assert.match(left?.summary ?? '', /keypairs of 2 user\(s\) are not copied: options\.legacy_keypairs is none, so 0 user\(s\) get a temporary password/);
    assert.match(left?.detail ?? '', /users: 'alice', 'carol'/);
    for (const id of ['sv-a', 'sv-c', 'sv-d']) {
      const sv = p.actions.find((a) => a.kind === 'server' && a.source?.id === id)!;
      assert.equal(sv.after?.['key_name'], null);
      assert.ok((sv.warnings ?? []).some((w) => /boots without it/.test(w) && /legacy_keypairs is none/.test(w)), JSON.stringify(sv.warnings));
    }
  });

  test('none without the source database: one diagnostic, naming the option rather than the database', () => {
    const p = run({ desired: withMode('none'), ...clouds({ hashes: false }) });
    const ds = p.diagnostics.filter((x) => /keypairs of/.test(x.summary));
    assert.equal(ds.length, 1, JSON.stringify(ds));
    assert.match(ds[0]!.summary, /keypairs of 2 user\(s\) are not copied/);
    assert.match(ds[0]!.detail ?? '', /options\.legacy_keypairs is none/);
    assert.doesNotMatch(ds[0]!.detail ?? '', /identity\.connection/);
  });

  test('used or none after an apply read every user: the no-ops stay, no window opens, the servers keep their keys', () => {
    const c = clouds({ hashes: true });
    const r = fakeApply(run({ desired: ACME, ...c }), c.source, c.destination);
    for (const mode of ['used', 'none'] as const) {
      const source = { ...r.source, servers: [...r.source.servers, server('sv-e', 'late', '1a', 'u1', { flavorId: '1', imageId: 'img-1', keyName: 'k1' })] };
      const p = run({ desired: withMode(mode), source, destination: r.destination, prior: r.state });
      assert.deepEqual(p.actions.filter((a) => a.kind === 'owner_keypairs').map((a) => [a.address, a.action]), [['user[alice].owner_keypairs', 'no-op'], ['user[carol].owner_keypairs', 'no-op']], mode);
      assert.ok(!p.diagnostics.some((x) => /temporary password|are not copied/.test(x.summary)), `${mode}: ${JSON.stringify(p.diagnostics)}`);
      assert.equal(p.actions.find((a) => a.source?.id === 'sv-e')!.after?.['key_name'], 'k1', mode);
    }
  });
});
