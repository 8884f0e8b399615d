import { PumphouseError } from '../errors/index.js';

/** Facts every failed call to the Fuel master carries, so an operator can find it in Nailgun's logs. */
export interface FuelCallFacts {
  /** `host:port` of the Fuel master (never credentials). */
  readonly master: string;
  /** `nailgun` or `keystone` (the master's own Keystone). */
  readonly service: 'nailgun' | 'keystone';
  readonly method: string;
  /** URL path with its query string. */
  readonly path: string;
  /**
   * True when a request that is not safe to repeat failed in a way that leaves its effect
   * unknown (connection broken after sending, 5xx): look before sending it again.
   */
  readonly ambiguous: boolean;
}

/**
 * Nailgun answered with an HTTP error. Code `PH_FUEL_HTTP`. `fuelMessage` is Nailgun's own
 * message: a bare string body in Fuel 5.x/6.0 (even under `Content-Type: application/json`),
 * or the `message` of a JSON body in later releases.
 */
export class FuelHttpError extends PumphouseError {
  override readonly name = 'FuelHttpError';
  readonly status: number;
  readonly master: string;
  readonly service: 'nailgun' | 'keystone';
  readonly method: string;
  readonly path: string;
  readonly fuelMessage: string;
  readonly ambiguous: boolean;

  constructor(facts: FuelCallFacts & { readonly status: number; readonly fuelMessage: string; readonly cause?: unknown }) {
    super(
      'PH_FUEL_HTTP',
      `Fuel master ${facts.master} ${facts.method} ${facts.path} failed with HTTP ${facts.status}` +
        (facts.fuelMessage ? `: ${facts.fuelMessage}` : '') +
        (facts.ambiguous ? '; the request may have taken effect' : ''),
      { cause: facts.cause, details: { ...factsOf(facts), status: facts.status } },
    );
    this.status = facts.status;
    this.master = facts.master;
    this.service = facts.service;
    this.method = facts.method;
    this.path = facts.path;
    this.fuelMessage = facts.fuelMessage;
    this.ambiguous = facts.ambiguous;
  }
}

export type FuelTransportCode = 'PH_CLOUD_UNREACHABLE' | 'PH_CLOUD_TIMEOUT' | 'PH_CLOUD_BAD_RESPONSE';

/**
 * No usable answer from the Fuel master: connection refused or broken
 * (`PH_CLOUD_UNREACHABLE`), no answer in time (`PH_CLOUD_TIMEOUT`), or a body that is not
 * what Nailgun promises (`PH_CLOUD_BAD_RESPONSE`). `cause` keeps undici's error.
 */
export class FuelTransportError extends PumphouseError {
  override readonly name = 'FuelTransportError';
  readonly master: string;
  readonly service: 'nailgun' | 'keystone';
  readonly method: string;
  readonly path: string;
  readonly ambiguous: boolean;
  /** HTTP status of a response whose body was bad; undefined when there was no response. */
  readonly status: number | undefined;

  constructor(code: FuelTransportCode, reason: string, facts: FuelCallFacts & { readonly status?: number; readonly cause?: unknown }) {
    super(
      code,
      `Fuel master ${facts.master} ${facts.method} ${facts.path}: ${reason}` + (facts.ambiguous ? '; the request may have taken effect' : ''),
      { cause: facts.cause, details: { ...factsOf(facts), ...(facts.status === undefined ? {} : { status: facts.status }) } },
    );
    this.master = facts.master;
    this.service = facts.service;
    this.method = facts.method;
    this.path = facts.path;
    this.ambiguous = facts.ambiguous;
    this.status = facts.status;
  }
}

/** A Nailgun task (deploy, provision, node removal) ended with `status: error`. Code `PH_FUEL_TASK_FAILED`. */
export class FuelTaskError extends PumphouseError {
  override readonly name = 'FuelTaskError';
  readonly master: string;
  readonly taskId: number;
  readonly taskName: string;
  readonly clusterId: number | null;
  /** The task's `message` as Nailgun wrote it (names the failed nodes). */
  readonly fuelMessage: string;

  constructor(master: string, task: { readonly id: number; readonly name: string; readonly clusterId: number | null; readonly message: string | null }) {
    const msg = task.message ?? '';
    super(
      'PH_FUEL_TASK_FAILED',
      `Fuel master ${master}: task ${task.id} (${task.name}${task.clusterId === null ? '' : ` of environment ${task.clusterId}`}) failed` +
        (msg ? `: ${msg}` : ''),
      { source: 'cloud', details: { master, task_id: task.id, task_name: task.name, cluster_id: task.clusterId, message: msg } },
    );
    this.master = master;
    this.taskId = task.id;
    this.taskName = task.name;
    this.clusterId = task.clusterId;
    this.fuelMessage = msg;
  }
}

function factsOf(f: FuelCallFacts): Record<string, unknown> {
  return { master: f.master, service: f.service, method: f.method, path: f.path, ambiguous: f.ambiguous };
}
