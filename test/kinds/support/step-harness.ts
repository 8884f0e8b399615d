/**
 * A small stand-in for the apply executor, for kind tests: runs an action's steps in order
 * with a StepContext whose `$ref`s resolve to what earlier actions of the same harness made,
 * whose `$secret`s go through a SecretResolver, and whose journal is in memory.
 */
import { MemoryReporter } from '../../../src/events/index.js';
import { PumphouseError } from '../../../src/errors/index.js';
import { actionId, standardSteps } from '../../../src/plan/index.js';
import type { Action, ActionType, AttributeValue, Attributes, ResourceKind } from '../../../src/plan/index.js';
import type { Cloud } from '../../../src/openstack/index.js';
import type { FuelClient } from '../../../src/fuel/index.js';
import {
  SecretValue,
  type CloudAccess,
  type Facts,
  type KindHandler,
  type ResolvedValue,
  type SecretResolver,
  type ServiceContext,
  type StepContext,
  type StepResult,
} from '../../../src/kinds/contract.js';

export interface ActionSpec {
  readonly kind: ResourceKind;
  readonly action: ActionType;
  readonly address: string;
  readonly sourceId: string;
  readonly after?: Attributes;
  readonly destinationId?: string;
  readonly name?: string;
  readonly steps?: readonly string[];
}

/** An Action as the planner would write it (only what kinds read). */
export function makeAction(s: ActionSpec): Action {
  return {
    id: actionId(s.address, s.action),
    address: s.address,
    kind: s.kind,
    action: s.action,
    reason: { code: 'missing_in_destination', text: 'test' },
    depends_on: [],
    source: { cloud: 'source', id: s.sourceId, name: s.name ?? s.sourceId },
    destination: { name: s.name ?? s.sourceId, ...(s.destinationId ? { id: s.destinationId } : {}) },
    ...(s.after ? { after: s.after } : {}),
    preconditions: [],
    impact: { downtime: false, destructive: false, irreversible: false },
    steps: s.steps ?? standardSteps(s.kind, s.action),
  };
}

/** CloudAccess over already opened clouds (scoped clouds cached per project). */
export function cloudAccess(source: Cloud | undefined, destination: Cloud | undefined, fuel?: unknown): CloudAccess {
  const scoped = new Map<string, Promise<Cloud>>();
  const need = (c: Cloud | undefined, side: string): Cloud => {
    if (!c) throw new Error(`test: no ${side} cloud`);
    return c;
  };
  return {
    source: async () => need(source, 'source'),
    destination: async () => need(destination, 'destination'),
    scoped: (side, projectId) => {
      const key = `${side}/${projectId}`;
      let p = scoped.get(key);
      if (!p) {
        p = need(side === 'source' ? source : destination, side).scopedTo(projectId);
        scoped.set(key, p);
      }
      return p;
    },
    fuel: async () => {
      if (!fuel) throw new Error('test: no Fuel client');
      return fuel as FuelClient;
    },
  };
}

interface Recorded {
  destinationId: string | null;
  outputs: Record<string, unknown>;
  stepsDone: string[];
  remembered: Record<string, unknown> | null;
}

export class StepHarness {
  readonly reporter = new MemoryReporter();
  readonly signal = new AbortController().signal;
  /** Destination ids (and outputs) of finished actions, by action id. */
  readonly results = new Map<string, { destinationId: string | null; outputs: Record<string, unknown> }>();
  private readonly recorded = new Map<string, Recorded>();

  constructor(
    readonly clouds: CloudAccess,
    readonly secrets?: SecretResolver,
  ) {}

  get services(): ServiceContext {
    return { clouds: this.clouds, signal: this.signal, reporter: this.reporter };
  }

