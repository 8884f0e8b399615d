// Keypairs of other users on a legacy source (Juno: Nova below 2.10 shows an admin only its
// own keypairs), read at apply time as their owner through a temporary password written in
// the source Keystone database (MariaDB), then the original hash restored. Skipped only when
// MariaDB is not installed (as the identity-db tests do).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apply, plan } from '../../../src/app/index.js';
import { MemoryReporter } from '../../../src/events/index.js';
import { forceUnlock, readLock } from '../../../src/state/index.js';
import type { Action } from '../../../src/plan/index.js';
import { findMariaDb, startMariaDb, type ThrowawayMariaDb } from '../../support/mariadb.js';
import { loginV2 } from '../../sim/helpers.js';
import { ownerKeypairWorld, type OwnerKeypairWorld } from './owner-keypair-world.js';

const CHILD = fileURLToPath(new URL('./keypair-owner-child.ts', import.meta.url));
const skip = findMariaDb() ? false : 'MariaDB is not installed (scripts/setup-machine.sh installs it)';

/** Every file the apply left in the folder, and the events, as text. */
async function outputs(w: OwnerKeypairWorld, events: MemoryReporter): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const name of await readdir(w.dir)) {
    if (name === 'config.yaml' || name === 'manifest.yaml') continue;
    const path = join(w.dir, name);
    if ((await stat(path)).isFile()) texts.set(name, await readFile(path, 'utf8'));
  }
  texts.set('events', JSON.stringify(events.events));
  return texts;
}

function keypairAction(actions: readonly Action[]): Action {
  const k = actions.find((a) => a.kind === 'keypair');
  assert.ok(k, 'the plan has a keypair action');
  return k;
}

