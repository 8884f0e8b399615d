/**
 * A whole migration between the two real Zed clouds of the testbed, through the pumphouse
 * binary (`node --import tsx src/cli/run.ts`), as an operator runs it: the source tenant is
 * built through the APIs (e2e/seed-tenant.ts), then `plan -out`, `show` (text and markdown),
 * `apply`, and the destination is checked object by object (e2e/verify.ts): identity with the
 * source passwords logging in (hashes copied between the real Keystone databases), keypair,
 * groups and the rule naming the other group, network/subnet/router, port and server with the
 * same fixed IP, floating IP, image checksum, volume bytes, quotas; a second `plan
 * --detailed-exitcode` exits 0. The kill -9 + resume scenario is e2e-kill-resume.test.ts (a
 * file of its own: the two run side by side). Both clouds are cleaned even on failure.
 */
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testbedSkipReason } from './kinds-support.js';
import { pumphouse, transcript } from './e2e/cli.js';
import { operatorDir } from './e2e/files.js';
import { E2eRun, succeeded } from './e2e/run.js';
import { forcedUploadEnabled, seedTenant, type SeededTenant } from './e2e/seed-tenant.js';
import { verifyDestination } from './e2e/verify.js';

const skip = await testbedSkipReason();

describe('end-to-end migration between the real clouds through the CLI', { skip: skip ?? false, concurrency: false }, () => {
  const run = new E2eRun('e2e-migration');
  let a: SeededTenant;

  before(async () => {
    const tb = await run.open();
    // The testbed's NFS Cinder can neither clone nor (unless enable_force_upload) upload an
    // attached volume: then the volume stays detached in the source (docs/architecture/real-e2e.md).
    a = await run.timed('seed', () => seedTenant(tb.source, `${run.prefix}-a`, 91, forcedUploadEnabled()));
  });

  after(() => run.finish());

  it('plan -out, show, apply; the destination holds every object; a second plan has no changes', async (t: TestContext) => {
    if (!a.attached) t.diagnostic('the source Cinder has no enable_force_upload: the volume is migrated detached');
    const dir = operatorDir(run.root, a.name);
    const plan = await run.timed('plan', () => pumphouse(['plan', '-out', 'plan.json', '--detailed-exitcode'], { cwd: dir }));
    assert.equal(plan.code, 2, `plan with changes exits 2\n${transcript(plan)}`);
    assert.match(plan.stdout, /Saved the plan to: plan\.json/);
    const sha = /sha256:\s+([0-9a-f]{64})/.exec(plan.stdout)?.[1];
    assert.ok(sha, 'the plan output gives the sha256');

    const text = await run.timed('show', () => pumphouse(['show', 'plan.json'], { cwd: dir }));
    succeeded(text, 'show');
    for (const addr of [`tenant[${a.name}]`, `tenant[${a.name}].server[app]`, `tenant[${a.name}].volume[data]`, `user[${a.users[0]!.name}].password_hash`, `tenant[${a.name}].security_group[db]`]) {
      assert.ok(text.stdout.includes(addr), `show lists ${addr}`);
    }
    const md = await run.timed('show', () => pumphouse(['show', 'plan.json', '--format', 'markdown'], { cwd: dir }));
    succeeded(md, 'show --format markdown');
    assert.match(md.stdout, /^#/m, 'markdown headings');
    assert.ok(md.stdout.includes(`tenant[${a.name}].server[app]`));
    const everything = plan.stdout + text.stdout + md.stdout + readFileSync(join(dir, 'plan.json'), 'utf8');
    for (const secret of [...a.users.map((u) => u.password), 'admin:admin', 'testbed@']) assert.ok(!everything.includes(secret), 'no secret in the plan or its renderings');

    const applied = await run.timed('apply', () => pumphouse(['apply', 'plan.json', '--expect-sha256', sha], { cwd: dir }));
    succeeded(applied, 'apply');

    const problems = await run.timed('verify', () => verifyDestination(run.tb.source, run.tb.destination, a));
    assert.deepEqual(problems, [], 'the destination holds the tenant');

    const again = await run.timed('replan', () => pumphouse(['plan', '--detailed-exitcode'], { cwd: dir }));
    assert.equal(again.code, 0, `a second plan has no changes\n${transcript(again)}`);
    assert.match(again.stdout, /No changes\./);
    // What apply recorded (addresses, the VIP pair, pools, DNS servers...) is what the real destination holds.
    assert.doesNotMatch(again.stdout, /Drift:/, transcript(again));
  });
});
