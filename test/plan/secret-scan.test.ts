import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { secretProblems, secretString } from '../../src/plan/secret-scan.js';

// The value rules as first written (each pattern tried in turn): the scan must give the same verdicts.
const REFERENCE: readonly (readonly [RegExp, string])[] = [
  [/^\$(1|2[abxy]?|5|6|pbkdf2[\w-]*|scrypt|argon2\w*)\$/, 'a password hash'],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s/@:]+:[^\s/@]+@/i, 'a URL with a password'],
  [/^gAAAAA[\w-]{40,}/, 'a Keystone (fernet) token'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
];

function reference(v: string): string | null {
  if (v === '') return null;
  for (const [re, what] of REFERENCE) if (re.test(v)) return what;
  return null;
}

const SAMPLES = [
  '', '$', '$1$', '$1$salt$hash', '$6$abc', '$2y$10$x', '$pbkdf2-sha256$x', '$argon2id$v', '$x$', 'a$1$b',
  'a://b:c@', 'a://b:c', 'http://u:p@host/', 'HTTP://U:P@H', 'mysql+pymysql://nova:secret@db/nova', 'http://host:5000/v3',
  'http://u@h', 'x http://u:p@h', 'é://u:p@h', '1://u:p@h', 'http://u:p @h',
  `gAAAAA${'x'.repeat(40)}`, `gAAAAA${'x'.repeat(39)}`, `gAAAAA${'-'.repeat(40)}`, `gAAAAB${'x'.repeat(40)}`, `ygAAAAA${'x'.repeat(40)}`,
  '-----BEGIN PRIVATE KEY-----', '-----BEGIN RSA PRIVATE KEY-----\nabc', '-----BEGIN PUBLIC KEY-----', '-----BEGIN PRIVATE KEY----',
  'x -----BEGIN OPENSSH PRIVATE KEY----- y', 'ssh-rsa AAAA', 'vm-1', 'server[tenant-1/vm-1]', '2026-11-26T12:00:00Z', 'fa:16:3e:00:01:02',
];

describe('secretString: same verdicts as the patterns tried in turn', () => {
  test('samples at every pattern edge', () => {
    for (const v of SAMPLES) {
      const verdict = secretString(undefined, v);
      assert.equal(verdict && 'looksLike' in verdict ? verdict.looksLike : null, reference(v), JSON.stringify(v));
    }
  });

  test('random strings built from the patterns own pieces', () => {
    const pieces = ['$', '1', '6', '$', 'g', 'AAAAA', 'x'.repeat(20), '://', ':', '@', '/', ' ', 'http', '-----BEGIN ', 'PRIVATE KEY-----', 'RSA ', 'é', '\n'];
    let seed = 11;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    let found = 0;
    for (let i = 0; i < 20000; i++) {
      let v = '';
      for (let n = next() % 9; n > 0; n--) v += pieces[next() % pieces.length];
      const verdict = secretString(undefined, v);
      const got = verdict && 'looksLike' in verdict ? verdict.looksLike : null;
      if (got) found++;
      assert.equal(got, reference(v), JSON.stringify(v));
    }
    assert.ok(found > 100, `${found} finds`);
  });

  test('keys: a secret-looking key holding a string is reported, public ones are not', () => {
    assert.deepEqual(secretString('password', 'x'), { underKey: true });
    assert.deepEqual(secretString('admin_token', 'vm-1'), { underKey: true });
    assert.equal(secretString('password', ''), null);
    assert.equal(secretString('os_hash_value', 'abc'), null);
    assert.equal(secretString('checksum', 'abc'), null);
    assert.equal(secretString('name', 'abc'), null);
  });

  test('secretProblems names the fields in the canonical order, never the values', () => {
    const value = { b: ['ok', 'http://u:p@h/'], a: { password: 'hunter2', $secret: 'nova/x/y/z' }, c: { x: { $secret: 'keystone/users/u/password' } } };
    const problems = secretProblems(value, 'p.json');
    assert.deepEqual(
      problems.map((p) => p.location),
      [
        { file: 'p.json', field: '/a/password' },
        { file: 'p.json', field: '/b/1' },
      ],
    );
    assert.ok(problems.every((p) => !p.message.includes('hunter2') && !p.message.includes('u:p')));
  });
});