describe('keypairs read as their owner on a Juno source', { skip }, () => {
  let db: ThrowawayMariaDb;
  before(async () => {
    db = await startMariaDb();
  });
  after(async () => {
    await db?.stop();
  });

  test('apply copies the owner\'s keypair, the server boots with it, the source password is untouched', async () => {
    const w = await ownerKeypairWorld(db, 'full');
    try {
      const before = await w.sourceHash();
      assert.ok(before?.startsWith('$6$'));
      const planPath = join(w.dir, 'plan.json');
      const first = await plan({ configPath: w.config, manifestPath: w.manifest, statePath: w.state, out: planPath });
      const k = keypairAction(first.plan.actions);
      assert.equal(k.action, 'create');
      assert.deepEqual(k.steps, ['read_as_owner', 'create']);
      assert.equal(k.after?.['public_key'], null);
      assert.equal(k.after?.['read_as_owner'], true);
      assert.equal(k.after?.['source_user_id'], w.owner.id);
      assert.match(k.warnings?.join(' ') ?? '', /temporary password in the SOURCE/);
      assert.ok(first.plan.diagnostics.some((d) => /read from the source as their owners/.test(d.summary)));
      const server = first.plan.actions.find((a) => a.kind === 'server')!;
      assert.equal(server.after?.['key_name'], 'key-1');
      assert.ok(server.depends_on.includes(k.id), 'the server waits for its keypair');
      assert.ok(!(server.warnings ?? []).some((x) => /boots without it/.test(x)));

      // Every password the source Keystone is asked to check: the owner's temporary one among them.
      const presented = new Set<string>();
      const vault = w.sim.source.store.identity.passwords;
      const verify = vault.verify.bind(vault);
      vault.verify = (userId, password) => {
        if (userId === w.owner.id) presented.add(password);
        return verify(userId, password);
      };
      const events = new MemoryReporter();
      const result = await apply({ planPath, configPath: w.config, statePath: w.state, reporter: events });
      const temporary = [...presented].filter((p) => p !== w.owner.password);
      assert.equal(temporary.length, 1, 'the owner logged in once, with a temporary password');
      assert.equal(result.result, 'ok', JSON.stringify(result.failures));

      const src = w.sim.source.store.keypairs.get(`${w.owner.id}/key-1`)!;
      const dstUser = w.sim.destination.store.identity.users.all().find((u) => u.name === w.owner.name)!;
      const copy = w.sim.destination.store.keypairs.get(`${dstUser.id}/key-1`);
      assert.ok(copy, 'the destination user has key-1');
      assert.equal(copy.publicKey, src.publicKey);
      assert.equal(copy.fingerprint, src.fingerprint);
      const booted = w.sim.destination.store.servers.all();
      assert.equal(booted.length, 1);
      assert.equal(booted[0]!.keyName, 'key-1');

      assert.equal(await w.sourceHash(), before, 'the source hash is byte-identical');
      const login = await loginV2(w.sim.source, w.owner.name, w.owner.password, w.owner.tenant);
      assert.equal(login.user.id, w.owner.id);
      assert.equal(existsSync(w.recovery), false, 'the recovery file is gone');

      const texts = await outputs(w, events);
      assert.ok(texts.has('plan.json') && texts.has('state.json'));
      for (const [where, text] of texts) {
        assert.ok(!text.includes(before!), `the original hash is not in ${where}`);
        assert.ok(!text.includes(before!.split('$').pop()!), `the original digest is not in ${where}`);
        assert.ok(!/\$6\$/.test(text), `no sha512_crypt hash in ${where}`);
        assert.ok(!text.includes(temporary[0]!), `the temporary password is not in ${where}`);
      }

      const again = await plan({ configPath: w.config, manifestPath: w.manifest, statePath: w.state });
      assert.equal(keypairAction(again.plan.actions).action, 'no-op');
    } finally {
      await w.close();
    }
  });

  test('an apply killed while the owner has the temporary password: the next apply restores the original hash first', async (t) => {
    const w = await ownerKeypairWorld(db, 'crash', 12);
    try {
      const before = (await w.sourceHash())!;
      // Everything but the keypair (and the server using it) first, so that a state exists.
      const firstPath = join(w.dir, 'first.json');
      const whole = await plan({ configPath: w.config, manifestPath: w.manifest, statePath: w.state });
      const k = keypairAction(whole.plan.actions);
      await plan({ configPath: w.config, manifestPath: w.manifest, statePath: w.state, out: firstPath, excludes: [k.address] });
      assert.equal((await apply({ planPath: firstPath, configPath: w.config, statePath: w.state })).result, 'ok');
      const planPath = join(w.dir, 'plan.json');
      const target = await plan({ configPath: w.config, manifestPath: w.manifest, statePath: w.state, out: planPath, targets: [k.address] });
      assert.deepEqual(target.plan.actions.filter((a) => a.action !== 'no-op').map((a) => a.address), [k.address]);
      // The owner's GET of its keypair is held (429, Retry-After 100 s, under the client's 120 s
      // ceiling, so a test process starved for seconds on a loaded machine still catches it): the child sits between
      // writing the temporary hash and restoring the original when it is killed.
      w.sim.source.setFaults({ nova: { GET: { pathContains: '/os-keypairs/key-1', burst429: { every: 1, count: 1000, retryAfterS: 100 } } } });
      // One child is enough when the kill lands in the window; on a loaded machine the child
      // has been seen to restore the hash between the test's read and the kill (the owner's
      // step ended early), so a missed window is tried again, up to three children.
      let stdout = '';
      let stderr = '';
      let killed = false;
      for (let attempt = 0; attempt < 3; attempt++) {
        const child = spawn(process.execPath, ['--import', 'tsx', CHILD, planPath, w.config, w.state], { stdio: ['ignore', 'pipe', 'pipe'] });
        stdout = '';
        stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const exited = new Promise<unknown>((r) => child.once('exit', r));
        killed = false;
        for (let i = 0; i < 600 && !killed; i++) {
          if (child.exitCode !== null) break;
          const now = await w.sourceHash();
          if (now !== before && existsSync(w.recovery)) {
            child.kill('SIGKILL');
            killed = true;
          } else {
            await new Promise((r) => setTimeout(r, 50));
          }
        }
        await exited;
        if (!killed || (await w.sourceHash()) !== before) break;
        const lock = await readLock(w.state);
        if (lock) await forceUnlock(w.state, lock.ID);
      }
      const left = await w.sourceHash();
      if (!killed || left === before) {
        // Seen only inside the full CI run (never alone, nor under a synthetic load): the
        // child's owner step ended before the 429 hold, so no kill landed in the window. The
        // restore-after-crash logic is then not reached here (owner-token.test.ts covers it
        // with fakes); say so rather than pass as if it had been.
        t.diagnostic(`no kill landed while the owner held the temporary password (killed: ${killed}); child stdout tail: ${stdout.slice(-1500)}; stderr: ${stderr.slice(-500)}`);
        t.skip('the kill missed the temporary-password window in three tries');
        return;
      }
      assert.notEqual(left, before, `the owner holds the temporary hash after the crash ${stdout.slice(-3000)}`);
      assert.equal((await stat(w.recovery)).mode & 0o777, 0o600);
      assert.equal(await readFile(w.recovery, 'utf8'), `${w.owner.id}\t${before}\n`);
      await assert.rejects(loginV2(w.sim.source, w.owner.name, w.owner.password, w.owner.tenant), /401/);

      // The next apply is of a plan without the keypair (excluded, with the server using it),
      // which the state refuses as stale (it was made from the state the child left): no
      // keypair step runs, so only the recovery at apply start can put the hash back.
      w.sim.source.setFaults({});
      const otherPath = join(w.dir, 'other.json');
      const other = await plan({ configPath: w.config, manifestPath: w.manifest, statePath: w.state, out: otherPath, excludes: [k.address] });
      assert.ok(!other.plan.actions.some((a) => a.kind === 'keypair'));
      await apply({ planPath: otherPath, configPath: w.config, statePath: w.state, lockTimeoutS: 90 }).catch(() => undefined);
      assert.equal(await w.sourceHash(), before, 'restored at apply start');
      assert.equal(existsSync(w.recovery), false);
      assert.equal((await loginV2(w.sim.source, w.owner.name, w.owner.password, w.owner.tenant)).user.id, w.owner.id);

      // Then the whole plan: the keypair is read as its owner again, the server boots with it.
      const againPath = join(w.dir, 'again.json');
      await plan({ configPath: w.config, manifestPath: w.manifest, statePath: w.state, out: againPath });
      const last = await apply({ planPath: againPath, configPath: w.config, statePath: w.state });
      assert.equal(last.result, 'ok', JSON.stringify(last.failures));
      assert.equal(w.sim.destination.store.servers.all()[0]?.keyName, 'key-1');
      const dstUser = w.sim.destination.store.identity.users.all().find((u) => u.name === w.owner.name)!;
      assert.equal(w.sim.destination.store.keypairs.get(`${dstUser.id}/key-1`)?.fingerprint, w.sim.source.store.keypairs.get(`${w.owner.id}/key-1`)!.fingerprint);
      assert.equal(await w.sourceHash(), before);
      assert.equal((await loginV2(w.sim.source, w.owner.name, w.owner.password, w.owner.tenant)).user.id, w.owner.id);
      assert.equal(existsSync(w.recovery), false);
    } finally {
      await w.close();
    }
  });
});
