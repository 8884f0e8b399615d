/**
 * The operator's files for the end-to-end migration: a config naming both testbed clouds and
 * their Keystone databases (for `identity.passwords: copy-hash`), and a manifest per tenant.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DESTINATION_DB, SOURCE_DB } from '../kinds-support.js';

export const SOURCE_URL = process.env['PUMPHOUSE_TESTBED_SOURCE_URL'] ?? 'http://127.0.0.1:5000/v3';
export const DESTINATION_URL = process.env['PUMPHOUSE_TESTBED_DESTINATION_URL'] ?? 'http://127.0.0.1:15000/v3';

/** A working directory with `pumphouse.yaml` and `manifest.yaml` for migrating `tenant`. */
export function operatorDir(root: string, tenant: string): string {
  const dir = join(root, tenant);
  mkdirSync(dir, { recursive: true });
  const cloud = (url: string, db: string) => [
    '    endpoint:',
    `      auth_url: ${url}`,
    '      username: admin',
    '      password: admin',
    '      project_name: admin',
    '      user_domain_name: Default',
    '      project_domain_name: Default',
    '    identity:',
    `      connection: ${db}`,
  ];
  writeFileSync(join(dir, 'pumphouse.yaml'), ['CLOUDS:', '  source:', ...cloud(SOURCE_URL, SOURCE_DB), '  destination:', ...cloud(DESTINATION_URL, DESTINATION_DB), ''].join('\n'));
  writeFileSync(
    join(dir, 'manifest.yaml'),
    [
      'version: 1',
      'tenants:',
      `  - name: ${tenant}`,
      '    servers: all',
      '    source_after: keep',
      'identity:',
      '  users: tenant-members',
      '  roles: used',
      '  passwords: copy-hash',
      'flavors: used',
      'options:',
      '  keep_fixed_ips: true',
      '  server_consistency: suspend',
      '',
    ].join('\n'),
  );
  return dir;
}
