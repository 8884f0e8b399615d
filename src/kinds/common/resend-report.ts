import { AsyncLocalStorage } from 'node:async_hooks';
import { emit, type Reporter } from '../../events/index.js';
import { FuelHttpError, FuelTransportError } from '../../fuel/index.js';
import { CloudHttpError, CloudTransportError } from '../../openstack/index.js';

/** Who is sending: the reporter of the apply and the action whose step runs. */
export interface ResendScope {
  readonly reporter: Reporter;
  readonly address?: string;
  readonly step?: string;
}

// WHY an async-local scope: settle-and-resend runs deep inside a dozen kinds (createOnce and
// its callers take no reporter), and the apply knows the reporter and the action. The step
// runner opens the scope once; every resend under it is reported without threading a
// reporter through each kind.
const scope = new AsyncLocalStorage<ResendScope>();

/** Runs `fn` (one step of one action) so that the requests it sends again are reported. */
export function reportingResends<T>(s: ResendScope, fn: () => Promise<T>): Promise<T> {
  return scope.run(s, fn);
}

/**
 * Emits `request_resent` (warn) for a request about to be sent again after an ambiguous
 * failure whose lookups found nothing. `attempt` is the number of the send about to be made
 * (2 for the first resend). The request is named from the failure (cloud, service, method,
 * path without its query: no token or secret is in there); nothing is emitted outside a
 * scope unless `explicit` gives a reporter.
 */
export function reportResend(err: unknown, attempt: number, attempts: number, lookups: number, explicit?: ResendScope): void {
  const s = explicit ?? scope.getStore();
  if (!s) return;
  const req = requestOf(err);
  const path = req.path.split('?')[0] ?? req.path;
  const why = req.status === null ? 'no answer' : `HTTP ${req.status}`;
  const where = s.address ? `${s.address}: ` : '';
  emit(
    s.reporter,
    'request_resent',
    'warn',
    `${where}${req.cloud} ${req.service} ${req.method} ${path} failed ambiguously (${why}) and ${lookups} lookups found no effect: sending it again (attempt ${attempt} of ${attempts})`,
    { address: s.address ?? null, step: s.step ?? null, cloud: req.cloud, service: req.service, method: req.method, path, status: req.status, attempt },
  );
}

function requestOf(err: unknown): { cloud: string; service: string; method: string; path: string; status: number | null } {
  if (err instanceof CloudHttpError) return { cloud: err.cloud, service: err.service, method: err.method, path: err.path, status: err.status };
  if (err instanceof CloudTransportError) return { cloud: err.cloud, service: err.service, method: err.method, path: err.path, status: null };
  if (err instanceof FuelHttpError) return { cloud: 'fuel', service: err.service, method: err.method, path: err.path, status: err.status };
  if (err instanceof FuelTransportError) return { cloud: 'fuel', service: err.service, method: err.method, path: err.path, status: err.status ?? null };
  return { cloud: 'unknown', service: 'unknown', method: 'unknown', path: '', status: null };
}
