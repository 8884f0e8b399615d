/**
 * A whole migration between the two real Zed clouds of the testbed, through the pumphouse
 * binary (`node --import tsx src/cli/run.ts`), as an operator runs it: the source tenant is
 * built through the APIs (e2e/seed-tenant.ts), then `plan -out`, `show` (text and markdown),
 * `apply`, and the destination is checked object by object (e2e/verify.ts): identity with the
 * source passwords logging in (hashes copied between the real Keystone databases), keypair,
 * groups and the rule naming the other group, network/subnet/router, port and server with the
 * same fixed IP, floating IP, image checksum, volume bytes, quotas; a second `plan
 * --detailed-exitcode` exits 0. The second scenario SIGKILLs `apply` twice (while the volume's
 * bytes stream, and while the server boots) and continues each time with the same command
 * (after `force-unlock`, as the refusal says): the migration completes with exactly one of
 * everything. Both clouds are cleaned even on failure.
 */
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { wipeTenants } from './kinds-data-fixtures.js';
import { openTestbed, testbedSkipReason, type Testbed } from './kinds-support.js';
import { events, journalLines, pumphouse, transcript, type CliRun } from './e2e/cli.js';
import { operatorDir } from './e2e/files.js';
import { forcedUploadEnabled, seedTenant, type SeededTenant } from './e2e/seed-tenant.js';
import { verifyDestination } from './e2e/verify.js';

const skip = await testbedSkipReason();

