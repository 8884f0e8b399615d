/** Request counts of one simulated cloud, by service and method (`/_sim/stats`). */
export interface SimStats {
  readonly total: number;
  /** `{compute: {GET: 12, POST: 3}}`. */
  readonly requests: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Faults injected, by kind (`reset`, `error`, `throttle`, `lost-error`, `lost-reset`). */
  readonly faults: Readonly<Record<string, number>>;
  /** Answers by status code. */
  readonly statuses: Readonly<Record<string, number>>;
}

export class StatsCounter {
  private total = 0;
  private readonly requests: Record<string, Record<string, number>> = {};
  private readonly faults: Record<string, number> = {};
  private readonly statuses: Record<string, number> = {};

  request(service: string, method: string): void {
    this.total++;
    const s = (this.requests[service] ??= {});
    s[method] = (s[method] ?? 0) + 1;
  }

  fault(kind: string): void {
    this.faults[kind] = (this.faults[kind] ?? 0) + 1;
  }

  status(code: number): void {
    this.statuses[code] = (this.statuses[code] ?? 0) + 1;
  }

  snapshot(): SimStats {
    return structuredClone({ total: this.total, requests: this.requests, faults: this.faults, statuses: this.statuses });
  }
}

/** One request a simulated cloud answered, as its request log keeps it (`SimCloud.requestLog`). */
export interface SimLoggedRequest {
  readonly method: string;
  /** Path from the cloud's root, service prefix included (`/compute/v2/<tenant>/servers`). */
  readonly path: string;
  /** Query string with its `?`, or ''. */
  readonly query: string;
  /** Status sent; 0 when the connection was reset (an injected fault) or never answered. */
  status: number;
  /** The injected fault, when one replaced the answer (`lost-*`: after the handler acted). */
  fault?: 'reset' | 'error' | 'throttle' | 'lost-error' | 'lost-reset';
}
