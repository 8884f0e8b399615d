import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import { PumphouseError } from '../errors/index.js';
import { dbName, type DbContext } from './db-error.js';
import { PasswordHash } from './password-hash.js';
import { activeOrder, type SchemaLayout } from './schema.js';

/** What a write did: a new `password` row, an overwritten hash, or nothing to do. */
export type WriteOutcome = 'inserted' | 'updated' | 'unchanged';

type Conn = Pick<PoolConnection, 'execute'>;

/** SQL expression for the hash Keystone checks, on alias `p` (`u` for the legacy `user`). */
function hashExpr(layout: SchemaLayout): string {
  switch (layout.kind) {
    case 'legacy-user-password':
      return 'u.`password`';
    case 'local-user-password':
      return 'p.`password`';
    case 'local-user-password-hash':
      return 'p.`password_hash`';
    case 'local-user-both':
      // Pike..Rocky read password_hash and fall back to the pre-Pike column.
      return 'COALESCE(p.`password_hash`, p.`password`)';
  }
}

function toHash(value: unknown): PasswordHash | null {
  return typeof value === 'string' && value !== '' ? new PasswordHash(value) : null;
}

export function userNotFound(ctx: DbContext, userId: string, why: string): PumphouseError {
  return new PumphouseError('PH_IDENTITY_DB', `${dbName(ctx)}: ${why}`, {
    source: 'user',
    details: { where: ctx.where, user_id: userId, reason: 'user_not_found' },
  });
}

async function userExists(conn: Conn, userId: string): Promise<boolean> {
  const [rows] = await conn.execute<RowDataPacket[]>('SELECT 1 FROM `user` WHERE id = ?', [userId]);
  return rows.length > 0;
}

/** Reads the hash Keystone would check for `userId`; null when the user has none. */
export async function readHash(conn: Conn, layout: SchemaLayout, ctx: DbContext, userId: string): Promise<PasswordHash | null> {
  if (layout.kind === 'legacy-user-password') {
    const [rows] = await conn.execute<RowDataPacket[]>(`SELECT ${hashExpr(layout)} AS h FROM \`user\` u WHERE u.id = ?`, [userId]);
    if (rows.length === 0) throw userNotFound(ctx, userId, `user ${userId} does not exist`);
    return toHash(rows[0]!['h']);
  }
  const [rows] = await conn.execute<RowDataPacket[]>(
    `SELECT ${hashExpr(layout)} AS h FROM \`local_user\` lu LEFT JOIN \`password\` p ON p.local_user_id = lu.id
     WHERE lu.user_id = ? ORDER BY ${activeOrder(layout, 'p')} LIMIT 1`,
    [userId],
  );
  if (rows.length > 0) return toHash(rows[0]!['h']);
  // No local_user row: a federated, LDAP-backed or unknown user. Only the last is an error.
  if (await userExists(conn, userId)) return null;
  throw userNotFound(ctx, userId, `user ${userId} does not exist`);
}

/** Refuses a hash longer than the column that would receive it, before anything is written. */
export function checkFits(layout: SchemaLayout, ctx: DbContext, hash: PasswordHash): void {
  const column = layout.kind === 'legacy-user-password' ? 'user.password' : layout.kind === 'local-user-password' ? 'password.password' : 'password.password_hash';
  const max = layout.kind === 'local-user-both' || layout.kind === 'local-user-password-hash' ? layout.hashColumns.password_hash : layout.hashColumns.password;
  if (max !== undefined && max > 0 && hash.length > max) {
    throw new PumphouseError(
      'PH_IDENTITY_DB',
      `${dbName(ctx)}: a ${hash.algorithm} hash of ${hash.length} characters does not fit column ${column} (${max} characters)`,
      { source: 'user', details: { where: ctx.where, column, max_length: max, value_length: hash.length, algorithm: hash.algorithm } },
    );
  }
}

/**
 * Writes `hash` as the user's current password inside the caller's transaction.
 * Legacy: UPDATE user.password. Modern: overwrite the hash of the active `password` row(s)
 * (see docs/architecture/identity-db.md for why not a new row), or insert the first row
 * when the user has none.
 */
