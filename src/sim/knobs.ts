import { SERVICE_NAMES, type ServiceName } from './cloud/context.js';

/**
 * Run-time settings of a simulated cloud: timings, data rates, latency, token lifetime and
 * faults. Settable at start (`SimOptions.knobs`), through `/_sim/knobs` and `/_sim/faults`,
 * and through the in-process handle (`cloud.setKnobs`). Every fault decision comes from a
 * seeded stream, so the same seed and the same request sequence give the same faults.
 */
export interface SimKnobs {
  /** Multiplies every simulated delay (0 = transitions on the next tick). */
  readonly timeScale: number;
  /** Added before every request is answered, real ms (not scaled). */
  readonly latencyMs: number;
  /** Server BUILD -> ACTIVE. */
  readonly buildMs: number;
  /** Generic short server action (stop, start, suspend, pause, reboot...). */
  readonly actionMs: number;
  /** Live/cold migration and evacuation. */
  readonly migrationMs: number;
  /** Server or volume deletion (task_state deleting -> gone). */
  readonly deleteMs: number;
  /** Volume creating -> available (empty volume). */
  readonly volumeCreateMs: number;
  /** Fraction (0-1) of volume creates that end in `error` instead of `available` (seeded decisions). */
  readonly volumeErrorRate: number;
  /** Volume or snapshot snapshot creating -> available. */
  readonly snapshotMs: number;
  /** Image saving -> active once data arrived (server snapshot, volume upload). */
  readonly imageSaveMs: number;
  /** Image data rate (upload and download), bytes/s; 0 = unlimited. */
  readonly imageRateBps: number;
  /** Volume data copy rate (image->volume, volume->image), bytes/s; 0 = unlimited. */
  readonly volumeRateBps: number;
  /** Overrides the profile's token lifetime when set (ms). */
  readonly tokenExpireAfterMs: number | null;
  /**
   * Keystone's `[DEFAULT] list_limit` (Icehouse+; Havana ignores it): a v3 list longer than
   * this is cut to it and says `"truncated": true`. null = no limit (Keystone's default).
   */
  readonly keystoneListLimit: number | null;
  readonly faults: FaultRules;
}

/**
 * Faults by service (`identity`, `identity-admin`, `compute`, `image`, `volume`, `network`, or
 * `*`) then by HTTP method (or `*`). The most specific rule wins: service+method, service+*,
 * *+method, *+*. The services are the simulator's path prefixes, not OpenStack's project
 * names (`compute`, not `nova`): a rule under any other name would never match, so it is
 * refused (`faultRuleProblems`).
 */
export type FaultRules = Readonly<Partial<Record<ServiceName | '*', Readonly<Record<string, FaultSpec>>>>>;

export interface FaultSpec {
  /** Fraction of requests answered with `errorStatus` in the service's error format. */
  readonly errorRate?: number;
  /** 500 (default) or 503. */
  readonly errorStatus?: 500 | 503;
  /** Every `every`-th matching request starts a burst of `count` 429s with Retry-After. */
  readonly burst429?: { readonly every: number; readonly count: number; readonly retryAfterS: number };
  /** Fraction of requests whose socket is destroyed without an answer. */
  readonly resetRate?: number;
  /**
   * Fraction of requests that are handled (the object is made, the action done) and then
   * answered `errorStatus` instead of their reply: the cloud acted, the answer was lost.
   * Only a reply the handler returns is lost; a refusal (4xx the handler throws) goes out.
   */
  readonly lostErrorRate?: number;
  /** Like `lostErrorRate`, but the connection is cut after the handler ran. */
  readonly lostResetRate?: number;
  /** Only requests whose path (below the service prefix) contains this text. */
  readonly pathContains?: string;
}

export const DEFAULT_KNOBS: SimKnobs = {
  timeScale: 1,
  latencyMs: 0,
  buildMs: 2000,
  actionMs: 500,
  migrationMs: 3000,
  deleteMs: 500,
  volumeCreateMs: 1000,
  volumeErrorRate: 0,
  snapshotMs: 1000,
  imageSaveMs: 1000,
  imageRateBps: 0,
  volumeRateBps: 0,
  tokenExpireAfterMs: null,
  keystoneListLimit: null,
  faults: {},
};

/** Knobs with `patch` applied; `faults` is replaced as a whole when given. */
export function mergeKnobs(base: SimKnobs, patch: Partial<SimKnobs> | undefined): SimKnobs {
  if (!patch) return base;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined || !(k in DEFAULT_KNOBS)) continue;
    out[k] = v;
  }
  return out as unknown as SimKnobs;
}

/** Checks a knob patch from the control endpoint; returns the problems found. */
export function knobProblems(patch: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [k, v] of Object.entries(patch)) {
    if (!(k in DEFAULT_KNOBS)) problems.push(`unknown knob '${k}'`);
    else if (k === 'faults') problems.push(...faultRuleProblems(v));
    else if (k === 'tokenExpireAfterMs') {
      if (v !== null && (typeof v !== 'number' || v < 0)) problems.push(`tokenExpireAfterMs must be null or a number >= 0`);
    } else if (k === 'keystoneListLimit') {
      if (v !== null && (typeof v !== 'number' || !Number.isInteger(v) || v < 1)) problems.push(`keystoneListLimit must be null or an integer >= 1`);
    } else if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) problems.push(`${k} must be a number >= 0`);
  }
  return problems;
}

/**
 * Checks fault rules (from code or the control endpoint); returns the problems found. A rule
 * under a name that is not a simulated service (`nova`, `keystone`...) is a problem: it would
 * silently never fire, and a test relying on it would test nothing.
 */
export function faultRuleProblems(rules: unknown): string[] {
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) return ['faults must be an object'];
  const problems: string[] = [];
  for (const [service, byMethod] of Object.entries(rules)) {
    if (service !== '*' && !(SERVICE_NAMES as readonly string[]).includes(service)) {
      problems.push(`faults: unknown service '${service}' (one of ${SERVICE_NAMES.join(', ')} or *)`);
    } else if (typeof byMethod !== 'object' || byMethod === null || Array.isArray(byMethod)) {
      problems.push(`faults.${service} must be an object of rules by HTTP method`);
    }
  }
  return problems;
}
