import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redact, redactUrl, PumphouseError, formatLocation } from '../../src/errors/index.js';

test('redactUrl hides the password of a DB URL', () => {
  assert.equal(
    redactUrl('mysql+pymysql://keystone:s3cr3t@db.example:3306/keystone'),
    'mysql+pymysql://keystone:***@db.example:3306/keystone',
  );
});

test('redact replaces secret-named keys at any depth and keeps others', () => {
  const out = redact({ user: 'admin', password: 'x', nested: [{ token: 't', id: 1 }], auth: { password_hash: '$6$' } });
  assert.deepEqual(out, { user: 'admin', password: '***', nested: [{ token: '***', id: 1 }], auth: { password_hash: '***' } });
});

test('PumphouseError keeps code, source, location and is recognised by brand', () => {
  const e = new PumphouseError('PH_CONFIG_INVALID', 'bad', { location: { file: 'c.yaml', line: 3, field: 'CLOUDS' } });
  assert.equal(e.code, 'PH_CONFIG_INVALID');
  assert.equal(e.source, 'user');
  assert.ok(PumphouseError.is(e));
  assert.ok(!PumphouseError.is(new Error('x')));
  assert.equal(formatLocation(e.location), 'c.yaml:3 (CLOUDS)');
  assert.equal(new PumphouseError('PH_CLOUD_HTTP', 'x').source, 'cloud');
});