export async function writeHash(conn: Conn, layout: SchemaLayout, ctx: DbContext, userId: string, hash: PasswordHash): Promise<WriteOutcome> {
  if (layout.kind === 'legacy-user-password') {
    const [rows] = await conn.execute<RowDataPacket[]>('SELECT u.`password` AS h FROM `user` u WHERE u.id = ? FOR UPDATE', [userId]);
    if (rows.length === 0) throw userNotFound(ctx, userId, `user ${userId} does not exist`);
    if (hash.equals(String(rows[0]!['h'] ?? ''))) return 'unchanged';
    await conn.execute('UPDATE `user` SET `password` = ? WHERE id = ?', [hash.value, userId]);
    return 'updated';
  }

  const [users] = await conn.execute<RowDataPacket[]>('SELECT id FROM `local_user` WHERE user_id = ? FOR UPDATE', [userId]);
  if (users.length === 0) {
    if (await userExists(conn, userId)) {
      throw new PumphouseError(
        'PH_IDENTITY_DB',
        `${dbName(ctx)}: user ${userId} has no local_user row (a federated or LDAP user has no password to set)`,
        { source: 'user', details: { where: ctx.where, user_id: userId, reason: 'no_local_user' } },
      );
    }
    throw userNotFound(ctx, userId, `user ${userId} does not exist (no local_user row)`);
  }
  const localUserId = Number(users[0]!['id']);
  const orderKey = layout.passwordColumns.has('created_at_int') ? 'created_at_int' : layout.passwordColumns.has('created_at') ? 'created_at' : undefined;
  const [rows] = await conn.execute<RowDataPacket[]>(
    `SELECT p.id AS id, ${hashExpr(layout)} AS h${orderKey ? `, p.\`${orderKey}\` AS k` : ''}
     FROM \`password\` p WHERE p.local_user_id = ? ORDER BY ${activeOrder(layout, 'p')} FOR UPDATE`,
    [localUserId],
  );
  const sets = hashAssignments(layout, hash);
  if (rows.length === 0) {
    await insertRow(conn, layout, localUserId, sets);
    return 'inserted';
  }
  // Rows tied on the ordering key are equally "current" to Keystone (its ORM does not break
  // ties), so all of them get the hash. Mitaka has no key and uses its single row.
  const first = rows[0]!;
  const active = orderKey ? rows.filter((r) => String(r['k']) === String(first['k'])) : [first];
  if (active.every((r) => hash.equals(String(r['h'] ?? '')))) return 'unchanged';
  const ids = active.map((r) => Number(r['id']));
  await conn.execute(
    `UPDATE \`password\` SET ${sets.map(([c]) => `\`${c}\` = ?`).join(', ')} WHERE id IN (${ids.map(() => '?').join(', ')})`,
    [...sets.map(([, v]) => v), ...ids],
  );
  return 'updated';
}

/** Column assignments for a hash, per schema. */
function hashAssignments(layout: SchemaLayout, hash: PasswordHash): Array<readonly [string, string | null]> {
  switch (layout.kind) {
    case 'local-user-password':
      return [['password', hash.value]];
    case 'local-user-both': {
      // Like Pike's rolling_upgrade_password_hash_compat: the old column gets the hash only
      // when pre-Pike code could verify it (sha512_crypt) and it fits; NULL otherwise.
      const max = layout.hashColumns.password ?? 0;
      const compat = hash.algorithm === 'sha512_crypt' && (max === 0 || hash.length <= max) ? hash.value : null;
      return [['password_hash', hash.value], ['password', compat]];
    }
    default:
      return [['password_hash', hash.value]];
  }
}

async function insertRow(conn: Conn, layout: SchemaLayout, localUserId: number, sets: ReadonlyArray<readonly [string, string | null]>): Promise<void> {
  const now = new Date();
  const cols: Array<readonly [string, string | number | null]> = [['local_user_id', localUserId], ...sets];
  // created_at is NOT NULL from Newton on; created_at_int (microseconds, UTC) orders rows
  // from Queens on. expires_at stays NULL and self_service 0, as for an admin-set password.
  if (layout.passwordColumns.has('created_at')) cols.push(['created_at', now.toISOString().slice(0, 19).replace('T', ' ')]);
  if (layout.passwordColumns.has('created_at_int')) cols.push(['created_at_int', now.getTime() * 1000]);
  await conn.execute(
    `INSERT INTO \`password\` (${cols.map(([c]) => `\`${c}\``).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
    cols.map(([, v]) => v),
  );
}
