// No secret in anything a real apply leaves behind: the e2e world (Juno nova-network -> modern
// Neutron, hashes copied over MariaDB) migrated through the CLI binary (the users and their
// hashes first: a plan() with targets, `apply` as text; then the rest: `plan`, `apply --json`;
// then `plan --json` and `state show`), then every file in the working folder but the inputs
// (plan, state, its backup, journal, lock leftovers) and every stream is searched for every
// secret the test knows: both admins' passwords, the users' passwords, every token either
// Keystone issued, every password hash in both Keystone databases, the database password.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { plan } from '../../src/app/index.js';
import { openIdentityDb } from '../../src/identity-db/index.js';
import { runCli, type CliRun } from '../app/seed-support.js';
import { e2eWorld, type E2eWorld } from './support/world.js';

interface Secret {
  readonly what: string;
  readonly value: string;
}

/** The forms a secret could take in a file or a stream: as is, JSON-escaped, URL-encoded; a hash's digest alone. */
function forms(s: Secret): string[] {
  const out = new Set([s.value, JSON.stringify(s.value).slice(1, -1), encodeURIComponent(s.value)]);
  if (s.what.startsWith('hash')) {
    const digest = s.value.split('$').pop() ?? '';
    if (digest.length >= 16) out.add(digest);
  }
  return [...out];
}

