import { PumphouseError, toPumphouseError } from '../../errors/index.js';
import { FuelHttpError, FuelTransportError } from '../../fuel/index.js';
import { isAmbiguous, isCloudHttpError } from '../../openstack/index.js';
import { reportResend, type ResendScope } from './resend-report.js';

/**
 * How long to look for the effect of a request that failed ambiguously (a 5xx, or a
 * connection lost after the request was sent) before sending it again.
 */
export interface SettleOptions {
  /**
   * Waits before each lookup after the immediate one, in ms. Default {@link SETTLE_DELAYS_MS}
   * (1 s then 2 s): an API that acts on a request usually does so before it answers, or
   * within the RPC round trip that timed out; three lookups over 3 s see it.
   */
  readonly delaysMs?: readonly number[];
  /** How many times the request may be sent in all (default {@link SEND_ATTEMPTS}). */
  readonly attempts?: number;
  /** The clock (tests pass a fake one). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** What the request is, for the error when the bound is reached, e.g. `create of network 'web'`. */
  readonly what?: string;
  /**
   * Where each resend is reported (`request_resent`). Default: the scope the apply's step
   * runner opened (`reportingResends`), else none.
   */
  readonly report?: ResendScope;
}

export const SETTLE_DELAYS_MS: readonly number[] = [1000, 2000];
/**
 * WHY 5: at the fault torture's 8% (5% 5xx, 3% resets) three ambiguous failures of one create
 * in a row happen (seed 7: reset, reset, 500); each resend follows 3 s of lookups, so a
 * higher bound adds risk only for a cloud acting later than that.
 */
export const SEND_ATTEMPTS = 5;

let defaultDelays: readonly number[] = SETTLE_DELAYS_MS;

/**
 * Replaces the settle delays used when a call gives none, for the whole process; answers a
 * function that puts the previous ones back. For simulator tests (the fault torture), whose
 * clouds never act late, so that dozens of ambiguous failures do not cost 3 s each; the kinds
 * take no settle option, so this is the one knob.
 */
export function setDefaultSettleDelays(delaysMs: readonly number[]): () => void {
  const before = defaultDelays;
  defaultDelays = [...delaysMs];
  return () => {
    defaultDelays = before;
  };
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What `sendSettled` found or got. */
export interface Settled<T> {
  readonly value: T;
  /** True when the value is the answer to a request; false when a lookup found the effect. */
  readonly sent: boolean;
}

/**
 * Sends a request that must take effect once (a create, a server or volume action) and
 * survives ambiguous failures without ever repeating it blind.
 *
 * WHY settle-and-resend: a POST answered 5xx or cut after sending may or may not have been
 * acted on. Failing the step there (what pumphouse did first) is safe but makes a single
 * apply fail at any 5% error rate. Instead, `lookup` (what the request would have made or
 * changed, read fresh from the cloud) runs at once, then after each of `delaysMs`; the
 * first value it finds is the answer. Only when every lookup found nothing is the request
 * sent again, at most `attempts` times in all; then the last error is thrown with how many
 * sends and lookups were made.
 *
 * A 409 Conflict answered to a request sent again is looked up once more (a cloud that
 * enforces unique names, e.g. Keystone names, flavor names, keypair names, or that refuses
 * an action already under way, says 409 when the lost first request was acted on after our
 * lookups) and the value found is adopted; when nothing is found the 409 is thrown.
 *
 * The risk, accepted: a cloud that acts on the lost request later than the settle time
 * (a message queued for minutes) makes a second object where names are not unique
 * (Neutron, Nova servers, Cinder volumes). Every created object carries the source-id
 * marker, so the next plan shows such a copy, and the torture's duplicate check reads it.
 */
export async function sendSettled<T>(send: () => Promise<T>, lookup: () => Promise<T | undefined>, o: SettleOptions = {}): Promise<Settled<T>> {
  const delays = o.delaysMs ?? defaultDelays;
  const attempts = Math.max(1, o.attempts ?? SEND_ATTEMPTS);
  const sleep = o.sleep ?? realSleep;
  let lost: unknown; // the last ambiguous failure
  for (let sent = 1; ; sent++) {
    try {
      return { value: await send(), sent: true };
    } catch (err) {
      const conflict = lost !== undefined && isCloudHttpError(err, 409);
      if (!conflict && !mayHaveActed(err)) throw err;
      if (conflict) {
        const found = await lookup();
        if (found !== undefined) return { value: found, sent: false };
        throw err;
      }
      lost = err;
      for (const delay of [0, ...delays]) {
        if (delay > 0) await sleep(delay);
        const found = await lookup();
        if (found !== undefined) return { value: found, sent: false };
      }
      if (sent >= attempts) throw exhausted(err, sent, delays, o.what);
      reportResend(err, sent + 1, attempts, delays.length + 1, o.report);
    }
  }
}

/** An OpenStack or Fuel (Nailgun) request that failed after it may have been acted on. */
function mayHaveActed(err: unknown): boolean {
  return isAmbiguous(err) || ((err instanceof FuelHttpError || err instanceof FuelTransportError) && err.ambiguous);
}

function exhausted(err: unknown, sent: number, delays: readonly number[], what: string | undefined): PumphouseError {
  const e = toPumphouseError(err);
  const waited = delays.reduce((a, b) => a + b, 0) / 1000;
  return new PumphouseError(
    e.code,
    `${e.message}; ${what ?? 'the request'} was sent ${sent} times, each failed ambiguously and was looked up ${delays.length + 1} times over ${waited} s without finding its effect`,
    {
      source: e.source,
      cause: err,
      ...(e.address !== undefined ? { address: e.address } : {}),
      details: { ...(e.details ?? {}), sent, lookups_per_send: delays.length + 1, settle_ms: [...delays] },
    },
  );
}
