import { CloudTransportError } from '../errors.js';
import { isRaw, type Raw } from '../wire.js';
import type { CallInfo, CloudResponse } from './request.js';

/** A PH_CLOUD_BAD_RESPONSE for a response that does not have the promised shape. */
export function badResponse(call: CallInfo, reason: string, status?: number): CloudTransportError {
  return new CloudTransportError('PH_CLOUD_BAD_RESPONSE', reason, { ...call, ambiguous: false, ...(status !== undefined ? { status } : {}) });
}

/** The JSON object body; PH_CLOUD_BAD_RESPONSE when the body is not an object. */
export function bodyObject(res: CloudResponse): Raw {
  if (!isRaw(res.data)) throw badResponse(res.call, `expected a JSON object, got ${describe(res)}`, res.status);
  return res.data;
}

/** `body[key]` as an object (`{"server": {...}}`); PH_CLOUD_BAD_RESPONSE when absent. */
export function member(res: CloudResponse, key: string): Raw {
  const v = bodyObject(res)[key];
  if (!isRaw(v)) throw badResponse(res.call, `expected "${key}" to be an object in the answer`, res.status);
  return v;
}

/** `body[key]` as an array (`{"servers": [...]}`); PH_CLOUD_BAD_RESPONSE when absent. */
export function list(res: CloudResponse, key: string): readonly unknown[] {
  const v = bodyObject(res)[key];
  if (!Array.isArray(v)) throw badResponse(res.call, `expected "${key}" to be a list in the answer`, res.status);
  return v;
}

function describe(res: CloudResponse): string {
  if (res.text === '') return 'an empty body';
  const t = res.text.slice(0, 60).replace(/\s+/g, ' ');
  return `"${t}${res.text.length > 60 ? '…' : ''}"`;
}
