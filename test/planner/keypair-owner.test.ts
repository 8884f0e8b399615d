// Keypairs on a legacy source (Nova below 2.10): discovery sees only the admin's own, so the
// planner plans the keypairs the migrated servers use, read as their owner at apply time when
// the source Keystone database is configured (discovery then has the owners' hash schemes).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { at, dependsOn, run } from './fixtures/helpers.js';
import { desired, tenant } from './fixtures/manifest.js';
import { novaNetworkClouds } from './fixtures/nova-network-clouds.js';
import { server } from './fixtures/records.js';

function clouds(o: { hashes: boolean; microversion?: string | null; keys?: boolean }) {
  const c = novaNetworkClouds('FlatDHCP');
  const s = c.source;
  const servers = s.servers.map((sv) => (sv.id === 'sv-a' ? { ...sv, keyName: 'k1' } : sv));
  // A second server of alice using the same key, and one using another key.
  servers.push(server('sv-c', 'db', '1a', 'u1', { flavorId: '1', imageId: 'img-1', keyName: 'k1' }), server('sv-d', 'cache', '1a', 'u1', { flavorId: '1', imageId: 'img-1', keyName: 'k2' }));
  const source = {
    ...s,
    servers,
    capabilities: { ...s.capabilities, computeMicroversion: o.microversion ?? null },
    passwordHashRefs: o.hashes ? [{ userId: 'u1', scheme: 'sha512_crypt' as const }, { userId: 'u2', scheme: 'sha512_crypt' as const }] : [],
    keypairs: o.keys ? [{ name: 'k1', userId: 'u1', publicKey: 'ssh-rsa AAAA', fingerprint: 'aa:bb', type: 'ssh' as const }] : [],
  };
  return { source, destination: c.destination };
}

const ACME = desired({ tenants: [tenant('acme')] });

describe('plan: keypairs of other users on a legacy source', () => {
  test('with the source Keystone database: one keypair per (owner, key name) the migrated servers use, read as the owner', () => {
    const c = clouds({ hashes: true });
    const p = run({ desired: { ...ACME, identity: { ...ACME.identity, passwords: 'copy-hash' } }, ...c });
    const keys = p.actions.filter((a) => a.kind === 'keypair');
    assert.deepEqual(keys.map((k) => k.address).sort(), ['user[alice].keypair[k1]', 'user[alice].keypair[k2]']);
    const k1 = at(p, 'user[alice].keypair[k1]');
    assert.equal(k1.action, 'create');
    assert.deepEqual(k1.steps, ['read_as_owner', 'create']);
    assert.equal(k1.after?.['public_key'], null);
    assert.equal(k1.after?.['read_as_owner'], true);
    assert.equal(k1.after?.['source_user_id'], 'u1');
    assert.equal(k1.after?.['source_user_name'], 'alice');
    assert.equal(k1.after?.['source_project_id'], '1a');
    assert.match(k1.reason.text, /read from the source as its owner/);
    assert.match(k1.warnings?.[0] ?? '', /temporary password in the SOURCE/);
    assert.ok(dependsOn(p, k1, at(p, 'user[alice].password_hash')), 'after the password copy');
    assert.ok(p.diagnostics.some((d) => d.severity === 'warning' && /2 keypair\(s\) are read from the source as their owners/.test(d.summary)));
    const app = p.actions.find((a) => a.kind === 'server' && a.source?.id === 'sv-a')!;
    assert.equal(app.after?.['key_name'], 'k1');
    assert.ok(dependsOn(p, app, k1));
    assert.ok(!(app.warnings ?? []).some((w) => /boots without it/.test(w)));
    assert.equal(JSON.stringify(p).includes('$6$'), false);
  });

  test('without it: the servers boot without their keypair, and the warning says what enables the copy', () => {
    const p = run({ desired: ACME, ...clouds({ hashes: false }) });
    assert.equal(p.actions.filter((a) => a.kind === 'keypair').length, 0);
    const app = p.actions.find((a) => a.kind === 'server' && a.source?.id === 'sv-a')!;
    assert.equal(app.after?.['key_name'], null);
    assert.ok((app.warnings ?? []).some((w) => /boots without it/.test(w) && /configuring the source Keystone database/.test(w)), JSON.stringify(app.warnings));
  });

  test('a disabled owner cannot log in: its keys are not planned, the warning says why', () => {
    const c = clouds({ hashes: true });
    const source = { ...c.source, users: c.source.users.map((u) => (u.id === 'u1' ? { ...u, enabled: false } : u)) };
    const p = run({ desired: ACME, source, destination: c.destination });
    assert.equal(p.actions.filter((a) => a.kind === 'keypair').length, 0);
    const app = p.actions.find((a) => a.kind === 'server' && a.source?.id === 'sv-a')!;
    assert.ok((app.warnings ?? []).some((w) => /disabled in the source/.test(w)), JSON.stringify(app.warnings));
  });

  test('a keypair discovery listed (the admin\'s own) is copied from the inventory, not read as its owner', () => {
    const p = run({ desired: ACME, ...clouds({ hashes: true, keys: true }) });
    const k1 = at(p, 'user[alice].keypair[k1]');
    assert.equal(k1.after?.['public_key'], 'ssh-rsa AAAA');
    assert.equal(k1.steps?.includes('read_as_owner') ?? false, false);
    assert.equal(at(p, 'user[alice].keypair[k2]').after?.['read_as_owner'], true);
  });

  test('Nova 2.10+ lists every user\'s keypairs: nothing is read as its owner', () => {
    const p = run({ desired: ACME, ...clouds({ hashes: true, microversion: '2.53' }) });
    assert.equal(p.actions.filter((a) => a.kind === 'keypair').length, 0);
    const app = p.actions.find((a) => a.kind === 'server' && a.source?.id === 'sv-a')!;
    assert.ok((app.warnings ?? []).some((w) => /boots without it/.test(w) && !/Keystone database/.test(w)));
  });
});
