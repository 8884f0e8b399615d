import { PumphouseError } from '../errors/index.js';

/**
 * Where a Keystone database keeps password hashes (research/legacy-apis.md §1.4):
 * - `legacy-user-password`: `user.password` (Havana .. Liberty);
 * - `local-user-password`: `local_user` + `password.password` (Mitaka .. Ocata);
 * - `local-user-both`: `password.password` and `password.password_hash` (Pike .. Rocky);
 * - `local-user-password-hash`: `password.password_hash` only (Stein and later, Zed included).
 */
export type SchemaKind = 'legacy-user-password' | 'local-user-password' | 'local-user-password-hash' | 'local-user-both';

/** What the reads and writes need to know beyond the kind: optional columns and sizes. */
export interface SchemaLayout {
  readonly kind: SchemaKind;
  /** Max characters of each hash column present (`user.password` or `password.*`). */
  readonly hashColumns: Readonly<Partial<Record<'password' | 'password_hash', number>>>;
  /** Optional `password` columns present: Newton added created_at/expires_at/self_service, Queens the *_int ones. */
  readonly passwordColumns: ReadonlySet<string>;
}

/** One row of information_schema.COLUMNS for the tables that matter. */
export interface ColumnRow {
  readonly table: string;
  readonly column: string;
  readonly maxLength: number | null;
}

/**
 * Decides the schema from the columns of `user`, `local_user` and `password`. Pure, so that
 * every release's shape is testable without a server. Throws PH_IDENTITY_DB_SCHEMA naming
 * what is missing when the tables match no known release.
 */
export function layoutFromColumns(rows: readonly ColumnRow[], where: string): SchemaLayout {
  const tables = new Map<string, Map<string, number | null>>();
  for (const r of rows) {
    const t = tables.get(r.table) ?? new Map<string, number | null>();
    t.set(r.column, r.maxLength);
    tables.set(r.table, t);
  }
  const user = tables.get('user');
  const localUser = tables.get('local_user');
  const password = tables.get('password');
  const fail = (why: string): PumphouseError =>
    new PumphouseError('PH_IDENTITY_DB_SCHEMA', `identity database ${where}: ${why}`, {
      details: { where, tables: [...tables.keys()].sort() },
    });

  if (!user) throw fail('no `user` table: not a Keystone database, or the DB user may not read it');
  const length = (cols: Map<string, number | null>, name: string): number => cols.get(name) ?? 0;

  if (user.has('password')) {
    if (localUser) {
      throw fail('both `user.password` and `local_user` exist: a half-finished Mitaka upgrade (migrations 090/091)');
    }
    requireColumns(user, 'user', ['id', 'name', 'domain_id'], fail);
    return { kind: 'legacy-user-password', hashColumns: { password: length(user, 'password') }, passwordColumns: new Set() };
  }
  if (!localUser || !password) {
    throw fail('no `user.password` column and no `local_user` + `password` tables: no known Keystone release');
  }
  requireColumns(localUser, 'local_user', ['id', 'user_id', 'domain_id', 'name'], fail);
  requireColumns(password, 'password', ['id', 'local_user_id'], fail);
  const hasPlain = password.has('password');
  const hasHash = password.has('password_hash');
  if (!hasPlain && !hasHash) throw fail('table `password` has neither a `password` nor a `password_hash` column');
  const kind: SchemaKind = hasPlain && hasHash ? 'local-user-both' : hasHash ? 'local-user-password-hash' : 'local-user-password';
  const hashColumns: Partial<Record<'password' | 'password_hash', number>> = {};
  if (hasPlain) hashColumns.password = length(password, 'password');
  if (hasHash) hashColumns.password_hash = length(password, 'password_hash');
  const optional = ['created_at', 'created_at_int', 'expires_at', 'expires_at_int', 'self_service'].filter((c) => password.has(c));
  return { kind, hashColumns, passwordColumns: new Set(optional) };
}

function requireColumns(
  cols: Map<string, number | null>,
  table: string,
  names: readonly string[],
  fail: (why: string) => PumphouseError,
): void {
  const missing = names.filter((n) => !cols.has(n));
  if (missing.length > 0) throw fail(`table \`${table}\` lacks column(s) ${missing.map((m) => `\`${m}\``).join(', ')}`);
}

/**
 * ORDER BY that puts the row Keystone treats as the current password first. Newton..Ocata
 * order a user's passwords by `created_at`, Queens on by `created_at_int`, and use the last
 * one; Mitaka keeps a single row and uses the first. `id` breaks ties the way inserts do.
 */
export function activeOrder(layout: SchemaLayout, alias: string): string {
  if (layout.passwordColumns.has('created_at_int')) return `${alias}.created_at_int DESC, ${alias}.id DESC`;
  if (layout.passwordColumns.has('created_at')) return `${alias}.created_at DESC, ${alias}.id DESC`;
  return `${alias}.id ASC`;
}
