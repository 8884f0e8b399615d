import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Writable } from 'node:stream';
import type { ApplyResult } from '../../src/apply/index.js';
import { outcomeError, run } from '../../src/cli/commands/apply.js';
import type { CommandContext } from '../../src/cli/context.js';
import { PumphouseError } from '../../src/errors/index.js';
import { MemoryReporter } from '../../src/events/index.js';
import { StateLock } from '../../src/state/index.js';
import { TestPlan, writeTestPlan } from '../apply/fixtures/plans.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'ph-cli-apply-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const CONFIG = `CLOUDS:
  source:
    endpoint:
      auth_url: http://127.0.0.1:5000/v3
      username: admin
      password: pw-source-not-shown
      tenant_name: admin
  destination:
    endpoint:
      auth_url: http://127.0.0.1:15000/v3
      username: admin
      password: pw-destination-not-shown
      project_name: admin
`;
const config = join(dir, 'pumphouse.yaml');
writeFileSync(config, CONFIG);
const otherConfig = join(dir, 'other.yaml');
writeFileSync(otherConfig, CONFIG.replace('127.0.0.1:15000', '10.0.0.9:5000'));

function noops(planId: string) {
  const p = new TestPlan();
  p.add({ address: 'tenant[a]', kind: 'project', action: 'no-op', destinationId: 'p-1' });
  return p.build({ planId });
}

function withWork(planId: string) {
  const p = new TestPlan();
  const a = p.add({ address: 'tenant[a]', kind: 'project', action: 'create' });
  p.add({ address: 'tenant[a].server[vm]', kind: 'server', action: 'migrate', deps: [a] });
  return p.build({ planId });
}

const cli = (args: readonly string[]) => runCli(args);

function context(): CommandContext {
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  return { stdout: sink, stderr: sink, reporter: new MemoryReporter(), json: false, color: false, signal: new AbortController().signal, exitCode: 0 };
}

const rejectsWith = (codeWanted: string, message?: RegExp) => (e: unknown) => {
  assert.ok(PumphouseError.is(e), String(e));
  assert.equal(e.code, codeWanted, e.message);
  if (message) assert.match(e.message, message);
  return true;
};

describe('pumphouse apply (real CLI)', () => {
  test('a plan without changes applies: exit 0, --json events, the state untouched', async () => {
    const { path } = await writeTestPlan(noops('00000000-0000-4000-8000-00000000c001'), dir, 'noop.json');
    const r = await cli(['--json', 'apply', path, '-c', config, '--state', join(dir, 'noop.state.json')]);
    assert.equal(r.code, 0, r.stderr);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; '@message': string });
    assert.ok(events.some((e) => e.type === 'apply_complete' && /no changes/.test(e['@message'])));
    assert.equal(existsSync(join(dir, 'noop.state.json')), false);
  });

  test('a tampered plan: exit 1 with PH_PLAN_TAMPERED, no secret printed', async () => {
    const { path } = await writeTestPlan(withWork('00000000-0000-4000-8000-00000000c002'), dir, 'tampered.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('tenant[a].server[vm]', 'tenant[a].server[vn]'));
    const r = await cli(['apply', path, '-c', config, '--state', join(dir, 'tampered.state.json')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error \[PH_PLAN_TAMPERED\]/);
    assert.doesNotMatch(r.stdout + r.stderr, /pw-(source|destination)/);
    assert.equal(existsSync(join(dir, 'tampered.state.json')), false);
  });
});

