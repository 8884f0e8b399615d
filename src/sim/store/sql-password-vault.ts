import { createPool, type Pool, type RowDataPacket } from 'mysql2/promise';
import { PumphouseError } from '../../errors/index.js';
import { parseKeystoneDbUrl } from '../../identity-db/index.js';
import { hashPassword, verifyPasswordHash, type HashCost, type HashScheme } from '../auth/passwords.js';
import type { SimRandom } from '../random.js';
import type { PasswordVault } from './identity-store.js';
import type { UserRecord } from './types/identity.js';

/** The Keystone table layouts the simulator writes (legacy-apis.md §1.4). */
const DDL: Readonly<Record<'legacy' | 'modern', readonly string[]>> = {
  // Havana .. Juno: `user.password` (keystone/identity/backends/sql.py).
  legacy: [
    `CREATE TABLE \`user\` (id VARCHAR(64) NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL, domain_id VARCHAR(64) NOT NULL,
      password VARCHAR(128), enabled TINYINT(1), extra TEXT, default_project_id VARCHAR(64), UNIQUE KEY ixu_user_name_domain_id (domain_id, name))`,
  ],
  // Stein and later (Zed): user + local_user + password.password_hash (sql_model.py).
  modern: [
    `CREATE TABLE \`user\` (id VARCHAR(64) NOT NULL PRIMARY KEY, extra TEXT, enabled TINYINT(1), default_project_id VARCHAR(64),
      created_at DATETIME, last_active_at DATE, domain_id VARCHAR(64) NOT NULL)`,
    `CREATE TABLE local_user (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, user_id VARCHAR(64) NOT NULL, domain_id VARCHAR(64) NOT NULL,
      name VARCHAR(255) NOT NULL, failed_auth_count INT, failed_auth_at DATETIME, UNIQUE KEY (user_id), UNIQUE KEY (domain_id, name))`,
    `CREATE TABLE password (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, local_user_id INT NOT NULL, expires_at DATETIME,
      self_service TINYINT(1) NOT NULL DEFAULT 0, password_hash VARCHAR(255), created_at_int BIGINT NOT NULL DEFAULT 0,
      expires_at_int BIGINT, created_at DATETIME NOT NULL)`,
  ],
};

/**
 * Password hashes kept in a real Keystone database of the release's schema, as Keystone keeps
 * them: the simulator writes the rows when users are created or change their password and
 * reads the active hash on every login, so a hash written with SQL (what Pumphouse's
 * identity-db does) takes effect at once. The database must be empty: the tables are created.
 */
export class SqlPasswordVault implements PasswordVault {
  private tail: Promise<void> = Promise.resolve();
  private failure: unknown;

  private constructor(
    private readonly pool: Pool,
    private readonly schema: 'legacy' | 'modern',
    private readonly scheme: HashScheme,
    private readonly rng: SimRandom,
    private readonly cost: HashCost,
  ) {}

  /** Connects and creates the tables; PH_IDENTITY_DB when the database cannot be used. */
  static async open(url: string, schema: 'legacy' | 'modern', scheme: HashScheme, rng: SimRandom, cost: HashCost): Promise<SqlPasswordVault> {
    const u = parseKeystoneDbUrl(url);
    const pool = createPool({
      user: u.user,
      password: u.password ?? '',
      database: u.database,
      ...(u.socketPath !== undefined ? { socketPath: u.socketPath } : { host: u.host, port: u.port }),
      connectionLimit: 2,
    });
    try {
      for (const statement of DDL[schema]) await pool.query(statement);
    } catch (err) {
      await pool.end();
      throw new PumphouseError('PH_IDENTITY_DB', `simulator identity database ${u.where}: cannot create the Keystone tables (${(err as Error).message}); give it an empty database`, { cause: err });
    }
    return new SqlPasswordVault(pool, schema, scheme, rng, cost);
  }

  syncUser(user: UserRecord): void {
    const row = { id: user.id, name: user.name, domain: user.domainId, enabled: user.enabled ? 1 : 0, project: user.defaultProjectId ?? null };
    if (this.schema === 'legacy') {
      this.queue(`INSERT INTO \`user\` (id, name, domain_id, enabled, extra, default_project_id) VALUES (?, ?, ?, ?, '{}', ?)
        ON DUPLICATE KEY UPDATE name = VALUES(name), enabled = VALUES(enabled), default_project_id = VALUES(default_project_id)`, [row.id, row.name, row.domain, row.enabled, row.project]);
      return;
    }
    this.queue(`INSERT INTO \`user\` (id, extra, enabled, default_project_id, created_at, domain_id) VALUES (?, '{}', ?, ?, UTC_TIMESTAMP(), ?)
      ON DUPLICATE KEY UPDATE enabled = VALUES(enabled), default_project_id = VALUES(default_project_id)`, [row.id, row.enabled, row.project, row.domain]);
    this.queue(`INSERT INTO local_user (user_id, domain_id, name, failed_auth_count) VALUES (?, ?, ?, 0) ON DUPLICATE KEY UPDATE name = VALUES(name)`, [row.id, row.domain, row.name]);
  }

  setPassword(user: UserRecord, password: string): void {
    this.setHash(user, hashPassword(this.scheme, password, this.rng, this.cost));
  }

  setHash(user: UserRecord, hash: string): void {
    if (this.schema === 'legacy') {
      this.queue('UPDATE `user` SET password = ? WHERE id = ?', [hash, user.id]);
      return;
    }
    // A new row per change, as Keystone keeps password history; the newest is the active one.
    const micros = Date.now() * 1000;
    this.queue(
      `INSERT INTO password (local_user_id, password_hash, created_at, created_at_int, self_service)
       SELECT id, ?, UTC_TIMESTAMP(), ?, 0 FROM local_user WHERE user_id = ?`,
      [hash, micros, user.id],
    );
  }

  remove(userId: string): void {
    if (this.schema === 'modern') {
      this.queue('DELETE p FROM password p JOIN local_user l ON p.local_user_id = l.id WHERE l.user_id = ?', [userId]);
      this.queue('DELETE FROM local_user WHERE user_id = ?', [userId]);
    }
    this.queue('DELETE FROM `user` WHERE id = ?', [userId]);
  }

  async hashOf(userId: string): Promise<string | undefined> {
    await this.flush();
    const sql =
      this.schema === 'legacy'
        ? 'SELECT password AS hash FROM `user` WHERE id = ?'
        : `SELECT p.password_hash AS hash FROM password p JOIN local_user l ON p.local_user_id = l.id
           WHERE l.user_id = ? ORDER BY p.created_at_int DESC, p.id DESC LIMIT 1`;
    const [rows] = await this.pool.query<RowDataPacket[]>(sql, [userId]);
    const hash = rows[0]?.['hash'];
    return typeof hash === 'string' ? hash : undefined;
  }

  async verify(userId: string, password: string): Promise<boolean> {
    const hash = await this.hashOf(userId);
    return hash !== undefined && verifyPasswordHash(password, hash);
  }

  async flush(): Promise<void> {
    await this.tail;
    if (this.failure !== undefined) {
      const err = this.failure;
      this.failure = undefined;
      throw new PumphouseError('PH_IDENTITY_DB', `simulator identity database: a write failed (${(err as Error).message})`, { cause: err });
    }
  }

  async close(): Promise<void> {
    await this.tail;
    await this.pool.end();
  }

  private queue(sql: string, values: unknown[]): void {
    this.tail = this.tail.then(async () => {
      try {
        await this.pool.query(sql, values);
      } catch (err) {
        this.failure ??= err;
      }
    });
  }
}
