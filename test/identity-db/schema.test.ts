import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PumphouseError } from '../../src/errors/index.js';
import { layoutFromColumns, type ColumnRow } from '../../src/identity-db/index.js';

const cols = (table: string, spec: string): ColumnRow[] =>
  spec.split(/\s+/).filter(Boolean).map((c) => {
    const [column, n] = c.split(':');
    return { table, column: column!, maxLength: n === undefined ? null : Number(n) };
  });

const MODERN_USER = cols('user', 'id:64 extra enabled default_project_id:64 created_at last_active_at domain_id:64');
const LOCAL_USER = cols('local_user', 'id user_id:64 domain_id:64 name:255 failed_auth_count failed_auth_at');

function schemaError(rows: ColumnRow[], pattern: RegExp): void {
  assert.throws(
    () => layoutFromColumns(rows, 'db:3306/keystone'),
    (e: unknown) => PumphouseError.is(e) && e.code === 'PH_IDENTITY_DB_SCHEMA' && pattern.test(e.message) && e.message.includes('db:3306/keystone'),
  );
}

describe('layoutFromColumns', () => {
  test('legacy: user.password with its size', () => {
    const l = layoutFromColumns(cols('user', 'id:64 name:255 domain_id:64 password:128 enabled extra default_project_id:64'), 'x');
    assert.equal(l.kind, 'legacy-user-password');
    assert.deepEqual(l.hashColumns, { password: 128 });
  });

  test('Zed: password_hash only, with the optional columns that order rows', () => {
    const l = layoutFromColumns(
      [...MODERN_USER, ...LOCAL_USER, ...cols('password', 'id local_user_id expires_at self_service password_hash:255 created_at_int expires_at_int created_at')],
      'x',
    );
    assert.equal(l.kind, 'local-user-password-hash');
    assert.deepEqual(l.hashColumns, { password_hash: 255 });
    assert.deepEqual([...l.passwordColumns].sort(), ['created_at', 'created_at_int', 'expires_at', 'expires_at_int', 'self_service']);
  });

  test('Pike..Rocky: both columns', () => {
    const l = layoutFromColumns([...MODERN_USER, ...LOCAL_USER, ...cols('password', 'id local_user_id password:128 password_hash:255 created_at')], 'x');
    assert.equal(l.kind, 'local-user-both');
    assert.deepEqual(l.hashColumns, { password: 128, password_hash: 255 });
  });

  test('Mitaka: password.password and nothing optional', () => {
    const l = layoutFromColumns([...MODERN_USER, ...LOCAL_USER, ...cols('password', 'id local_user_id password:128')], 'x');
    assert.equal(l.kind, 'local-user-password');
    assert.equal(l.passwordColumns.size, 0);
  });

  test('unknown shapes name what is missing', () => {
    schemaError([], /no `user` table/);
    schemaError(MODERN_USER, /no `user.password` column and no `local_user` \+ `password` tables/);
    schemaError([...MODERN_USER, ...LOCAL_USER, ...cols('password', 'id local_user_id created_at')], /neither a `password` nor a `password_hash`/);
    schemaError([...MODERN_USER, ...cols('local_user', 'id name'), ...cols('password', 'id local_user_id password_hash')], /`local_user` lacks column\(s\) `user_id`, `domain_id`/);
    schemaError(cols('user', 'id password'), /`user` lacks column\(s\) `name`, `domain_id`/);
  });
});
