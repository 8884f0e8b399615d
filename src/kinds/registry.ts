import type { PumphouseConfig } from '../config/index.js';
import type { Reporter } from '../events/index.js';
import { PumphouseError } from '../errors/index.js';
import type { Plan, ResourceKind } from '../plan/index.js';
import type { KindHandler, PreconditionReader, SecretResolver } from './contract.js';
import type { ResetPasswordSink } from './identity/index.js';
import type { OwnerPasswordRecovery } from './settings/index.js';
import { kindsPart1, kindsPart1FromConfig } from './index-part-1.js';
import { dataComputeKinds } from './index-part-2.js';
import { kindsPart3, kindsPart3FromConfig } from './index-part-3.js';

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
  /**
   * Undoes what an interrupted apply left outside the state (source passwords a keypair owner
   * had temporarily); apply calls it once, holding the lock, before any step. Optional: registries built by hand (tests) may have none.
   */
  recover?(reporter: Reporter): Promise<void>;
  /** Releases what the kinds hold (database pools); apply calls it once at the end. */
  close(): Promise<void>;
}

export interface KindRegistryParts {
  readonly handlers: readonly KindHandler[];
  readonly preconditions?: PreconditionReader;
  readonly secrets?: SecretResolver;
  readonly recover?: (reporter: Reporter) => Promise<void>;
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
    recover: parts.recover ?? (async () => {}),
    close: parts.close ?? (async () => {}),
  };
}

/** What the built-in kinds may need to be set up: the loaded config and the plan to apply. */
export interface BuiltinKindsContext {
  readonly config: PumphouseConfig;
  readonly plan: Plan;
  /** Where `identity.passwords: reset` hands new passwords to the operator. */
  readonly resetPasswords?: ResetPasswordSink;
  /** Where original source hashes wait while a keypair owner has a temporary password. */
  readonly ownerPasswordRecovery?: OwnerPasswordRecovery;
}

/**
 * The kinds built into this pumphouse, set up for one apply: identity, tenant settings and
 * networking (part 1: Keystone databases from the config, the destination release from the
 * plan), images, volumes, servers and the source after-action (part 2), and hosts (part 3:
 * the config's PLUGINS for Fuel layouts). Without a config (library callers with their own
 * clouds) the parts are built with their defaults: password hashes cannot be copied then.
 */
export function builtinKinds(context?: BuiltinKindsContext): KindRegistry {
  const release = context?.plan.config.destination.release;
  const part1 = context
    ? kindsPart1FromConfig(context.config, {
        ...(release !== undefined ? { destinationKeystoneRelease: release } : {}),
        ...(context.resetPasswords ? { resetPasswords: context.resetPasswords } : {}),
        ...(context.ownerPasswordRecovery ? { ownerPasswordRecovery: context.ownerPasswordRecovery } : {}),
      })
    : kindsPart1();
  const part3 = context ? kindsPart3FromConfig(context.config) : kindsPart3();
  return kindRegistry({
    handlers: [...part1.handlers, ...dataComputeKinds(), ...part3],
    preconditions: part1.preconditions,
    secrets: part1.secrets,
    recover: (reporter) => part1.recover(reporter),
    close: () => part1.close(),
  });
}
