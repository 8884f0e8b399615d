import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import { PumphouseError } from '../../src/errors/index.js';
import { detectHashAlgorithm, hashVerifiable, parseKeystoneRelease, PasswordHash } from '../../src/identity-db/index.js';
import { sha512Crypt } from './sha512-crypt.js';

const BCRYPT = '$2b$12$abcdefghijklmnopqrstuucrMDtdOHxXcNgBo7l5JHxJLJRZEUyP6';
const SHA512 = '$6$rounds=40000$abcdefgh$O8cdDiWeB8oJcIIHGmsxHfntiFWfqvPSY0hNFLfmKwYNHCmI83ZQ4dpePnX9K/TwOUzBC8PBmtqGYY9VS/SMQ1';

describe('sha512Crypt (the test helper making real Havana hashes)', () => {
  test("matches the spec's test vector and glibc's output", () => {
    assert.equal(
      sha512Crypt('Hello world!', 'saltstring'),
      '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1',
    );
    assert.equal(
      sha512Crypt('Hello world!', 'saltstringsaltstring', 10000),
      '$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.',
    );
    // Made once with python3's crypt (glibc/libxcrypt): crypt.crypt('x', '$6$rounds=40000$abcdefgh$').
    assert.equal(sha512Crypt('x', 'abcdefgh', 40000), SHA512);
  });

  test('agrees with openssl passwd -6 where openssl is installed', (t) => {
    let expected: string;
    try {
      expected = execFileSync('openssl', ['passwd', '-6', '-salt', 'Pumphous', 'long password with spaces'], { encoding: 'utf8' }).trim();
    } catch {
      t.skip('openssl is not installed');
      return;
    }
    assert.equal(sha512Crypt('long password with spaces', 'Pumphous'), expected);
  });
});

describe('detectHashAlgorithm', () => {
  const cases: Array<[string, string]> = [
    [SHA512, 'sha512_crypt'],
    [BCRYPT, 'bcrypt'],
    ['$2a$10$abcdefghijklmnopqrstuuXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', 'bcrypt'],
    ['$2y$10$abcdefghijklmnopqrstuuXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', 'bcrypt'],
    ['$bcrypt-sha256$v=2,t=2b,r=12$n79VH.0Q2TMWmt3Oqt9uku$Kq4Noyk3094Y2QlB8NdRT8SvGiI4ft2', 'bcrypt_sha256'],
    ['$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E', 'scrypt'],
    ['$pbkdf2-sha512$25000$LyWE0HrP2RsjZCxlDGFMKQ$1vC5Ohk2mCS9b6akqsEfgeb4l74SF8XjH.SljXf3dMLHdlY1GK9ojcCKts6/asR4aPqBmk74nCDddU3tvSCJvw', 'pbkdf2_sha512'],
    ['$5$rounds=5000$abc$def', 'unknown'],
    ['plaintext', 'unknown'],
    ['', 'unknown'],
  ];
  for (const [value, algorithm] of cases) {
    test(`${value.slice(0, 16) || '(empty)'} -> ${algorithm}`, () => assert.equal(detectHashAlgorithm(value), algorithm));
  }
});

describe('PasswordHash', () => {
  test('keeps the value reachable but out of every printed form', () => {
    const h = new PasswordHash(SHA512);
    assert.equal(h.value, SHA512);
    assert.equal(h.algorithm, 'sha512_crypt');
    assert.equal(h.length, SHA512.length);
    for (const shown of [
      JSON.stringify(h),
      JSON.stringify({ nested: [h] }),
      inspect(h),
      inspect({ h }, { depth: Infinity, showHidden: true }),
      `${h}`,
      String(h),
      JSON.stringify({ ...h }),
      Object.values(h).join(' '),
    ]) {
      assert.ok(!shown.includes(SHA512), shown);
      assert.ok(!shown.includes('O8cdDiWe'), shown);
    }
    assert.equal(JSON.stringify(h), '{"algorithm":"sha512_crypt","value":"***"}');
  });

  test('equals compares hash strings', () => {
    assert.ok(new PasswordHash(SHA512).equals(SHA512));
    assert.ok(new PasswordHash(SHA512).equals(new PasswordHash(SHA512)));
    assert.ok(!new PasswordHash(SHA512).equals(BCRYPT));
  });
});

describe('parseKeystoneRelease', () => {
  const cases: Array<[string, string | undefined, number]> = [
    ['havana', 'havana', 4],
    ['Juno', 'juno', 6],
    ['2014.1.3', 'icehouse', 5],
    ['zed', 'zed', 22],
    ['22.0.0', 'zed', 22],
    ['2024.2', 'dalmatian', 26],
    ['2025.1', 'epoxy', 27],
    ['27.0.1', 'epoxy', 27],
    ['27', 'epoxy', 27],
    ['2027.2', undefined, 32],
    ['31.0.0', undefined, 31],
  ];
  for (const [text, name, major] of cases) {
    test(`${text} -> ${name ?? '(future)'} ${major}`, () => assert.deepEqual(parseKeystoneRelease(text), { name, major }));
  }
  test('nonsense is PH_CONFIG_INVALID', () => {
    for (const bad of ['folsom-ish', '2019.1', '7.0.0', '']) {
      assert.throws(() => parseKeystoneRelease(bad), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_CONFIG_INVALID');
    }
  });
});

describe('hashVerifiable', () => {
  test('sha512_crypt verifies from Havana to 2024.2, not on 2025.1 (keystone 27) or later', () => {
    const h = new PasswordHash(SHA512);
    for (const r of ['havana', 'juno', 'ocata', 'zed', '2024.2', '26.1.1']) assert.equal(hashVerifiable(h, r), true, r);
    for (const r of ['2025.1', 'epoxy', '27.0.0', '2025.2', '29']) assert.equal(hashVerifiable(h, r), false, r);
  });
  test('bcrypt, scrypt and pbkdf2_sha512 need Pike (12) or later', () => {
    for (const a of ['bcrypt', 'scrypt', 'pbkdf2_sha512'] as const) {
      assert.equal(hashVerifiable(a, 'ocata'), false);
      assert.equal(hashVerifiable(a, 'pike'), true);
      assert.equal(hashVerifiable(a, '2025.1'), true);
    }
    assert.equal(hashVerifiable(new PasswordHash(BCRYPT), 'juno'), false);
  });
  test('bcrypt_sha256 needs 2024.1 (25); unknown hashes never verify', () => {
    assert.equal(hashVerifiable('bcrypt_sha256', 'bobcat'), false);
    assert.equal(hashVerifiable('bcrypt_sha256', '2024.1'), true);
    assert.equal(hashVerifiable(new PasswordHash('$5$x$y'), 'zed'), false);
  });
  test('takes a parsed release too', () => {
    assert.equal(hashVerifiable('sha512_crypt', parseKeystoneRelease('epoxy')), false);
  });
});
