// Apply concurrency bench: N independent server migrations whose one step "builds" for
// BUILD_S seconds (a fake kind polling through ctx.wait, journaled like any step), applied
// with --parallelism P. The ideal wall time is ceil(N / P) * BUILD_S; the ratio to it shows
// what scheduling, journaling (fsync per record) and events cost. Goal: <= 1.15.
//
//   node --import tsx bench/apply-parallel.ts [actions=200] [parallelism=20] [build_s=2]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { applyPlan } from '../src/apply/index.js';
import { MemoryReporter } from '../src/events/index.js';
import { FakeCloud } from '../test/apply/fixtures/fake-cloud.js';
import { fakeKinds } from '../test/apply/fixtures/fake-kinds.js';
import { independentServers, writeTestPlan } from '../test/apply/fixtures/plans.js';
import { NO_CLOUDS } from '../test/apply/helpers.js';

const [actions = 200, parallelism = 20, buildS = 2] = process.argv.slice(2).map(Number);
const dir = mkdtempSync(join(tmpdir(), 'ph-bench-apply-'));
try {
  const { path } = await writeTestPlan(independentServers(actions).build(), dir);
  const reporter = new MemoryReporter();
  const started = performance.now();
  const result = await applyPlan({
    planPath: path,
    statePath: join(dir, 'state.json'),
    registry: fakeKinds({ cloud: new FakeCloud(), delayMs: () => buildS * 1000 }),
    clouds: NO_CLOUDS,
    parallelism,
    reporter,
  });
  const wall = (performance.now() - started) / 1000;
  const ideal = Math.ceil(actions / parallelism) * buildS;
  if (result.result !== 'ok' || result.counts.done !== actions) throw new Error(`apply did not finish: ${JSON.stringify(result.counts)}`);
  console.log(`apply-parallel: ${actions} actions, parallelism ${parallelism}, ${buildS} s build each`);
  console.log(`  wall ${wall.toFixed(2)} s, ideal ${ideal} s, ratio ${(wall / ideal).toFixed(3)} (goal <= 1.15)`);
  console.log(`  ${reporter.events.length} events, state serial ${result.serial}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
