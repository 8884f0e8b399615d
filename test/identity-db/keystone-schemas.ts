/**
 * Keystone's identity tables per release, as DDL for the throwaway MariaDB. Sources:
 * - havana: `keystone@2014.1:keystone/identity/backends/sql.py` class User (research §1.4);
 * - mitaka: migration 090 (`local_user`, `password.password VARCHAR(128) NOT NULL`), 091
 *   dropped user.password/name/domain_id;
 * - newton: `password` gains created_at/expires_at/self_service, password nullable,
 *   `local_user` gains failed_auth_*;
 * - rocky: Pike's `password_hash VARCHAR(255)` next to `password`, Queens' *_int columns;
 * - zed: SHOW CREATE TABLE after a real `keystone-manage db_sync` of Debian's keystone 22
 *   (alembic heads 29e87d24a316 / e25ffa003242).
 */
export type Release = 'havana' | 'mitaka' | 'newton' | 'rocky' | 'zed';

const UTF8 = 'ENGINE=InnoDB DEFAULT CHARSET=utf8';

const HAVANA_USER = `CREATE TABLE \`user\` (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  name VARCHAR(255) NOT NULL,
  domain_id VARCHAR(64) NOT NULL,
  password VARCHAR(128),
  enabled TINYINT(1),
  extra TEXT,
  default_project_id VARCHAR(64),
  UNIQUE KEY ixu_user_name_domain_id (domain_id, name)
) ${UTF8}`;

const MODERN_USER = `CREATE TABLE \`user\` (
  id VARCHAR(64) NOT NULL,
  extra TEXT DEFAULT NULL,
  enabled TINYINT(1) DEFAULT NULL,
  default_project_id VARCHAR(64) DEFAULT NULL,
  created_at DATETIME DEFAULT NULL,
  last_active_at DATE DEFAULT NULL,
  domain_id VARCHAR(64) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY ixu_user_id_domain_id (id, domain_id)
) ${UTF8}`;

const localUser = (extra: string): string => `CREATE TABLE local_user (
  id INT(11) NOT NULL AUTO_INCREMENT,
  user_id VARCHAR(64) NOT NULL,
  domain_id VARCHAR(64) NOT NULL,
  name VARCHAR(255) NOT NULL,${extra}
  PRIMARY KEY (id),
  UNIQUE KEY domain_id (domain_id, name),
  UNIQUE KEY user_id (user_id),
  CONSTRAINT local_user_user_id_fkey FOREIGN KEY (user_id, domain_id) REFERENCES \`user\` (id, domain_id)
    ON DELETE CASCADE ON UPDATE CASCADE
) ${UTF8}`;

const password = (columns: string): string => `CREATE TABLE password (
  id INT(11) NOT NULL AUTO_INCREMENT,
  local_user_id INT(11) NOT NULL,${columns}
  PRIMARY KEY (id),
  CONSTRAINT password_ibfk_1 FOREIGN KEY (local_user_id) REFERENCES local_user (id) ON DELETE CASCADE
) ${UTF8}`;

const FAILED_AUTH = `
  failed_auth_count INT(11) DEFAULT NULL,
  failed_auth_at DATETIME DEFAULT NULL,`;

