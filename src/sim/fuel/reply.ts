import type { FuelWorld } from './world.js';

/** What a route answers. `text` is sent as is (Nailgun's bare-string errors); `json` is serialized. */
export type Reply = { readonly status: number; readonly json?: unknown; readonly text?: string; readonly headers?: Readonly<Record<string, string>> };

/** Thrown by routes: becomes Nailgun's error reply, the bare message as the body. */
export class NailgunError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface RouteContext {
  readonly world: FuelWorld;
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  /** Parsed JSON body; undefined when there was none. Invalid JSON is rejected before routes run. */
  readonly body: unknown;
}

export type Route = { readonly method: string; readonly pattern: RegExp; readonly handle: (ctx: RouteContext) => Reply };

export const ok = (json: unknown, status = 200): Reply => ({ status, json });
/** Assignment and unassignment answer 200 with an empty body (the handler returns None). */
export const empty = (): Reply => ({ status: 200, text: '' });

/** Integer path parameter (Nailgun routes match `\d+`). */
export function idParam(ctx: RouteContext, i = 0): number {
  return Number(ctx.params[i]);
}

export function listBody(ctx: RouteContext): unknown[] {
  if (!Array.isArray(ctx.body)) throw new NailgunError(400, 'Invalid data received: a list is expected');
  return ctx.body;
}

export function objectBody(ctx: RouteContext): Record<string, unknown> {
  const b = ctx.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new NailgunError(400, 'Invalid data received: an object is expected');
  return b as Record<string, unknown>;
}

export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}
