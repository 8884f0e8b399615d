import assert from 'node:assert/strict';
import { PumphouseError } from '../../../src/errors/index.js';
import { CloudHttpError } from '../../../src/openstack/index.js';

export interface ExpectedHttpError {
  readonly status: number;
  /** Client label: identity, compute, image, volume, network. */
  readonly service: string;
  readonly cloud: string;
  readonly method?: string;
  /** A piece of the request path the error must name (usually the object id). */
  readonly pathIncludes?: string;
  /** The fault name the body carries (Nova `itemNotFound`, Neutron `NetworkNotFound`...); a RegExp or exact text. */
  readonly faultType?: string | RegExp;
  /**
   * Whether the cloud's request id must be present. Every service of a modern cloud sends
   * `x-openstack-request-id` (Nova also `x-compute-request-id`); default true.
   */
  readonly requestId?: boolean;
}

/**
 * Awaits a call that must fail with the typed CloudHttpError and checks what an operator
 * needs from it: code, status, service, method, path, request id, and a message that says
 * all of that. Answers the error for further checks.
 */
export async function expectHttpError(call: Promise<unknown>, want: ExpectedHttpError): Promise<CloudHttpError> {
  let caught: unknown;
  try {
    await call;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught !== undefined, `expected HTTP ${want.status} from ${want.service}, but the call succeeded`);
  if (!(caught instanceof CloudHttpError)) {
    throw new assert.AssertionError({ message: `expected a CloudHttpError ${want.status}, got ${describe(caught)}`, actual: caught, expected: want });
  }
  const e = caught;
  assert.equal(e.code, 'PH_CLOUD_HTTP');
  assert.equal(e.status, want.status, `status (message: ${e.message})`);
  assert.equal(e.service, want.service);
  assert.equal(e.cloud, want.cloud);
  if (want.method) assert.equal(e.method, want.method);
  if (want.pathIncludes) assert.ok(e.path.includes(want.pathIncludes), `path ${e.path} should name ${want.pathIncludes}`);
  if (want.requestId ?? true) {
    assert.match(e.requestId ?? '', /^req-[0-9a-f-]{36}$/, 'request id (x-openstack-request-id)');
    assert.ok(e.message.includes(e.requestId as string), 'the message names the request id');
  }
  if (want.faultType !== undefined) {
    if (typeof want.faultType === 'string') assert.equal(e.faultType, want.faultType, `fault type (message: ${e.message})`);
    else assert.match(e.faultType ?? '', want.faultType, `fault type (message: ${e.message})`);
  }
  assert.ok(e.message.includes(`HTTP ${want.status}`), 'the message names the status');
  assert.ok(e.message.includes(want.service), 'the message names the service');
  assert.ok(e.cloudMessage.length > 0, "the cloud's own explanation was parsed from the body");
  assert.equal(e.details?.['status'], want.status);
  return e;
}

/**
 * Awaits a login that must be refused: PH_AUTH_FAILED naming the user and never the
 * password (message, details, nor the cause's message).
 */
export async function expectAuthFailed(call: Promise<unknown>, username: string, password: string): Promise<PumphouseError> {
  let caught: unknown;
  try {
    await call;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught !== undefined, 'expected the login to be refused, but it succeeded');
  assert.ok(PumphouseError.is(caught), `expected a PumphouseError, got ${describe(caught)}`);
  const e = caught;
  assert.equal(e.code, 'PH_AUTH_FAILED', e.message);
  assert.ok(e.message.includes(username), 'the message names the user');
  const everything = [e.message, JSON.stringify(e.details ?? {}), e.cause instanceof Error ? e.cause.message : String(e.cause ?? ''), e.stack ?? ''].join('\n');
  assert.ok(!everything.includes(password), 'the password appears in the error');
  assert.ok(e.cause instanceof CloudHttpError && e.cause.status === 401, 'the cause is the 401 from Keystone');
  return e;
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
