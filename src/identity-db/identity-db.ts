import { readFile } from 'node:fs/promises';
import { inspect } from 'node:util';
import { createPool, type Pool, type PoolConnection, type PoolOptions, type RowDataPacket } from 'mysql2/promise';
import { PumphouseError } from '../errors/index.js';
import { parseKeystoneDbUrl, type KeystoneDbUrl } from './db-url.js';
import { dbError, dbName, type DbContext } from './db-error.js';
import { PasswordHash } from './password-hash.js';
import { checkFits, readHash, writeHash, type WriteOutcome } from './password-rows.js';
import { layoutFromColumns, type ColumnRow, type SchemaKind, type SchemaLayout } from './schema.js';

export interface IdentityDbOptions {
  /** Operator's name for the cloud (`source`, `destination`), used in messages. */
  readonly label?: string;
  /** TCP connect + handshake limit. Default: the URL's `connect_timeout`, else 10 s. */
  readonly connectTimeoutMs?: number;
  /** Pool size. Hash copies are sequential per cloud; the default is 2. */
  readonly connectionLimit?: number;
}

/** A Keystone database opened for password-hash reads and writes. */
export interface IdentityDb {
  /** The parsed URL (its password is non-enumerable). */
  readonly url: KeystoneDbUrl;
  /** Which release family's tables hold the hashes; read once from information_schema, then cached. */
  detectSchema(): Promise<SchemaKind>;
  /** The hash Keystone checks for `userId` (the active password row), or null if the user has none
   * (federated/LDAP user, no password set). Throws PH_IDENTITY_DB when the user does not exist. */
  readPasswordHash(userId: string): Promise<PasswordHash | null>;
  /** Makes `hash` the user's current password, in one transaction. Idempotent: writing the
   * same hash again returns `unchanged`. Throws PH_IDENTITY_DB naming the user id when the user
   * or its local_user row is missing, or when the hash does not fit the column. */
  writePasswordHash(userId: string, hash: PasswordHash | string): Promise<WriteOutcome>;
  /** The id of the local (SQL-backed) user `name` in domain `domainId`, or null. Names compare
   * with the column's collation, as Keystone's own lookups do (case-insensitive on MySQL). */
  lookupUserIdByName(name: string, domainId: string): Promise<string | null>;
  /** Ends the pool. Safe to call twice. */
  close(): Promise<void>;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * Opens a small mysql2 pool on a Keystone database and checks that it answers. Throws
 * PH_CONFIG_INVALID for a bad URL, PH_IDENTITY_DB when the server is unreachable, refuses
 * the credentials or lacks the database; messages name host:port/database and the DB user,
 * never the password.
 */
export async function openIdentityDb(url: string | KeystoneDbUrl, options: IdentityDbOptions = {}): Promise<IdentityDb> {
  const parsed = typeof url === 'string' ? parseKeystoneDbUrl(url) : url;
  const ctx: DbContext = { where: parsed.where, user: parsed.user, label: options.label };
  const secrets = parsed.password ? [parsed.password] : [];
  const ssl = parsed.ssl ? await readSsl(parsed.ssl, ctx) : undefined;
  const config: PoolOptions = {
    user: parsed.user,
    password: parsed.password ?? '',
    database: parsed.database,
    ...(parsed.socketPath !== undefined ? { socketPath: parsed.socketPath } : { host: parsed.host, port: parsed.port }),
    ...(parsed.charset !== undefined ? { charset: parsed.charset } : {}),
    ...(ssl ? { ssl } : {}),
    connectTimeout: options.connectTimeoutMs ?? parsed.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    connectionLimit: options.connectionLimit ?? 2,
    maxIdle: options.connectionLimit ?? 2,
    waitForConnections: true,
    // Keystone's DATETIME columns are naive UTC: keep them as strings, never local-time Dates.
    dateStrings: true,
    supportBigNumbers: true,
    multipleStatements: false,
  };
  const pool = createPool(config);
  let conn: PoolConnection | undefined;
  try {
    conn = await pool.getConnection();
    await conn.ping();
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw dbError(err, ctx, 'connecting', secrets);
  } finally {
    conn?.release();
  }
  return new KeystoneIdentityDb(parsed, pool, ctx, secrets);
}

async function readSsl(ssl: NonNullable<KeystoneDbUrl['ssl']>, ctx: DbContext): Promise<{ ca?: string; cert?: string; key?: string }> {
  const out: { ca?: string; cert?: string; key?: string } = {};
  for (const key of ['ca', 'cert', 'key'] as const) {
    const path = ssl[key];
    if (path === undefined) continue;
    try {
      out[key] = await readFile(path, 'utf8');
    } catch (err) {
      throw new PumphouseError('PH_CONFIG_INVALID', `${dbName(ctx)}: cannot read ssl_${key} file ${path}`, { cause: err, details: { path } });
    }
  }
  return out;
}

class KeystoneIdentityDb implements IdentityDb {
  readonly url: KeystoneDbUrl;
  readonly #pool: Pool;
  readonly #ctx: DbContext;
  readonly #secrets: readonly string[];
  #layout: Promise<SchemaLayout> | undefined;
  #closed = false;

