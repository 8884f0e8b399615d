import type { Profile } from '../../profile.js';
import type { SimStore } from '../../store/store.js';

/**
 * What rendering one object needs besides the record: who asks (admin-only attributes are
 * hidden from others, as Neutron's policy engine does) and per-request caches that turn
 * "rules of this group" or "port of this floating IP" into one pass over a table per request.
 */
export interface RenderContext {
  readonly store: SimStore;
  readonly profile: Profile;
  readonly isAdmin: boolean;
  /** The caller's project: a network's `shared` is what RBAC grants this project. */
  readonly projectId: string;
  /** Lazily built lookups, one per request. */
  readonly cache: Map<string, unknown>;
}

export function renderContext(store: SimStore, profile: Profile, isAdmin: boolean, projectId = ''): RenderContext {
  return { store, profile, isAdmin, projectId, cache: new Map() };
}

/** A per-request lookup built once (`cached(ctx, 'rulesByGroup', () => ...)`). */
export function cached<T>(ctx: RenderContext, key: string, build: () => T): T {
  if (ctx.cache.has(key)) return ctx.cache.get(key) as T;
  const v = build();
  ctx.cache.set(key, v);
  return v;
}

/** A getter's answer for "this object has no such key" (e.g. `is_default` off external networks). */
export const OMIT: unique symbol = Symbol('omit');

/** One wire attribute: its name and how to read it from a record. */
export type Field<T> = readonly [name: string, get: (r: T, ctx: RenderContext) => unknown];

/** The attributes of a resource as a caller of a profile sees them, in Neutron's order. */
export type FieldSet<T> = readonly Field<T>[];

/** Renders a record: every field, or only those named in `only` (the `fields=` query). */
export function render<T>(fields: FieldSet<T>, r: T, ctx: RenderContext, only?: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, get] of fields) {
    if (only && !only.has(name)) continue;
    const v = get(r, ctx);
    if (v !== OMIT) out[name] = v;
  }
  return out;
}

