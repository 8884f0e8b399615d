import { PumphouseError, type ErrorSource } from '../errors/index.js';

/** Who and where, for messages: never a password. */
export interface DbContext {
  /** `host:port/database` or `unix:/path/database`. */
  readonly where: string;
  readonly user: string;
  /** Operator's name for the cloud (`source`, `destination`), when known. */
  readonly label: string | undefined;
}

interface DriverError {
  readonly code?: unknown;
  readonly errno?: unknown;
  readonly sqlState?: unknown;
  readonly message?: unknown;
}

const UNREACHABLE = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOENT', 'ETIMEDOUT',
  'ECONNRESET', 'EPIPE', 'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT',
]);

export function dbName(ctx: DbContext): string {
  return `${ctx.label ? `${ctx.label} ` : ''}identity database ${ctx.where}`;
}

/**
 * Turns a mysql2 error into PH_IDENTITY_DB. The driver's error is not kept as is: its `sql`
 * field can hold bound values (a hash) once formatted, so the cause is a fresh Error with
 * the code, errno, SQL state and a message from which every `secrets` string is removed.
 */
export function dbError(err: unknown, ctx: DbContext, doing: string, secrets: readonly string[] = []): PumphouseError {
  if (PumphouseError.is(err)) return err;
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as DriverError;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const scrubbed = scrub(typeof e.message === 'string' ? e.message : String(err), secrets);
  const cause = Object.assign(new Error(scrubbed), {
    name: 'MySqlDriverError',
    code,
    errno: typeof e.errno === 'number' ? e.errno : undefined,
    sqlState: typeof e.sqlState === 'string' ? e.sqlState : undefined,
  });
  const details = { where: ctx.where, db_user: ctx.user, ...(code ? { driver_code: code } : {}) };
  const fail = (message: string, source: ErrorSource): PumphouseError =>
    new PumphouseError('PH_IDENTITY_DB', message, { cause, source, details });

  if (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR') {
    return fail(`${dbName(ctx)} refused user '${ctx.user}' (access denied): check the user and password of its URL`, 'user');
  }
  if (code === 'ER_DBACCESS_DENIED_ERROR' || code === 'ER_TABLEACCESS_DENIED_ERROR' || code === 'ER_COLUMNACCESS_DENIED_ERROR') {
    return fail(`${dbName(ctx)}: user '${ctx.user}' lacks the privileges for ${doing} (${scrubbed})`, 'user');
  }
  if (code === 'ER_BAD_DB_ERROR') return fail(`${dbName(ctx)} does not exist on that server (${scrubbed})`, 'user');
  if (code !== undefined && UNREACHABLE.has(code)) {
    return fail(`cannot reach the ${dbName(ctx)} while ${doing}: ${code}`, 'cloud');
  }
  return fail(`${dbName(ctx)} failed while ${doing}: ${code ? `${code}: ` : ''}${scrubbed}`, 'cloud');
}

/** Removes every secret string from a text, longest first so that parts do not leak. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...secrets].filter((x) => x.length > 0).sort((a, b) => b.length - a.length)) {
    out = out.split(s).join('***');
  }
  return out;
}
