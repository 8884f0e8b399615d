import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FIXED_IDENTITY_ENV } from '../../src/cli/commands/plan.js';
import { planBench, type PlanBench } from '../app/plan-fixtures.js';
import { runCli, type CliRun } from './run-cli.js';

const IDENTITY = JSON.stringify({ plan_id: '00000000-0000-4000-8000-0000000000aa', created_at: '2026-11-26T12:00:00.000Z' });

function cli(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runCli(args, { ...process.env, NO_COLOR: '1', ...env });
}

const sha = async (path: string): Promise<string> => createHash('sha256').update(await readFile(path)).digest('hex');

let b: PlanBench;
before(async () => {
  b = await planBench();
});
after(async () => {
  await b.close();
});

describe('pumphouse plan', () => {
  test('prints the plan, where it was saved (id, sha256) and the apply command; exit 2 with changes', async () => {
    const out = join(b.dir, 'a.plan');
    const r = await cli(['plan', '-c', b.config, '-m', b.manifest, '--state', b.state, '-out', out, '--detailed-exitcode'], { [FIXED_IDENTITY_ENV]: IDENTITY });
    assert.equal(r.code, 2, r.stderr);
    const digest = await sha(out);
    assert.match(r.stdout, /^Pumphouse plan 00000000-0000-4000-8000-0000000000aa$/m);
    assert.match(r.stdout, /^discovering source$/m, 'discovery events on the terminal');
    assert.match(r.stdout, new RegExp(`^To apply exactly this plan: pumphouse apply ${out.replace(/[.]/g, '\\.')} --expect-sha256 ${digest}$`, 'm'));
    assert.match(r.stdout, new RegExp(`Saved the plan to: ${out.replace(/[.]/g, '\\.')}\\n  plan id: 00000000-0000-4000-8000-0000000000aa\\n  sha256:  ${digest}\\n$`));
    assert.doesNotMatch(r.stdout, /^tenant\[acme\]\.server\[app-2\]: migrate/m, 'planned_change events are not printed twice');
    assert.doesNotMatch(r.stdout, /No changes\./);
    await assert.rejects(stat(b.state), { code: 'ENOENT' });

    const again = join(b.dir, 'b.plan');
    const r2 = await cli(['plan', '-c', b.config, '-m', b.manifest, '--state', b.state, '--out', again], { [FIXED_IDENTITY_ENV]: IDENTITY });
    assert.equal(r2.code, 0, 'no --detailed-exitcode');
    assert.equal(await sha(again), digest, 'unchanged clouds, fixed identity: the same bytes');
  });

  test('--json: events only, one JSON object a line', async () => {
    const out = join(b.dir, 'json.plan');
    const r = await cli(['--json', 'plan', '-c', b.config, '-m', b.manifest, '--state', b.state, '-o', out, '--detailed-exitcode']);
    assert.equal(r.code, 2, r.stderr);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; sha256?: string });
    const types = new Set(events.map((e) => e.type));
    for (const t of ['discovery_start', 'discovery_progress', 'discovery_complete', 'planned_change', 'diagnostic', 'change_summary', 'plan_written']) assert.ok(types.has(t), t);
    assert.equal(events.find((e) => e.type === 'plan_written')!.sha256, await sha(out));
    assert.doesNotMatch(r.stdout, /Pumphouse plan/);
  });

  test('no changes: "No changes." and exit 0 with --detailed-exitcode', async () => {
    const r = await cli(['plan', '-c', b.config, '-m', b.emptyManifest, '--state', b.state, '--detailed-exitcode']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^No changes\.$/m);
  });

  test('a plan with errors is shown and exits 1, whatever --detailed-exitcode says', async () => {
    const manifest = join(b.dir, 'missing.yaml');
    await writeFile(manifest, 'version: 1\ntenants:\n  - name: nowhere\n');
    const r = await cli(['plan', '-c', b.config, '-m', manifest, '--state', b.state, '--detailed-exitcode']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /tenant .*nowhere.* not found in the source cloud/);
    assert.match(r.stdout, /^The plan has errors \(see Diagnostics\): fix them and plan again\.$/m);
    assert.doesNotMatch(r.stdout, /^No changes\.$/m);
  });
});