  /** Runs every step of `action` (or only `onlySteps`), as the executor would; returns each step's result. */
  async run(handler: KindHandler, action: Action, onlySteps?: readonly string[]): Promise<StepResult[]> {
    const allowed = handler.steps[action.action] ?? [];
    const out: StepResult[] = [];
    for (const step of onlySteps ?? action.steps) {
      if (!allowed.includes(step)) throw new Error(`test: handler ${handler.kind} does not declare ${action.action}/${step}`);
      const r = await handler.runStep(step, action, this.context(action, step));
      const rec = this.rec(action);
      if (r.destinationId !== undefined) rec.destinationId = r.destinationId;
      Object.assign(rec.outputs, r.outputs ?? {});
      rec.stepsDone.push(step);
      rec.remembered = null;
      out.push(r);
    }
    this.results.set(action.id, { destinationId: this.rec(action).destinationId, outputs: { ...this.rec(action).outputs } });
    return out;
  }

  /** Forgets what an action recorded (a fresh run of the same plan after `state rm`). */
  forget(action: Action): void {
    this.recorded.delete(action.id);
  }

  private rec(action: Action): Recorded {
    let r = this.recorded.get(action.id);
    if (!r) {
      r = { destinationId: action.destination?.id ?? null, outputs: {}, stepsDone: [], remembered: null };
      this.recorded.set(action.id, r);
    }
    return r;
  }

  context(action: Action, step: string): StepContext {
    const self = this;
    return {
      planId: 'plan-test',
      step,
      marker: { sourceId: action.source?.id ?? action.address, kind: action.kind, planId: 'plan-test' },
      clouds: this.clouds,
      resolve: (v) => this.resolve(v, action.address),
      async resolveAfter() {
        const out: Record<string, ResolvedValue> = {};
        for (const [k, v] of Object.entries(action.after ?? {})) if (v !== undefined) out[k] = await self.resolve(v, action.address);
        return out;
      },
      get recorded() {
        const r = self.rec(action);
        return { destinationId: r.destinationId, outputs: r.outputs, stepsDone: r.stepsDone, remembered: r.remembered };
      },
      async remember(facts: Facts) {
        const r = self.rec(action);
        r.remembered = { ...(r.remembered ?? {}), ...facts };
      },
      temporaries: { record: async () => undefined, cleaned: async () => undefined, list: () => [] },
      progress: () => undefined,
      wait: async (_what, poll) => {
        for (let i = 0; i < 100; i++) {
          const r = await poll();
          if (r.done) return r.value;
          await new Promise((res) => setTimeout(res, 50));
        }
        throw new PumphouseError('PH_TIMEOUT', 'test wait');
      },
      reporter: this.reporter,
      signal: this.signal,
    };
  }

  async resolve(v: AttributeValue | undefined, address: string): Promise<ResolvedValue> {
    if (v === undefined || v === null || typeof v !== 'object') return v ?? null;
    if (Array.isArray(v)) return Promise.all(v.map((x: AttributeValue) => this.resolve(x, address)));
    const o = v as Record<string, AttributeValue | undefined>;
    if (typeof o['$ref'] === 'string') {
      const r = this.results.get(o['$ref']);
      const field = typeof o['field'] === 'string' ? o['field'] : 'id';
      const value = field === 'id' ? r?.destinationId : r?.outputs[field];
      if (typeof value !== 'string') throw new PumphouseError('PH_INTERNAL', `${address}: unresolved ref ${o['$ref']}`);
      return value;
    }
    if (typeof o['$secret'] === 'string') {
      if (!this.secrets) throw new PumphouseError('PH_INTERNAL', `${address}: no secret resolver`);
      return new SecretValue(await this.secrets.resolve(o['$secret'], this.services));
    }
    const out: Record<string, ResolvedValue> = {};
    for (const [k, x] of Object.entries(o)) if (x !== undefined) out[k] = await this.resolve(x, address);
    return out;
  }
}

/** A `$ref` to `action`'s destination id. */
export function ref(action: Action): AttributeValue {
  return { $ref: action.id };
}
