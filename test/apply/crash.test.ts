import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { applyPlan } from '../../src/apply/index.js';
import { forceUnlock, readLock, StateStore } from '../../src/state/index.js';
import { FakeCloud } from './fixtures/fake-cloud.js';
import { crashKinds } from './fixtures/crash-kinds.js';
import { migrationPlan, writeTestPlan } from './fixtures/plans.js';
import { NO_CLOUDS, World } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./fixtures/apply-child.ts', import.meta.url));
// Each child costs ~1 s of CPU (tsx, schema compilation): 12 keeps the file fast on 2 cores.
const KILLS = 12;
const PARALLELISM = 4;

const reference = new World();
const crashed = new World(true);
after(() => {
  reference.cleanup();
  crashed.cleanup();
});

interface Child {
  /** Resolves once the child has loaded everything and waits for `go`. */
  readonly ready: Promise<void>;
  /** Starts the apply; SIGKILLs the child `jitterMs` after its `killAfter`-th step started. */
  go(killAfter: number, jitterMs: number): Promise<{ stdout: string; killed: boolean }>;
  /** Ends a child that was never told to go. */
  discard(): Promise<void>;
}

function startChild(planPath: string): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, planPath, crashed.statePath, join(crashed.dir, 'cloud.json'), String(PARALLELISM)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let starts = 0;
  let killAt = Infinity;
  let jitter = 0;
  let killed = false;
  let onReady: () => void = () => {};
  const ready = new Promise<void>((r) => (onReady = r));
  child.stdout.on('data', (d: Buffer) => {
    const text = d.toString();
    stdout += text;
    if (stdout.startsWith('ready\n')) onReady();
    starts += text.split('"type":"step_start"').length - 1;
    if (!killed && starts >= killAt) {
      killed = true;
      setTimeout(() => child.kill('SIGKILL'), jitter);
    }
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  return {
    ready,
    async go(killAfter, jitterMs) {
      killAt = killAfter;
      jitter = jitterMs;
      child.stdin.end('go\n');
      const { code, signal } = await exit;
      if (signal !== 'SIGKILL' && code !== 0) throw new Error(`child failed (${code}): ${stderr}`);
      return { stdout, killed: signal === 'SIGKILL' };
    },
    async discard() {
      child.kill('SIGKILL');
      await exit;
    },
  };
}

function assertNoSecret(text: string, where: string): void {
  assert.doesNotMatch(text, /SECRET-/, `a secret value reached ${where}`);
}

test('SIGKILL at random moments, resumed each time: the cloud ends as after an uninterrupted run, nothing made twice, no secret on disk', async () => {
  const plan = migrationPlan(2, 3).build();
  const ref = await applyPlan({
    planPath: (await writeTestPlan(plan, reference.dir)).path,
    statePath: reference.statePath,
    registry: crashKinds(reference.cloud),
    clouds: NO_CLOUDS,
    parallelism: PARALLELISM,
  });
  assert.equal(ref.result, 'ok');

  const { path } = await writeTestPlan(plan, crashed.dir);
  let kills = 0;
  let finishedByChild = false;
  let next = startChild(path);
  for (let run = 0; run < KILLS + 5 && kills < KILLS; run++) {
    const current = next;
    await current.ready;
    next = startChild(path);
    const out = await current.go(1 + Math.floor(Math.random() * 8), Math.floor(Math.random() * 15));
    assertNoSecret(out.stdout, 'the --json events');
    for (const f of [crashed.statePath, `${crashed.statePath}.journal.ndjson`, `${crashed.statePath}.backup`]) {
      if (existsSync(f)) assertNoSecret(readFileSync(f, 'utf8'), f);
    }
    if (!out.killed) {
      assert.match(out.stdout, /"type":"child_result","result":"ok"/);
      finishedByChild = true;
      break;
    }
    kills++;
    // The operator's move after a killed CI job: break the dead holder's lock.
    const lock = await readLock(crashed.statePath);
    if (lock) await forceUnlock(crashed.statePath, lock.ID);
  }
  await next.discard();
  assert.ok(kills >= 5, `only ${kills} kills landed`);

  const cloud = new FakeCloud(join(crashed.dir, 'cloud.json'));
  const { state } = await StateStore.open(crashed.statePath).load();
  const complete = state.history.some((h) => h.plan_id === plan.plan_id && h.result === 'ok');
  if (!complete) {
    assert.equal(finishedByChild, false);
    const last = await applyPlan({ planPath: path, statePath: crashed.statePath, registry: crashKinds(cloud), clouds: NO_CLOUDS, parallelism: PARALLELISM });
    assert.equal(last.result, 'ok');
    assert.equal(last.resumed, true);
  }

  assert.deepEqual(cloud.anomalies, [], 'a finished step was run again');
  assert.deepEqual(cloud.normalized(), reference.cloud.normalized(), 'the cloud differs from an uninterrupted run');
  const keys = cloud.objects.map((o) => `${o.kind} ${o.marker}`);
  assert.equal(new Set(keys).size, keys.length, 'duplicates in the cloud');
  assert.equal(cloud.objects.filter((o) => o.temp).length, 0, 'temporaries left behind');
  // At most the steps in flight at each kill made something that had to be redone.
  assert.ok(cloud.created <= reference.cloud.created + kills * PARALLELISM, `${cloud.created} objects created vs ${reference.cloud.created}`);
  const final = (await StateStore.open(crashed.statePath).load()).state;
  assert.deepEqual(final.temporaries, []);
  for (const a of plan.actions) {
    const o = final.objects.find((x) => x.address === a.address);
    assert.ok(o && (o.status === 'ready' || o.status === 'deleted'), `${a.address} is ${o?.status}`);
  }
  const mine = final.history.filter((h) => h.plan_id === plan.plan_id);
  assert.equal(mine.at(-1)?.result, 'ok');
  assert.ok(mine.slice(0, -1).every((h) => h.result === 'interrupted'));
  assertNoSecret(readFileSync(crashed.statePath, 'utf8'), 'the state file');
  process.stdout.write(`# ${kills} kills; ${cloud.created} objects created (uninterrupted: ${reference.cloud.created}); ${mine.length} runs recorded\n`);
});
