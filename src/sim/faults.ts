import type { ServiceName } from './cloud/context.js';
import type { FaultRules, FaultSpec } from './knobs.js';
import { SimRandom } from './random.js';

/**
 * What to do to one request: `reset`, `error` and `throttle` replace it before its handler
 * runs (the cloud never acted); `lost-error` and `lost-reset` let the handler run (its effect
 * happens) and then answer `status` or cut the connection instead of its reply: the
 * ambiguous failure a client cannot tell from the first kind.
 */
export type FaultDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'error'; readonly status: 500 | 503 }
  | { readonly kind: 'throttle'; readonly retryAfterS: number }
  | { readonly kind: 'lost-error'; readonly status: 500 | 503 }
  | { readonly kind: 'lost-reset' };

const NONE: FaultDecision = { kind: 'none' };

/**
 * Decides faults from the rules and a seeded stream. The stream is consulted once per request
 * that a rule matches (never for requests no rule touches), so the fault sequence depends only
 * on the seed and on the sequence of matching requests. `reset()` restarts the sequence.
 */
export class FaultPlanner {
  private rng: SimRandom;
  private readonly counters = new Map<string, { seen: number; burstLeft: number }>();

  constructor(private readonly seed: number | string) {
    this.rng = SimRandom.derive(seed, 'faults');
  }

  /** Starts the sequence again (called when the rules are replaced). */
  reset(): void {
    this.rng = SimRandom.derive(this.seed, 'faults');
    this.counters.clear();
  }

  decide(rules: FaultRules, service: ServiceName, method: string, path: string): FaultDecision {
    const found = lookup(rules, service, method);
    if (!found) return NONE;
    const [key, spec] = found;
    if (spec.pathContains !== undefined && !path.includes(spec.pathContains)) return NONE;
    const roll = this.rng.next();
    const burst = spec.burst429;
    if (burst && burst.every > 0) {
      const c = this.counters.get(key) ?? { seen: 0, burstLeft: 0 };
      this.counters.set(key, c);
      c.seen++;
      if (c.burstLeft === 0 && c.seen % burst.every === 0) c.burstLeft = Math.max(1, burst.count);
      if (c.burstLeft > 0) {
        c.burstLeft--;
        return { kind: 'throttle', retryAfterS: burst.retryAfterS };
      }
    }
    const reset = spec.resetRate ?? 0;
    if (roll < reset) return { kind: 'reset' };
    const error = reset + (spec.errorRate ?? 0);
    if (roll < error) return { kind: 'error', status: spec.errorStatus ?? 500 };
    // The acted-then-lost ranges come after the others, so rules without them keep the
    // fault sequence they had (one roll per matching request either way).
    const lostError = error + (spec.lostErrorRate ?? 0);
    if (roll < lostError) return { kind: 'lost-error', status: spec.errorStatus ?? 500 };
    if (roll < lostError + (spec.lostResetRate ?? 0)) return { kind: 'lost-reset' };
    return NONE;
  }
}

function lookup(rules: FaultRules, service: ServiceName, method: string): [string, FaultSpec] | undefined {
  for (const [s, m] of [[service, method], [service, '*'], ['*', method], ['*', '*']] as const) {
    const spec = rules[s]?.[m];
    if (spec) return [`${s} ${m}`, spec];
  }
  return undefined;
}
