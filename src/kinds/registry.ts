import type { PumphouseConfig } from '../config/index.js';
import { PumphouseError } from '../errors/index.js';
import type { Plan, ResourceKind } from '../plan/index.js';
import type { KindHandler, PreconditionReader, SecretResolver } from './contract.js';

/** The kinds apply can run, plus the two services steps and preconditions rely on. */
export interface KindRegistry {
  /** The handler of `kind`, or undefined when this build cannot apply it. */
  handler(kind: ResourceKind): KindHandler | undefined;
  /** Kinds with a handler, sorted. */
  readonly kinds: readonly ResourceKind[];
  /** Reads precondition facts; undefined when no reader is registered. */
  readonly preconditions: PreconditionReader | undefined;
  /** Fetches `$secret`s; undefined when no resolver is registered. */
  readonly secrets: SecretResolver | undefined;
  /** Releases what the kinds hold (database pools); apply calls it once at the end. */
  close(): Promise<void>;
}

export interface KindRegistryParts {
  readonly handlers: readonly KindHandler[];
  readonly preconditions?: PreconditionReader;
  readonly secrets?: SecretResolver;
  readonly close?: () => Promise<void>;
}

/**
 * A registry of the given handlers. Two handlers for one kind are a programming error
 * (PH_INTERNAL): which one runs must never depend on registration order.
 */
export function kindRegistry(parts: KindRegistryParts): KindRegistry {
  const byKind = new Map<ResourceKind, KindHandler>();
  for (const h of parts.handlers) {
    if (byKind.has(h.kind)) throw new PumphouseError('PH_INTERNAL', `two handlers registered for kind ${h.kind}`, { source: 'internal' });
    byKind.set(h.kind, h);
  }
  return {
    handler: (kind) => byKind.get(kind),
    kinds: [...byKind.keys()].sort(),
    preconditions: parts.preconditions,
    secrets: parts.secrets,
    close: parts.close ?? (async () => {}),
  };
}

/** What the built-in kinds may need to be set up: the loaded config and the plan to apply. */
export interface BuiltinKindsContext {
  readonly config: PumphouseConfig;
  readonly plan: Plan;
}

/**
 * The kinds built into this pumphouse, set up for one apply (identity databases from the
 * config, the destination release from the plan...). Empty for now: the real kinds (against
 * the OpenStack and Fuel clients) are written separately against contract.ts and wired in
 * here. Until then apply refuses, before touching anything, any plan with an action to run,
 * naming the kinds it lacks; plans whose actions are all no-ops apply.
 */
export function builtinKinds(_context?: BuiltinKindsContext): KindRegistry {
  return kindRegistry({ handlers: [] });
}
