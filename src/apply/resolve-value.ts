import { PumphouseError } from '../errors/index.js';
import { SecretValue, type ResolvedValue, type SecretResolver, type ServiceContext } from '../kinds/contract.js';
import type { Action, ActionRef, AttributeValue, SecretRef } from '../plan/index.js';
import { findObject, type StateFile } from '../state/index.js';

/** What resolving needs: the plan's actions, the state now, and which actions are finished. */
export interface ResolveEnv {
  readonly byId: ReadonlyMap<string, Action>;
  readonly state: () => StateFile;
  /** True when the action finished (now, in an earlier run of the plan, or is a no-op). */
  readonly finished: (id: string) => boolean;
  readonly secrets: SecretResolver | undefined;
  readonly services: ServiceContext;
}

/**
 * Resolves an `after` value for the action at `address` (used in messages). `$ref`s become
 * the destination id or the named output of the referenced action: the state object at its
 * address (what its steps recorded, or an earlier apply recorded), else the plan's own
 * destination id / literal `after` field (no-ops and adoptions of objects made before).
 * `$secret`s become SecretValues. Anything unresolvable is a planner bug: PH_INTERNAL.
 */
export async function resolveValue(value: AttributeValue | undefined, address: string, env: ResolveEnv): Promise<ResolvedValue> {
  if (value === undefined || value === null || typeof value !== 'object') return value ?? null;
  if (Array.isArray(value)) return Promise.all(value.map((v: AttributeValue) => resolveValue(v, address, env)));
  if (isRef(value)) return resolveRef(value, address, env);
  if (isSecret(value)) {
    if (!env.secrets) throw internal(`${address} needs the secret ${value.$secret}, but no secret resolver is registered`, address);
    return new SecretValue(await env.secrets.resolve(value.$secret, env.services));
  }
  const out: Record<string, ResolvedValue> = {};
  for (const [k, v] of Object.entries(value as Record<string, AttributeValue | undefined>)) {
    if (v !== undefined) out[k] = await resolveValue(v, address, env);
  }
  return out;
}

function resolveRef(ref: ActionRef, address: string, env: ResolveEnv): ResolvedValue {
  const target = env.byId.get(ref.$ref);
  if (!target) throw internal(`${address} refers to action ${ref.$ref}, which is not in the plan`, address);
  if (!env.finished(target.id)) {
    throw internal(`${address} refers to ${target.address}, which has not finished (missing dependency in the plan)`, address);
  }
  const object = findObject(env.state(), target.address);
  const field = ref.field ?? 'id';
  if (field === 'id') {
    const id = object?.destination_id ?? target.destination?.id;
    if (id) return id;
  } else {
    const recorded = object?.attributes[field];
    if (isScalar(recorded)) return recorded;
    const planned = target.after?.[field];
    if (isScalar(planned)) return planned;
  }
  throw internal(`${address} refers to the ${field} of ${target.address}, which recorded none`, address);
}

function isRef(v: object): v is ActionRef {
  return typeof (v as { $ref?: unknown }).$ref === 'string';
}

function isSecret(v: object): v is SecretRef {
  return typeof (v as { $secret?: unknown }).$secret === 'string';
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function internal(message: string, address: string): PumphouseError {
  return new PumphouseError('PH_INTERNAL', message, { address, source: 'internal' });
}