  constructor(url: KeystoneDbUrl, pool: Pool, ctx: DbContext, secrets: readonly string[]) {
    this.url = url;
    this.#pool = pool;
    this.#ctx = ctx;
    this.#secrets = secrets;
  }

  async detectSchema(): Promise<SchemaKind> {
    return (await this.#schema()).kind;
  }

  #schema(): Promise<SchemaLayout> {
    if (this.#layout) return this.#layout;
    const detecting = this.#run('reading the schema', [], async (conn) => {
      const [rows] = await conn.execute<RowDataPacket[]>(
        `SELECT TABLE_NAME AS t, COLUMN_NAME AS c, CHARACTER_MAXIMUM_LENGTH AS n FROM information_schema.COLUMNS
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('user', 'local_user', 'password')`,
      );
      const columns: ColumnRow[] = rows.map((r) => ({
        table: String(r['t']),
        column: String(r['c']),
        maxLength: r['n'] === null ? null : Number(r['n']),
      }));
      return layoutFromColumns(columns, this.#ctx.where);
    });
    this.#layout = detecting;
    // A failed detection (server briefly down) must not stay cached.
    detecting.catch(() => {
      if (this.#layout === detecting) this.#layout = undefined;
    });
    return detecting;
  }

  async readPasswordHash(userId: string): Promise<PasswordHash | null> {
    const layout = await this.#schema();
    return this.#run(`reading the password hash of user ${userId}`, [], (conn) => readHash(conn, layout, this.#ctx, userId));
  }

  async writePasswordHash(userId: string, hash: PasswordHash | string): Promise<WriteOutcome> {
    const h = typeof hash === 'string' ? new PasswordHash(hash) : hash;
    if (h.length === 0) {
      throw new PumphouseError('PH_INTERNAL', `refusing to write an empty password hash for user ${userId}`, { source: 'internal' });
    }
    const layout = await this.#schema();
    checkFits(layout, this.#ctx, h);
    return this.#run(`writing the password hash of user ${userId}`, [h.value], async (conn) => {
      await conn.beginTransaction();
      try {
        const outcome = await writeHash(conn, layout, this.#ctx, userId, h);
        await conn.commit();
        return outcome;
      } catch (err) {
        await conn.rollback().catch(() => undefined);
        throw err;
      }
    });
  }

  async lookupUserIdByName(name: string, domainId: string): Promise<string | null> {
    const layout = await this.#schema();
    const sql =
      layout.kind === 'legacy-user-password'
        ? 'SELECT id AS id FROM `user` WHERE name = ? AND domain_id = ?'
        : 'SELECT user_id AS id FROM `local_user` WHERE name = ? AND domain_id = ?';
    return this.#run(`looking up user ${name} in domain ${domainId}`, [], async (conn) => {
      const [rows] = await conn.execute<RowDataPacket[]>(sql, [name, domainId]);
      return rows.length === 0 ? null : String(rows[0]!['id']);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end().catch(() => undefined);
  }

  async #run<T>(doing: string, secrets: readonly string[], body: (conn: PoolConnection) => Promise<T>): Promise<T> {
    if (this.#closed) throw new PumphouseError('PH_INTERNAL', `${dbName(this.#ctx)} is closed (${doing})`, { source: 'internal' });
    let conn: PoolConnection | undefined;
    try {
      conn = await this.#pool.getConnection();
      return await body(conn);
    } catch (err) {
      throw dbError(err, this.#ctx, doing, [...this.#secrets, ...secrets]);
    } finally {
      conn?.release();
    }
  }

  toJSON(): { readonly where: string; readonly user: string } {
    return { where: this.#ctx.where, user: this.#ctx.user };
  }

  [inspect.custom](): string {
    return `IdentityDb(${dbName(this.#ctx)})`;
  }
}
