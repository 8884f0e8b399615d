import { PumphouseError, type ErrorCode } from '../errors/index.js';

/** Facts every failed cloud call carries: enough for an operator to find the call in the cloud's logs. */
export interface CloudCallFacts {
  /** Name given to the session (`source`, `destination`), for messages. */
  readonly cloud: string;
  /** Service label: `identity`, `compute`, `image`, `volume`, `network`. */
  readonly service: string;
  readonly method: string;
  /** URL path with the query string; secret-looking query values are replaced by `***`. */
  readonly path: string;
  /** `x-openstack-request-id` or `x-compute-request-id`, when the cloud sent one. */
  readonly requestId: string | undefined;
  /**
   * True when a non-idempotent request failed in a way that leaves its effect unknown (the
   * connection broke after it was sent, or the cloud answered 5xx): look the object up before
   * sending it again.
   */
  readonly ambiguous: boolean;
}

export interface CloudHttpErrorInit extends CloudCallFacts {
  readonly status: number;
  /** The cloud's own message, parsed from its error body (see error-body.ts). */
  readonly cloudMessage: string;
  /** Nova/Cinder faultName, NeutronError type or Keystone title, when the body had one. */
  readonly faultType: string | undefined;
  readonly cause?: unknown;
}

/** The cloud answered with an HTTP error status. Code `PH_CLOUD_HTTP`. */
export class CloudHttpError extends PumphouseError {
  override readonly name = 'CloudHttpError';
  readonly status: number;
  readonly cloud: string;
  readonly service: string;
  readonly method: string;
  readonly path: string;
  readonly requestId: string | undefined;
  readonly cloudMessage: string;
  readonly faultType: string | undefined;
  readonly ambiguous: boolean;

  constructor(init: CloudHttpErrorInit) {
    const what = init.faultType ? `${init.faultType}: ${init.cloudMessage}` : init.cloudMessage;
    super(
      'PH_CLOUD_HTTP',
      `${init.cloud} ${init.service} ${init.method} ${init.path} failed with HTTP ${init.status}` +
        (what ? `: ${what}` : '') +
        (init.requestId ? ` (request ${init.requestId})` : '') +
        (init.ambiguous ? '; the request may have taken effect' : ''),
      { cause: init.cause, details: detailsOf(init, { status: init.status, fault_type: init.faultType }) },
    );
    this.status = init.status;
    this.cloud = init.cloud;
    this.service = init.service;
    this.method = init.method;
    this.path = init.path;
    this.requestId = init.requestId;
    this.cloudMessage = init.cloudMessage;
    this.faultType = init.faultType;
    this.ambiguous = init.ambiguous;
  }
}

export type CloudTransportCode = Extract<ErrorCode, 'PH_CLOUD_UNREACHABLE' | 'PH_CLOUD_TIMEOUT' | 'PH_CLOUD_BAD_RESPONSE'>;

/**
 * The call did not yield a usable HTTP answer: connection refused or reset
 * (`PH_CLOUD_UNREACHABLE`), no answer in time (`PH_CLOUD_TIMEOUT`), or a body that is not
 * what the API promises (`PH_CLOUD_BAD_RESPONSE`). `cause` keeps undici's error.
 */
export class CloudTransportError extends PumphouseError {
  override readonly name = 'CloudTransportError';
  readonly cloud: string;
  readonly service: string;
  readonly method: string;
  readonly path: string;
  readonly requestId: string | undefined;
  readonly ambiguous: boolean;
  /** HTTP status of a response whose body was bad; undefined when there was no response. */
  readonly status: number | undefined;

  constructor(code: CloudTransportCode, reason: string, facts: CloudCallFacts & { readonly status?: number; readonly cause?: unknown }) {
    super(
      code,
      `${facts.cloud} ${facts.service} ${facts.method} ${facts.path}: ${reason}` +
        (facts.requestId ? ` (request ${facts.requestId})` : '') +
        (facts.ambiguous ? '; the request may have taken effect' : ''),
      { cause: facts.cause, details: detailsOf(facts, { status: facts.status }) },
    );
    this.cloud = facts.cloud;
    this.service = facts.service;
    this.method = facts.method;
    this.path = facts.path;
    this.requestId = facts.requestId;
    this.ambiguous = facts.ambiguous;
    this.status = facts.status;
  }
}

function detailsOf(f: CloudCallFacts, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    cloud: f.cloud,
    service: f.service,
    method: f.method,
    path: f.path,
    request_id: f.requestId,
    ambiguous: f.ambiguous,
  };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) out[k] = v;
  return out;
}

/** True for a CloudHttpError, optionally with one of the given statuses. */
export function isCloudHttpError(err: unknown, ...statuses: number[]): err is CloudHttpError {
  return err instanceof CloudHttpError && (statuses.length === 0 || statuses.includes(err.status));
}

/** True when the cloud said the object does not exist (404). */
export function isNotFound(err: unknown): err is CloudHttpError {
  return isCloudHttpError(err, 404);
}

/** True when the request may have taken effect although it failed (see CloudCallFacts.ambiguous). */
export function isAmbiguous(err: unknown): boolean {
  return (err instanceof CloudHttpError || err instanceof CloudTransportError) && err.ambiguous;
}