describe('pumphouse apply (command)', () => {
  test('with the built-in kinds wired, a plan with work against clouds it cannot reach fails with a typed error', async () => {
    const { path } = await writeTestPlan(withWork('00000000-0000-4000-8000-00000000c003'), dir, 'work.json');
    const state = join(dir, 'work.state.json');
    await assert.rejects(run([path], { config, state }, context()), (err: unknown) => typeof (err as { code?: unknown }).code === 'string' && String((err as { code: string }).code).startsWith('PH_'));
  });

  test('a config naming other clouds than the plan was made for is refused (PH_PLAN_STALE)', async () => {
    const { path } = await writeTestPlan(noops('00000000-0000-4000-8000-00000000c004'), dir, 'other.json');
    await assert.rejects(run([path], { config: otherConfig, state: join(dir, 'other.state.json') }, context()), rejectsWith('PH_PLAN_STALE', /10\.0\.0\.9:5000/));
  });

  test('a plan reassigning hosts needs the Fuel master in the config', async () => {
    const p = new TestPlan();
    p.add({ address: 'host[n1]', kind: 'host_reassign', action: 'reassign', host: 'n1', after: { node_id: 1, source_environment: 1, destination_environment: 2 } });
    const { path } = await writeTestPlan(p.build({ planId: '00000000-0000-4000-8000-00000000c007' }), dir, 'hosts.json');
    await assert.rejects(run([path], { config, state: join(dir, 'hosts.state.json') }, context()), rejectsWith('PH_CONFIG_INVALID', /no Fuel master/));
  });

  test('a locked state: PH_STATE_LOCKED after --lock-timeout', async () => {
    const { path } = await writeTestPlan(noops('00000000-0000-4000-8000-00000000c005'), dir, 'locked.json');
    const state = join(dir, 'locked.state.json');
    const lock = await StateLock.acquire(state, { operation: 'apply' });
    try {
      await assert.rejects(run([path], { config, state, lockTimeout: '0.2s' }, context()), rejectsWith('PH_STATE_LOCKED'));
    } finally {
      await lock.release();
    }
  });

  test('usage errors', async () => {
    const { path } = await writeTestPlan(noops('00000000-0000-4000-8000-00000000c006'), dir, 'usage.json');
    const state = join(dir, 'usage.state.json');
    await assert.rejects(run([], { config, state }, context()), rejectsWith('PH_USAGE', /needs a plan file/));
    await assert.rejects(run([path], { config, state, parallelism: '0' }, context()), rejectsWith('PH_USAGE', /--parallelism/));
    await assert.rejects(run([path], { config, state, parallelism: 'many' }, context()), rejectsWith('PH_USAGE'));
    await assert.rejects(run([path], { config, state, limit: ['servers=2'] }, context()), rejectsWith('PH_USAGE', /GROUP=N/));
    await assert.rejects(run([path], { config, state, limit: ['server=0'] }, context()), rejectsWith('PH_USAGE'));
    await assert.rejects(run([path], { config, state, lockTimeout: 'soon' }, context()), rejectsWith('PH_USAGE', /--lock-timeout/));
    await run([path], { config, state, limit: ['server=2', 'transfer=1'], lockTimeout: '1m', parallelism: '3' }, context());
  });
});

describe('how a run that did not finish is reported', () => {
  const base: ApplyResult = {
    planId: 'P',
    sha256: 'x',
    result: 'failed',
    resumed: false,
    counts: { done: 3, already: 1, noop: 0, failed: 1, precondition: 1, skipped: 2, interrupted: 0 },
    failures: [
      { id: '1', address: 'tenant[a].server[vm]', action: 'migrate', code: 'PH_CLOUD_HTTP', message: 'Nova answered 500' },
      { id: '2', address: 'tenant[b]', action: 'create', code: 'PH_PRECONDITION_FAILED', message: 'precondition failed: x' },
    ],
    skipped: [{ id: '3', address: 'tenant[b].network[n]', because: 'depends on tenant[b], which failed' }],
    serial: 7,
    statePath: '/s/state.json',
    elapsedMs: 1,
  };

  test('failures: every failed and skipped action listed with its code; the state saved', () => {
    const e = outcomeError(base);
    assert.equal(e.code, 'PH_PRECONDITION_FAILED');
    assert.match(e.message, /2 action\(s\) failed and 2 were skipped .*serial 7/);
    assert.deepEqual(e.problems.map((p) => p.message), [
      'tenant[a].server[vm]: [PH_CLOUD_HTTP] Nova answered 500',
      'tenant[b]: [PH_PRECONDITION_FAILED] precondition failed: x',
      'tenant[b].network[n]: skipped, depends on tenant[b], which failed',
    ]);
    assert.equal(outcomeError({ ...base, failures: [base.failures[0]!] }).code, 'PH_CLOUD_HTTP');
  });

  test('interrupted: PH_ABORTED (exit 130), continue with the same command', () => {
    const e = outcomeError({ ...base, result: 'interrupted', failures: [], skipped: [], counts: { ...base.counts, interrupted: 4 } });
    assert.equal(e.code, 'PH_ABORTED');
    assert.match(e.message, /4 action\(s\) not finished.*run the same apply again to continue/);
  });
});
