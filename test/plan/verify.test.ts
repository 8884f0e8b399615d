import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PumphouseError } from '../../src/errors/index.js';
import { canonicalJson, planChecksum, serializePlan, verifyPlanBytes } from '../../src/plan/index.js';
import { smallPlan } from './fixtures.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** Canonical file text with a correct checksum: passes integrity, so deeper checks are reached. */
function forge(mutate: (p: Record<string, any>) => void): Uint8Array {
  const p = JSON.parse(JSON.stringify(smallPlan())) as Record<string, any>;
  mutate(p);
  delete p.checksum;
  return enc(canonicalJson({ ...p, checksum: planChecksum(p) }));
}

function fails(bytes: Uint8Array, code: string, pattern?: RegExp, opts = {}): PumphouseError {
  try {
    verifyPlanBytes(bytes, { file: 'plan.json', ...opts });
  } catch (e) {
    assert.ok(PumphouseError.is(e), `not a PumphouseError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (pattern) assert.match(`${e.message}\n${e.problems.map((p) => p.message).join('\n')}`, pattern);
    return e;
  }
  assert.fail(`expected ${code}`);
}

describe('verifyPlanBytes: integrity', () => {
  const good = serializePlan(smallPlan()).text;

  test('the untouched file verifies', () => {
    assert.equal(verifyPlanBytes(enc(good)).plan.plan_id, smallPlan().plan_id);
  });

  test('one changed character that still parses (a server name) is PH_PLAN_TAMPERED without --expect-sha256', () => {
    const i = good.indexOf('"web-1"');
    assert.ok(i > 0);
    const edited = `${good.slice(0, i + 5)}7${good.slice(i + 6)}`;
    assert.equal(edited.length, good.length);
    assert.doesNotThrow(() => JSON.parse(edited));
    fails(enc(edited), 'PH_PLAN_TAMPERED', /checksum/);
  });

  test('every single-byte change of a digit in a number is caught', () => {
    const i = good.indexOf('"bytes": ') + '"bytes": '.length;
    const edited = good.slice(0, i) + (good[i] === '9' ? '8' : '9') + good.slice(i + 1);
    fails(enc(edited), 'PH_PLAN_TAMPERED');
  });

  test('a whitespace-only change is caught (the bytes must be canonical)', () => {
    fails(enc(good.replace('\n "actions"', '\n  "actions"')), 'PH_PLAN_TAMPERED', /canonical/);
  });

  test('a change that breaks the JSON is PH_PLAN_INVALID with line and column', () => {
    const i = good.indexOf('"actions"');
    const broken = `${good.slice(0, i)}x${good.slice(i + 1)}`;
    const e = fails(enc(broken), 'PH_PLAN_INVALID', /not valid JSON/);
    const line = good.slice(0, i).split('\n').length;
    assert.equal(e.location?.line, line);
    assert.equal(e.location?.column, 2);
    assert.equal(e.location?.file, 'plan.json');
  });

  test('a truncated file is PH_PLAN_INVALID', () => {
    fails(enc(good.slice(0, 200)), 'PH_PLAN_INVALID');
  });

  test('a file without a checksum is PH_PLAN_INVALID naming the field', () => {
    const p = JSON.parse(good) as Record<string, unknown>;
    delete p.checksum;
    const e = fails(enc(canonicalJson(p)), 'PH_PLAN_INVALID');
    assert.equal(e.location?.field, '/checksum');
  });
});

describe('verifyPlanBytes: versions', () => {
  test('another major format_version is PH_PLAN_VERSION, before anything else is checked', () => {
    fails(forge((p) => (p.format_version = '2.0')), 'PH_PLAN_VERSION', /format 2\.0/);
  });

  test('a newer minor format is PH_PLAN_VERSION', () => {
    fails(forge((p) => (p.format_version = '1.1')), 'PH_PLAN_VERSION');
  });

  test('a missing format_version is PH_PLAN_INVALID', () => {
    fails(forge((p) => delete p.format_version), 'PH_PLAN_INVALID', /format_version/);
  });

  test('tool version policy: compatible, exact, any', () => {
    const bytes = forge((p) => (p.pumphouse_version = '0.1.7'));
    assert.ok(verifyPlanBytes(bytes, { runningVersion: '0.1.0' }));
    fails(bytes, 'PH_PLAN_VERSION', /0\.1\.7/, { runningVersion: '0.1.0', toolVersion: 'exact' });
    fails(bytes, 'PH_PLAN_VERSION', undefined, { runningVersion: '0.2.0' });
    assert.ok(verifyPlanBytes(bytes, { runningVersion: '9.0.0', toolVersion: 'any' }));
    const one = forge((p) => (p.pumphouse_version = '1.4.0'));
    assert.ok(verifyPlanBytes(one, { runningVersion: '1.9.2' }));
    fails(one, 'PH_PLAN_VERSION', undefined, { runningVersion: '2.0.0' });
  });
});

describe('verifyPlanBytes: schema and consistency', () => {
  test('a schema violation names the field', () => {
    const e = fails(forge((p) => (p.actions[3].kind = 'spaceship')), 'PH_PLAN_INVALID', /\/actions\/3\/kind must be one of/);
    assert.equal(e.location?.field, '/actions/3/kind');
  });

  test('every problem is reported at once', () => {
    const e = fails(
      forge((p) => {
        delete p.actions[0].impact;
        p.observed.source.calls = -1;
      }),
      'PH_PLAN_INVALID',
    );
    const fields = e.problems.map((x) => x.location?.field);
    assert.ok(fields.includes('/actions/0'), String(fields));
    assert.ok(fields.includes('/observed/source/calls'), String(fields));
    assert.match(e.message, /and 1 more/);
  });

  test('an unknown field is named', () => {
    fails(forge((p) => (p.actions[0].colour = 'red')), 'PH_PLAN_INVALID', /unknown field 'colour'/);
  });

  test('a malformed $ref inside after is refused', () => {
    const i = smallPlan().actions.findIndex((a) => a.kind === 'server');
    fails(forge((p) => (p.actions[i].after.flavor = { $ref: 'x', extra: 1 })), 'PH_PLAN_INVALID', new RegExp(`/actions/${i}/after/flavor`));
  });

  test('credentials in an endpoint URL are refused', () => {
    fails(forge((p) => (p.config.source.auth_url = 'http://admin:pw@192.168.0.2:5000/v2.0')), 'PH_PLAN_INVALID', /auth_url/);
  });

  test('a dependency on an unknown or later action is refused', () => {
    fails(forge((p) => (p.actions[2].depends_on = ['ffffffffffff'])), 'PH_PLAN_INVALID', /names no action/);
    fails(forge((p) => (p.actions[0].depends_on = [p.actions[5].id])), 'PH_PLAN_INVALID', /comes later/);
  });

  test('duplicate ids, wrong (kind, action) pairs, a wrong summary and a wrong applyable are refused', () => {
    fails(forge((p) => (p.actions[1].id = p.actions[0].id)), 'PH_PLAN_INVALID', /duplicates/);
    fails(forge((p) => (p.actions.find((a: any) => a.kind === 'quota').action = 'migrate')), 'PH_PLAN_INVALID', /quota cannot take the action 'migrate'/);
    fails(forge((p) => (p.summary.total += 1)), 'PH_PLAN_INVALID', /summary/);
    fails(forge((p) => p.diagnostics.push({ severity: 'error', summary: 'boom' })), 'PH_PLAN_INVALID', /applyable must be false/);
  });
});

describe('verifyPlanBytes: secret scan', () => {
  const user = () => smallPlan().actions.findIndex((a) => a.kind === 'password_hash');
  const withAfter = () => smallPlan().actions.findIndex((a) => a.after !== undefined);

  test('the fixture holds $secret references and passes', () => {
    assert.ok(user() >= 0);
    assert.ok(verifyPlanBytes(forge(() => undefined)));
  });

  test('a hash value in place of the reference is refused, naming the field but not the value', () => {
    const hash = '$6$rounds=40000$abcdefgh$' + 'x'.repeat(86);
    const e = fails(forge((p) => (p.actions[user()].after.password_hash = hash)), 'PH_PLAN_INVALID', /password_hash/);
    assert.ok(!e.message.includes(hash));
    assert.ok(!e.problems.some((x) => x.message.includes('rounds')));
  });

  test('a password under any secret-looking key is refused', () => {
    fails(forge((p) => (p.actions[withAfter()].after.admin_pass = 'hunter2')), 'PH_PLAN_INVALID', /admin_pass/);
    fails(forge((p) => (p.actions[withAfter()].after.auth_token = 'abc')), 'PH_PLAN_INVALID', /auth_token/);
  });

  test('secret-looking values are refused whatever their key', () => {
    fails(forge((p) => (p.actions[withAfter()].after.description = '$2b$12$abcdefghijklmnopqrstuv')), 'PH_PLAN_INVALID', /password hash/);
    fails(forge((p) => (p.actions[withAfter()].after.note = 'mysql://keystone:s3cret@db/keystone')), 'PH_PLAN_INVALID', /URL with a password/);
    fails(forge((p) => (p.actions[withAfter()].after.key = '-----BEGIN RSA PRIVATE KEY-----\nMII')), 'PH_PLAN_INVALID', /private key/);
  });

  test('public facts under secret-looking names pass (image multihash, expiry dates, numbers)', () => {
    assert.ok(
      verifyPlanBytes(
        forge((p) => {
          p.actions[withAfter()].after.os_hash_algo = 'sha512';
          p.actions[withAfter()].after.os_hash_value = 'ab'.repeat(64);
          p.actions[withAfter()].after.password_expires_at = '2027-01-01T00:00:00Z';
          p.actions[withAfter()].after.password_required = true;
        }),
      ),
    );
  });

  test('user metadata under a secret-looking key passes as a reference, and a malformed reference is refused', () => {
    const i = smallPlan().actions.findIndex((a) => a.kind === 'server');
    assert.ok(verifyPlanBytes(forge((p) => (p.actions[i].after.metadata.db_password = { $secret: 'nova/server/abc/metadata/db_password' }))));
    fails(forge((p) => (p.actions[i].after.metadata.db_password = { $secret: 'not a path' })), 'PH_PLAN_INVALID', /\$secret/);
    fails(forge((p) => (p.actions[i].after.metadata.db_password = 'hunter2')), 'PH_PLAN_INVALID', /metadata\/db_password/);
  });

  test('writing a plan with a secret is refused too', () => {
    const plan = smallPlan();
    const bad = { ...plan, actions: plan.actions.map((a, i) => (i === withAfter() ? { ...a, after: { ...a.after, password: 'x' } } : a)) };
    assert.throws(() => serializePlan(bad), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_INTERNAL' && /password/.test(e.message));
  });
});
