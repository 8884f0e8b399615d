import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { applyPlan, type ApplyPlanOptions, type ApplyResult } from '../../src/apply/index.js';
import { MemoryReporter } from '../../src/events/index.js';
import type { CloudAccess } from '../../src/kinds/contract.js';
import type { Plan } from '../../src/plan/index.js';
import { StateStore, type StateFile } from '../../src/state/index.js';
import { FakeCloud } from './fixtures/fake-cloud.js';
import { fakeKinds, Recorder, type FakeKindsOptions } from './fixtures/fake-kinds.js';
import { writeTestPlan } from './fixtures/plans.js';

/** Clouds that must not be touched: the fake kinds never ask for them. */
export const NO_CLOUDS: CloudAccess = {
  source: () => Promise.reject(new Error('no source in tests')),
  destination: () => Promise.reject(new Error('no destination in tests')),
  scoped: () => Promise.reject(new Error('no scoped clouds in tests')),
  fuel: () => Promise.reject(new Error('no fuel in tests')),
};

/**
 * A maker of fresh Worlds (no cloud file), each one's directory removed when the test file
 * ends. Call once at the top level of a test file: `const world = worldsOfThisFile();`.
 */
export function worldsOfThisFile(): () => World {
  const worlds: World[] = [];
  after(() => worlds.forEach((w) => w.cleanup()));
  return () => {
    const w = new World();
    worlds.push(w);
    return w;
  };
}

/** One test's world: a temp dir with the state file, a fake cloud, a recorder, events. */
export class World {
  readonly dir = mkdtempSync(join(tmpdir(), 'ph-apply-'));
  readonly statePath = join(this.dir, 'state.json');
  readonly cloud: FakeCloud;
  recorder = new Recorder();
  reporter = new MemoryReporter();

  constructor(cloudFile = false) {
    this.cloud = new FakeCloud(cloudFile ? join(this.dir, 'cloud.json') : undefined);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Writes `plan` and applies it with fake kinds; fresh recorder and events each time. */
  async apply(plan: Plan, options: Partial<ApplyPlanOptions> & { kinds?: Partial<FakeKindsOptions>; name?: string } = {}): Promise<ApplyResult> {
    const { path } = await writeTestPlan(plan, this.dir, options.name ?? 'plan.json');
    return this.applyFile(path, options);
  }

  async applyFile(planPath: string, options: Partial<ApplyPlanOptions> & { kinds?: Partial<FakeKindsOptions> } = {}): Promise<ApplyResult> {
    this.recorder = new Recorder();
    this.reporter = new MemoryReporter();
    const { kinds, ...rest } = options;
    return applyPlan({
      planPath,
      statePath: this.statePath,
      registry: fakeKinds({ cloud: this.cloud, recorder: this.recorder, secrets: { 'keystone/user/x/password_hash': '$6$rounds=1$salt$fakehashvalue' }, ...kinds }),
      clouds: NO_CLOUDS,
      reporter: this.reporter,
      ...rest,
    });
  }

  async state(): Promise<StateFile> {
    return (await StateStore.open(this.statePath).load()).state;
  }
}

/** Rejects with the PumphouseError code, for assert.rejects. */
export function code(expected: string): (err: unknown) => boolean {
  return (err: unknown) => {
    if ((err as { code?: string }).code !== expected) throw err;
    return true;
  };
}
