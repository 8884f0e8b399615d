/**
 * What the data/compute real-cloud tests share: plans built by hand the way the planner
 * writes them (address, kind, action, steps, after with $refs, source preconditions), applied
 * by the REAL executor (applyPlan: journal, temporaries, resume) with the part-2 handlers on
 * the testbed's two Zed clouds. Everything is named `phd-<8 hex>-...`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { applyPlan, type ApplyResult } from '../../src/apply/index.js';
import { MemoryReporter } from '../../src/events/index.js';
import { dataComputeKinds, type DataKindOptions } from '../../src/kinds/index-part-2.js';
import { preconditionReader } from '../../src/kinds/preconditions.js';
import { kindRegistry } from '../../src/kinds/registry.js';
import type { Cloud } from '../../src/openstack/index.js';
import { actionId, standardSteps, summarize, writePlan } from '../../src/plan/index.js';
import type { Action, ActionType, Attributes, Plan, Precondition, ResourceKind } from '../../src/plan/index.js';
import { StateStore, type StateFile } from '../../src/state/index.js';
import { cloudAccess } from '../kinds/support/step-harness.js';

const TOOL_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** `phd-<8 hex>`. */
export function dataPrefix(): string {
  return `phd-${randomBytes(4).toString('hex')}`;
}

export interface DataActionSpec {
  readonly address: string;
  readonly kind: ResourceKind;
  readonly action: ActionType;
  readonly sourceId: string;
  readonly name: string;
  readonly after?: Attributes;
  readonly deps?: readonly string[];
  readonly steps?: readonly string[];
  readonly preconditions?: readonly Precondition[];
  readonly destinationId?: string;
}

/** Actions in dependency order, as the planner would write them. */
export class DataPlan {
  readonly actions: Action[] = [];

  add(s: DataActionSpec): Action {
    const a: Action = {
      id: actionId(s.address, s.action),
      address: s.address,
      kind: s.kind,
      action: s.action,
      reason: { code: 'missing_in_destination', text: 'test' },
      depends_on: [...new Set(s.deps ?? [])].sort(),
      source: { cloud: 'source', id: s.sourceId, name: s.name },
      destination: { name: s.name, ...(s.destinationId ? { id: s.destinationId } : {}) },
      ...(s.after ? { after: s.after } : {}),
      preconditions: [...(s.preconditions ?? [])],
      impact: { downtime: false, destructive: s.action === 'delete', irreversible: s.action === 'delete' },
      steps: s.steps ?? standardSteps(s.kind, s.action),
    };
    this.actions.push(a);
    return a;
  }

  build(planId: string): Plan {
    return {
      format_version: '1.0',
      pumphouse_version: TOOL_VERSION,
      plan_id: planId,
      created_at: new Date().toISOString(),
      manifest: { path: 'manifest.yaml', sha256: 'a'.repeat(64), text_sha256: 'b'.repeat(64) },
      config: { source: { auth_url: 'http://127.0.0.1:5000/v3' }, destination: { auth_url: 'http://127.0.0.1:15000/v3' } },
      prior_state: null,
      observed: {
        source: { fingerprint: 'c'.repeat(64), at: new Date().toISOString(), calls: 1 },
        destination: { fingerprint: 'd'.repeat(64), at: new Date().toISOString(), calls: 1 },
      },
      options: { targets: [], excludes: [] },
      actions: this.actions,
      drift: [],
      summary: summarize(this.actions),
      diagnostics: [],
      applyable: this.actions.some((a) => a.action !== 'no-op'),
      complete: true,
    };
  }
}

/** A plan id that differs per call (every apply of a new plan needs its own). */
export function planId(n: number): string {
  return `00000000-0000-4000-8000-${randomBytes(4).toString('hex')}${String(n).padStart(4, '0')}`;
}

/**
 * Applies plans with the real executor and the part-2 kinds, one state file per world (like
 * an operator's working directory). Each `apply` is a new plan unless `planPath` repeats one.
 */
export class DataWorld {
  readonly dir = mkdtempSync(join(tmpdir(), 'phd-apply-'));
  readonly statePath = join(this.dir, 'state.json');
  reporter = new MemoryReporter();
  private n = 0;

  constructor(
    readonly source: Cloud,
    readonly destination: Cloud,
    readonly options: DataKindOptions = { pollIntervalMs: 300, transferRetryDelayMs: 200 },
  ) {}

  /** Writes `plan` as made against the state now (lineage, serial) and applies it (parallelism 4). */
  async apply(plan: Plan): Promise<ApplyResult> {
    const path = join(this.dir, `plan-${++this.n}.json`);
    const state = existsSync(this.statePath) ? await this.state() : null;
    await writePlan({ ...plan, prior_state: state && state.serial > 0 ? { lineage: state.lineage, serial: state.serial } : null }, path);
    return this.applyFile(path);
  }

  /** Applies a plan file again (resume after a failure). */
  async applyFile(path: string): Promise<ApplyResult> {
    this.reporter = new MemoryReporter();
    return applyPlan({
      planPath: path,
      statePath: this.statePath,
      registry: kindRegistry({ handlers: dataComputeKinds(this.options), preconditions: preconditionReader() }),
      clouds: cloudAccess(this.source, this.destination),
      reporter: this.reporter,
      parallelism: 4,
    });
  }

  lastPlanPath(): string {
    return join(this.dir, `plan-${this.n}.json`);
  }

  async state(): Promise<StateFile> {
    return (await StateStore.open(this.statePath).load()).state;
  }

  /** The failures of a result as one readable string (assert messages). */
  static failures(r: ApplyResult): string {
    return r.failures.map((f) => `${f.address}: [${f.code}] ${f.message}`).join('\n') + r.skipped.map((s) => `\nskipped ${s.address}: ${s.because}`).join('');
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Waits (polling every 500 ms, up to `timeoutS`) until `check` answers a value. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutS = 120): Promise<T> {
  const deadline = Date.now() + timeoutS * 1000;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`test: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