function leaks(texts: ReadonlyMap<string, string>, secrets: readonly Secret[]): string[] {
  const found: string[] = [];
  for (const [where, text] of texts) {
    for (const s of secrets) if (forms(s).some((f) => text.includes(f))) found.push(`${s.what} in ${where}`);
  }
  return found;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Every password hash either Keystone database holds for these users. */
async function hashes(urls: readonly string[], users: readonly { readonly name: string }[]): Promise<Secret[]> {
  const out: Secret[] = [];
  for (const url of urls) {
    const db = await openIdentityDb(url);
    try {
      for (const u of users) {
        const id = await db.lookupUserIdByName(u.name, 'default');
        const hash = id ? await db.readPasswordHash(id) : null;
        if (hash) out.push({ what: `hash of ${u.name} (${url.includes('ks_source') ? 'source' : 'destination'})`, value: hash.value });
      }
    } finally {
      await db.close();
    }
  }
  return out;
}

describe('no secret in the files and streams of a real apply (CLI, Juno nova-network -> modern Neutron)', { concurrency: false }, () => {
  let w: E2eWorld;
  const streams = new Map<string, string>();
  let files: string[] = [];
  let secrets: Secret[] = [];
  let runs: Record<string, CliRun> = {};
  let sourceHashesBefore: Secret[] = [];
  let sourceHashesAfter: Secret[] = [];
  const timings: Record<string, number> = {};
  const timed = async (name: string, args: readonly string[]): Promise<CliRun> => {
    const t0 = performance.now();
    const r = await runCli(args);
    timings[name] = Math.round(performance.now() - t0);
    return r;
  };

  before(async () => {
    w = await e2eWorld({ release: 'juno', network: 'nova-network:flatdhcp' }, { seed: 11, sameFloatingRange: true });
    const tenant = w.sim.generated.tenants[0]!;
    const users = [{ name: 'admin' }, ...tenant.users];
    const sourceHashes = await hashes([w.dbUrls.source], users);
    const common = ['-c', w.config, '--state', w.state];
    const sha = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');
    // First the users with their hashes (what a secret would most likely ride along with),
    // applied with the terminal's text output; then the rest with --json events.
    const identityPlan = join(w.dir, 'identity.plan.json');
    // This plan is made in-process (a CLI process costs ~9 s on a loaded machine); the CLI's
    // plan output is the next one's.
    const t0 = performance.now();
    await plan({ configPath: w.config, manifestPath: w.manifest, statePath: w.state, out: identityPlan, targets: tenant.users.map((u) => `user[${u.name}].password_hash`) });
    timings['plan identity (in-process)'] = Math.round(performance.now() - t0);
    const applyIdentity = await timed('apply identity', ['apply', identityPlan, ...common, '--expect-sha256', await sha(identityPlan)]);
    const planPath = join(w.dir, 'tenant.plan.json');
    const planned = await timed('plan', ['plan', ...common, '-m', w.manifest, '-o', planPath]);
    const apply = await timed('apply', ['apply', planPath, ...common, '--expect-sha256', await sha(planPath), '--json']);
    // Read-only afterwards, side by side: the next plan and a hash copy's state record.
    // (`plan` printed the plans' rendering already: `show` renders the same.)
    const user = `user[${tenant.users[0]!.name}]`;
    const [again, showHash] = await Promise.all([
      timed('again', ['plan', ...common, '-m', w.manifest, '--json', '--detailed-exitcode']),
      timed('state show', ['state', 'show', `${user}.password_hash`, '--state', w.state]),
    ]);
    runs = { 'apply identity': applyIdentity, plan: planned, apply, again, 'state show': showHash };
    for (const [name, r] of Object.entries(runs)) {
      streams.set(`${name} stdout`, r.stdout);
      streams.set(`${name} stderr`, r.stderr);
    }
    secrets = [
      ...w.secrets.adminPasswords.map((value, i) => ({ what: `${i === 0 ? 'source' : 'destination'} admin password`, value })),
      { what: 'database password', value: w.secrets.dbPassword },
      ...tenant.users.map((u) => ({ what: `password of ${u.name}`, value: u.password })),
      ...w.tokens.map((value, i) => ({ what: `token #${i + 1}`, value })),
      ...sourceHashes,
      ...(await hashes([w.dbUrls.destination], users)),
    ];
    sourceHashesAfter = await hashes([w.dbUrls.source], users);
    // Passwords presented to Keystone that the test did not make: a temporary one apply gave a
    // keypair owner to read its keys on the legacy source.
    const known = new Set(secrets.map((s) => s.value));
    secrets.push(...[...w.presented].filter((p) => !known.has(p)).map((value, i) => ({ what: `other password presented to Keystone #${i + 1}`, value })));
    sourceHashesBefore = sourceHashes;
    const inputs = new Set([w.config, w.manifest]);
    files = (await filesUnder(w.dir)).filter((f) => !inputs.has(f));
  });
  after(async () => {
    await w?.close();
  });

  test('the apply ran for real: identity (text), the rest (--json), then a plan with nothing to do', (t) => {
    t.diagnostic(`ms: ${JSON.stringify(timings)}`);
    assert.equal(runs['apply identity']!.code, 0, runs['apply identity']!.stdout.slice(-3000) + runs['apply identity']!.stderr);
    assert.match(runs['apply identity']!.stdout, /password_hash/);
    assert.equal(runs['plan']!.code, 0, runs['plan']!.stderr);
    assert.doesNotMatch(runs['plan']!.stdout, /password_hash: update/, 'the hashes were copied by the first apply');
    assert.equal(runs['apply']!.code, 0, runs['apply']!.stdout.slice(-3000) + runs['apply']!.stderr);
    assert.equal(runs['again']!.code, 0, `second plan: ${runs['again']!.stdout.slice(-2000)}`);
    for (const name of ['state show']) assert.equal(runs[name]!.code, 0, `${name}: ${runs[name]!.stderr}`);
    assert.match(runs['state show']!.stdout, /password_hash/);
    const events = runs['apply']!.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; failed?: number });
    assert.equal(events.find((e) => e.type === 'apply_complete')?.failed, 0);
  });

  test('the test knows secrets of every sort, and would find them (the config holds the admin passwords)', async () => {
    for (const sort of ['admin password', 'database password', 'password of', 'token #', 'hash of']) assert.ok(secrets.some((s) => s.what.includes(sort)), `no ${sort}`);
    assert.ok(w.tokens.length >= 4, `${w.tokens.length} tokens issued`);
    // The servers' keypairs are read as their owner with a temporary password: the test saw it.
    assert.ok(secrets.some((s) => s.what.startsWith('other password presented')), 'no temporary owner password was presented');
    assert.ok(secrets.filter((s) => s.what.startsWith('hash')).length >= 6);
    const config = new Map([['config', await readFile(w.config, 'utf8')]]);
    assert.deepEqual(leaks(config, secrets.filter((s) => s.what.includes('admin password') || s.what === 'database password')).length, 3);
  });

  test('the applies left their plans, the state, its journal, backup (a lock file when there is) and nothing else', () => {
    const names = files.map((f) => relative(w.dir, f)).sort();
    assert.deepEqual(names.filter((n) => !/^((identity|tenant)\.plan\.json|state\.json(\.backup|\.journal\.ndjson|\.lock)?)$/.test(n)), []);
    assert.ok(names.includes('tenant.plan.json'), names.join(', '));
    assert.ok(names.includes('state.json'), names.join(', '));
    assert.ok(names.some((n) => n.startsWith('state.json') && n.includes('journal')), names.join(', '));
    assert.ok(names.includes('state.json.backup'), `the second apply keeps the first state as backup: ${names.join(', ')}`);
    assert.ok(!names.some((n) => n.endsWith('.passwords')), 'copy-hash writes no passwords file');
  });

  test('every source password hash is the one it had before (a keypair owner\'s temporary password is gone)', () => {
    assert.equal(sourceHashesBefore.length, 3);
    assert.deepEqual(sourceHashesAfter, sourceHashesBefore);
  });

  test('no secret in any file the apply produced', async () => {
    const texts = new Map<string, string>();
    for (const f of files) texts.set(relative(w.dir, f), await readFile(f, 'utf8'));
    assert.deepEqual(leaks(texts, secrets), []);
  });

  test('no secret in stdout or stderr of the plans, both applies (text and --json) and state show', () => {
    assert.ok([...streams.values()].join('').length > 1000, 'the streams hold the output');
    assert.deepEqual(leaks(streams, secrets), []);
  });
});