/** Statements that create one release's identity tables in the current database. */
export function identityTables(release: Release): string[] {
  switch (release) {
    case 'havana':
      return [HAVANA_USER];
    case 'mitaka':
      return [MODERN_USER, localUser(''), password(`
  password VARCHAR(128) NOT NULL,`)];
    case 'newton':
      return [MODERN_USER, localUser(FAILED_AUTH), password(`
  password VARCHAR(128) DEFAULT NULL,
  created_at DATETIME NOT NULL,
  expires_at DATETIME DEFAULT NULL,
  self_service TINYINT(1) NOT NULL DEFAULT 0,`)];
    case 'rocky':
      return [MODERN_USER, localUser(FAILED_AUTH), password(`
  password VARCHAR(128) DEFAULT NULL,
  password_hash VARCHAR(255) DEFAULT NULL,
  created_at DATETIME NOT NULL,
  expires_at DATETIME DEFAULT NULL,
  created_at_int BIGINT(20) NOT NULL DEFAULT 0,
  expires_at_int BIGINT(20) DEFAULT NULL,
  self_service TINYINT(1) NOT NULL DEFAULT 0,`)];
    case 'zed':
      return [
        MODERN_USER,
        localUser(FAILED_AUTH),
        password(`
  expires_at DATETIME DEFAULT NULL,
  self_service TINYINT(1) NOT NULL DEFAULT 0,
  password_hash VARCHAR(255) DEFAULT NULL,
  created_at_int BIGINT(20) NOT NULL DEFAULT 0,
  expires_at_int BIGINT(20) DEFAULT NULL,
  created_at DATETIME NOT NULL,`),
        `CREATE TABLE nonlocal_user (
  domain_id VARCHAR(64) NOT NULL,
  name VARCHAR(255) NOT NULL,
  user_id VARCHAR(64) NOT NULL,
  PRIMARY KEY (domain_id, name),
  UNIQUE KEY ixu_nonlocal_user_user_id (user_id),
  CONSTRAINT nonlocal_user_user_id_fkey FOREIGN KEY (user_id, domain_id) REFERENCES \`user\` (id, domain_id)
    ON DELETE CASCADE ON UPDATE CASCADE
) ${UTF8}`,
      ];
  }
}

/** A password row to seed: the hash in the release's column(s), plus an ordering time. */
export interface SeedPassword {
  readonly hash: string | null;
  /** Seconds since the epoch; becomes created_at and created_at_int where present. */
  readonly at: number;
  /** Rocky only: the pre-Pike `password` column (defaults to NULL). */
  readonly legacyColumn?: string | null;
}

/** SQL + values that seed a local user with its password rows (oldest first). */
export function seedUser(
  release: Release,
  user: { readonly id: string; readonly name: string; readonly domainId?: string },
  passwords: readonly SeedPassword[],
): Array<readonly [string, unknown[]]> {
  const domain = user.domainId ?? 'default';
  if (release === 'havana') {
    return [['INSERT INTO `user` (id, name, domain_id, password, enabled, extra) VALUES (?, ?, ?, ?, 1, ?)', [user.id, user.name, domain, passwords[0]?.hash ?? null, '{}']]];
  }
  const out: Array<readonly [string, unknown[]]> = [
    ['INSERT INTO `user` (id, domain_id, enabled, extra) VALUES (?, ?, 1, ?)', [user.id, domain, '{}']],
    ['INSERT INTO local_user (user_id, domain_id, name) VALUES (?, ?, ?)', [user.id, domain, user.name]],
  ];
  const lu = '(SELECT id FROM local_user WHERE user_id = ?)';
  for (const p of passwords) {
    const when = new Date(p.at * 1000).toISOString().slice(0, 19).replace('T', ' ');
    if (release === 'mitaka') out.push([`INSERT INTO password (local_user_id, password) VALUES (${lu}, ?)`, [user.id, p.hash]]);
    else if (release === 'newton') out.push([`INSERT INTO password (local_user_id, password, created_at) VALUES (${lu}, ?, ?)`, [user.id, p.hash, when]]);
    else if (release === 'rocky') {
      out.push([
        `INSERT INTO password (local_user_id, password_hash, password, created_at, created_at_int) VALUES (${lu}, ?, ?, ?, ?)`,
        [user.id, p.hash, p.legacyColumn ?? null, when, p.at * 1_000_000],
      ]);
    } else {
      out.push([
        `INSERT INTO password (local_user_id, password_hash, created_at, created_at_int) VALUES (${lu}, ?, ?, ?)`,
        [user.id, p.hash, when, p.at * 1_000_000],
      ]);
    }
  }
  return out;
}