describe('end-to-end migration between the real clouds through the CLI', { skip: skip ?? false, concurrency: false }, () => {
  const prefix = `phe-${randomBytes(4).toString('hex')}`;
  const root = mkdtempSync(join(tmpdir(), 'ph-e2e-'));
  const timings: Record<string, number> = {};
  let tb: Testbed;
  let a: SeededTenant;
  let b: SeededTenant;

  const timed = async <T>(part: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await fn();
    } finally {
      timings[part] = (timings[part] ?? 0) + (Date.now() - t0);
    }
  };

  // The testbed's NFS Cinder can neither clone nor (unless enable_force_upload) upload an
  // attached volume: then the volume stays detached in the source (docs/operators/real-cloud-notes.md).
  const attach = forcedUploadEnabled();

  before(async () => {
    tb = await openTestbed();
    if (!attach) process.stderr.write('e2e-migration: the source Cinder has no enable_force_upload: the volume is migrated detached\n');
    [a, b] = await timed('seed (both tenants, in parallel)', () => Promise.all([seedTenant(tb.source, `${prefix}-a`, 91, attach), seedTenant(tb.source, `${prefix}-b`, 92, attach)]));
  });

  after(async () => {
    const left: string[] = [];
    if (tb) {
      await timed('cleanup', async () => {
        for (const cloud of [tb.destination, tb.source]) left.push(...(await wipeTenants(cloud, prefix).catch((e: Error) => [`${cloud.session.name}: ${e.message}`])));
      });
      await tb.close();
    }
    rmSync(root, { recursive: true, force: true });
    process.stderr.write(`e2e-migration timings (s): ${JSON.stringify(Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v / 100) / 10])))}\n`);
    assert.deepEqual(left, [], 'cleanup');
  });

  const ok = (r: CliRun, what: string) => assert.equal(r.code, 0, `${what}\n${transcript(r)}`);

  it('plan -out, show, apply; the destination holds every object; a second plan has no changes', async (t: TestContext) => {
    const dir = operatorDir(root, a.name);
    const plan = await timed('A plan', () => pumphouse(['plan', '-out', 'plan.json', '--detailed-exitcode'], { cwd: dir }));
    assert.equal(plan.code, 2, `plan with changes exits 2\n${transcript(plan)}`);
    assert.match(plan.stdout, /Saved the plan to: plan\.json/);
    const sha = /sha256:\s+([0-9a-f]{64})/.exec(plan.stdout)?.[1];
    assert.ok(sha, 'the plan output gives the sha256');

    const text = await pumphouse(['show', 'plan.json'], { cwd: dir });
    ok(text, 'show');
    for (const addr of [`tenant[${a.name}]`, `tenant[${a.name}].server[app]`, `tenant[${a.name}].volume[data]`, `user[${a.users[0]!.name}].password_hash`, `tenant[${a.name}].security_group[db]`]) {
      assert.ok(text.stdout.includes(addr), `show lists ${addr}`);
    }
    const md = await pumphouse(['show', 'plan.json', '--format', 'markdown'], { cwd: dir });
    ok(md, 'show --format markdown');
    assert.match(md.stdout, /^#/m, 'markdown headings');
    assert.ok(md.stdout.includes(`tenant[${a.name}].server[app]`));
    for (const secret of [...a.users.map((u) => u.password), 'admin:admin', 'testbed@']) {
      assert.ok(!(plan.stdout + text.stdout + md.stdout + readFileSync(join(dir, 'plan.json'), 'utf8')).includes(secret), 'no secret in the plan or its renderings');
    }

    const applied = await timed('A apply', () => pumphouse(['apply', 'plan.json', '--expect-sha256', sha], { cwd: dir }));
    ok(applied, 'apply');
    t.diagnostic(`apply took ${applied.ms} ms`);

    const problems = await timed('A verify', () => verifyDestination(tb.source, tb.destination, a));
    assert.deepEqual(problems, [], 'the destination holds the tenant');

    const again = await timed('A replan', () => pumphouse(['plan', '--detailed-exitcode'], { cwd: dir }));
    assert.equal(again.code, 0, `a second plan has no changes\n${transcript(again)}`);
    assert.match(again.stdout, /No changes\./);
  });

  it('apply killed with SIGKILL twice (volume copy, server boot), then the same apply again: complete, no duplicates', async (t: TestContext) => {
    const dir = operatorDir(root, b.name);
    const plan = await timed('B plan', () => pumphouse(['plan', '-out', 'plan.json'], { cwd: dir }));
    ok(plan, 'plan');
    const command = ['--json', 'apply', 'plan.json'];
    const statePath = join(dir, 'pumphouse.state.json');

    /** Runs the apply until `when` says why to kill it; then frees the dead run's lock as an operator would. */
    const killMidway = async (part: string, when: (e: { type?: string; step?: string; address?: string; done_bytes?: number }) => boolean, delayMs: number) => {
      let seen = 0;
      const killed = await timed(part, () =>
        pumphouse(command, {
          cwd: dir,
          killWhen: (line) => {
            if (line && seen === 0 && when(parsed(line))) seen = Date.now();
            return seen > 0 && Date.now() - seen >= delayMs ? `${part}: ${delayMs} ms after the event` : undefined;
          },
        }),
      );
      assert.equal(killed.signal, 'SIGKILL', `${part}: apply was killed mid-way (it must not have finished first)\n${transcript(killed)}`);
      const lines = journalLines(statePath);
      t.diagnostic(`${part}: killed after ${killed.ms} ms; ${events(killed).filter((e) => e.type === 'action_complete').length} actions complete in this run, journal ${lines} lines`);
      assert.ok(lines > 0, 'the journal holds what was done before the kill');
      // The same command: refused while the dead run's lease holds, naming the lock id to free.
      const refused = await pumphouse(command, { cwd: dir });
      assert.equal(refused.code, 1, transcript(refused));
      assert.match(refused.stderr + refused.stdout, /PH_STATE_LOCKED/);
      const lockId = (JSON.parse(readFileSync(`${statePath}.lock`, 'utf8')) as { ID: string }).ID;
      assert.ok((refused.stderr + refused.stdout).includes(lockId), 'the refusal names the lock id');
      ok(await pumphouse(['force-unlock', lockId], { cwd: dir }), 'force-unlock');
    };

    // 1: while the volume's bytes stream between the clouds (temporary images on both sides).
    await killMidway('B apply killed in the volume copy', (e) => e.type === 'progress' && /\.volume\[data\]$/.test(e.address ?? '') && (e.done_bytes ?? 0) > 0, 0);
    // 2: 1.5 s after the server's boot step starts: the boot request is in flight or made,
    // the state knows the step started but not its result.
    await killMidway('B apply killed in the server boot', (e) => e.type === 'step_start' && e.step === 'boot', 1500);

    const resumed = await timed('B apply resumed', () => pumphouse(command, { cwd: dir }));
    ok(resumed, 'the resumed apply');
    assert.ok(events(resumed).some((e) => e.type === 'journal_replayed'), 'the resumed run replayed the journal of the killed one');

    const problems = await timed('B verify', () => verifyDestination(tb.source, tb.destination, b));
    assert.deepEqual(problems, [], 'the destination holds the tenant exactly once');
    // Servers, volumes and images whose marker names the source object: exactly one each.
    const marked = async () => ({
      servers: (await tb.destination.compute.servers.list({ allTenants: true })).filter((s) => s.metadata['pumphouse_source'] === b.serverId).length,
      volumes: (await tb.destination.volume!.volumes.list({ allTenants: true })).filter((v) => v.metadata['pumphouse_source'] === b.volume.id).length,
      images: (await tb.destination.image.list()).filter((i) => i.properties['pumphouse_source'] === b.image.id).length,
    });
    assert.deepEqual(await marked(), { servers: 1, volumes: 1, images: 1 }, 'one marked copy of each');

    const again = await timed('B replan', () => pumphouse(['plan', '--detailed-exitcode'], { cwd: dir }));
    assert.equal(again.code, 0, `a plan after the resumed apply has no changes\n${transcript(again)}`);
  });
});

function parsed(line: string): { type?: string; step?: string; address?: string; done_bytes?: number } {
  try {
    return JSON.parse(line) as { type?: string };
  } catch {
    return {};
  }
}
