/**
 * The end-to-end migration of e2e-migration.test.ts (another tenant, same seed, same checks),
 * with `pumphouse apply` killed by SIGKILL twice: while the volume's bytes stream between the
 * clouds, and 1.5 s after the server's boot step starts. Each time the same apply command is
 * refused while the dead run's lease holds (PH_STATE_LOCKED naming the lock id), the lock is
 * freed with `pumphouse force-unlock`, and the same command continues; the last run replays
 * the journal and completes. The destination then holds exactly one of everything, and a new
 * plan has no changes. Both clouds are cleaned even on failure.
 */
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testbedSkipReason } from './kinds-support.js';
import { events, journalLines, pumphouse, transcript } from './e2e/cli.js';
import { operatorDir } from './e2e/files.js';
import { E2eRun, succeeded } from './e2e/run.js';
import { forcedUploadEnabled, seedTenant, type SeededTenant } from './e2e/seed-tenant.js';
import { verifyDestination } from './e2e/verify.js';

const skip = await testbedSkipReason();

interface Event {
  readonly type?: string;
  readonly step?: string;
  readonly address?: string;
  readonly done_bytes?: number;
}

describe('end-to-end migration with apply killed (kill -9) and resumed', { skip: skip ?? false, concurrency: false }, () => {
  const run = new E2eRun('e2e-kill-resume');
  let b: SeededTenant;

  before(async () => {
    const tb = await run.open();
    b = await run.timed('seed', () => seedTenant(tb.source, `${run.prefix}-b`, 92, forcedUploadEnabled()));
  });

  after(() => run.finish());

  it('apply killed with SIGKILL twice (volume copy, server boot), then the same apply again: complete, no duplicates', async (t: TestContext) => {
    const dir = operatorDir(run.root, b.name);
    succeeded(await run.timed('plan', () => pumphouse(['plan', '-out', 'plan.json'], { cwd: dir })), 'plan');
    const command = ['--json', 'apply', 'plan.json'];
    const statePath = join(dir, 'pumphouse.state.json');

    /** Runs the apply until `when` has matched an event `delayMs` ago; then frees the dead run's lock as an operator would. */
    const killMidway = async (part: string, when: (e: Event) => boolean, delayMs: number) => {
      let seen = 0;
      const killed = await run.timed(part, () =>
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
      succeeded(await pumphouse(['force-unlock', lockId], { cwd: dir }), 'force-unlock');
    };

    // 1: while the volume's bytes stream between the clouds (temporary images on both sides).
    await killMidway('killed in the volume copy', (e) => e.type === 'progress' && /\.volume\[data\]$/.test(e.address ?? '') && (e.done_bytes ?? 0) > 0, 0);
    // 2: 1.5 s after the server's boot step starts: the boot request is in flight or made,
    // the state knows the step started but not its result.
    await killMidway('killed in the server boot', (e) => e.type === 'step_start' && e.step === 'boot', 1500);

    const resumed = await run.timed('resumed apply', () => pumphouse(command, { cwd: dir }));
    succeeded(resumed, 'the resumed apply');
    assert.ok(events(resumed).some((e) => e.type === 'journal_replayed'), 'the resumed run replayed the journal of the killed one');

    const problems = await run.timed('verify', () => verifyDestination(run.tb.source, run.tb.destination, b));
    assert.deepEqual(problems, [], 'the destination holds the tenant exactly once');
    // Servers, volumes and images whose marker names the source object: exactly one each.
    const d = run.tb.destination;
    const marked = {
      servers: (await d.compute.servers.list({ allTenants: true })).filter((s) => s.metadata['pumphouse_source'] === b.serverId).length,
      volumes: (await d.volume!.volumes.list({ allTenants: true })).filter((v) => v.metadata['pumphouse_source'] === b.volume.id).length,
      images: (await d.image.list()).filter((i) => i.properties['pumphouse_source'] === b.image.id).length,
    };
    assert.deepEqual(marked, { servers: 1, volumes: 1, images: 1 }, 'one marked copy of each');

    const again = await run.timed('replan', () => pumphouse(['plan', '--detailed-exitcode'], { cwd: dir }));
    assert.equal(again.code, 0, `a plan after the resumed apply has no changes\n${transcript(again)}`);
  });
});

function parsed(line: string): Event {
  try {
    return JSON.parse(line) as Event;
  } catch {
    return {};
  }
}
