/**
 * Secret scrubbing for anything that may reach a log, an event, a plan or an error message.
 * Keys are matched by name; URLs lose their password part.
 */
const SECRET_KEY = /pass(word)?|secret|token|hash|credential|auth_key|api_key|private_key/i;

/** Replaces `user:password@` in URLs (DB URLs, endpoints) with `user:***@`. */
export function redactUrl(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+):[^@\s/]+@/gi, '$1:***@');
}

/** True for object keys whose values must never be shown. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Deep copy with secret-looking keys replaced by `***` and URL passwords removed. */
export function redact<T>(value: T): T {
  return redactValue(value, new WeakSet()) as T;
}

function redactValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactUrl(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSecretKey(k) && v !== null && v !== undefined && typeof v !== 'object' ? '***' : redactValue(v, seen);
  }
  return out;
}
