import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PumphouseError } from '../../src/errors/index.js';
import { readPlan, serializePlan, sha256Hex, writePlan, newPlanIdentity } from '../../src/plan/index.js';
import { FIXED_IDENTITY, smallPlan } from './fixtures.js';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ph-plan-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('writePlan / readPlan', () => {
  test('round trip gives back the same plan and the sha256 of the bytes on disk', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'plan.json');
      const plan = smallPlan();
      const sha = await writePlan(plan, path);
      const bytes = await readFile(path);
      assert.equal(sha, sha256Hex(bytes));
      assert.ok(bytes.toString('utf8').endsWith('}\n'));
      const loaded = await readPlan(path);
      assert.equal(loaded.sha256, sha);
      assert.deepEqual(loaded.plan, JSON.parse(JSON.stringify(plan)));
      assert.equal('checksum' in loaded.plan, false);
      assert.deepEqual(await readdir(dir), ['plan.json'], 'no temp file left behind');
    });
  });

  test('same inputs give the same bytes and sha256; only plan_id and created_at differ otherwise', async () => {
    const a = serializePlan(smallPlan(), { fixedIdentity: FIXED_IDENTITY });
    const b = serializePlan(smallPlan(), { fixedIdentity: FIXED_IDENTITY });
    assert.equal(a.text, b.text);
    assert.equal(a.sha256, b.sha256);
    const other = serializePlan(smallPlan(), { fixedIdentity: newPlanIdentity(new Date('2027-01-01T00:00:00Z')) });
    assert.notEqual(other.sha256, a.sha256);
    const strip = (t: string) => t.split('\n').filter((l) => !/"(plan_id|created_at|checksum)"/.test(l)).join('\n');
    assert.equal(strip(other.text), strip(a.text));
  });

  test('key order of the input does not change the bytes', () => {
    const plan = smallPlan();
    const reversed = Object.fromEntries(Object.entries(plan).reverse()) as unknown as typeof plan;
    assert.equal(serializePlan(reversed).sha256, serializePlan(plan).sha256);
  });

  test('refuses to write an invalid plan, as a bug (PH_INTERNAL), leaving no file', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'plan.json');
      const plan = { ...smallPlan(), applyable: false };
      await assert.rejects(writePlan(plan, path), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_INTERNAL' && /applyable/.test(e.message));
      assert.deepEqual(await readdir(dir), []);
    });
  });

  test('a plan holding a secret is refused while it is written, leaving no file (not even the temp file)', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'plan.json');
      const plan = smallPlan();
      const i = plan.actions.findIndex((a) => a.after !== undefined);
      const bad = { ...plan, actions: plan.actions.map((a, j) => (j === i ? { ...a, after: { ...a.after, note: 'mysql://keystone:s3cret@db/keystone' } } : a)) };
      await assert.rejects(writePlan(bad, path), (e: unknown) => {
        assert.ok(PumphouseError.is(e));
        assert.equal(e.code, 'PH_INTERNAL');
        assert.match(e.message, new RegExp(`/actions/${i}/after/note looks like a URL with a password`));
        assert.ok(!e.message.includes('s3cret'));
        return true;
      });
      assert.deepEqual(await readdir(dir), []);
    });
  });

  test('an unwritable destination is PH_PLAN_IO', async () => {
    await withDir(async (dir) => {
      await assert.rejects(writePlan(smallPlan(), join(dir, 'missing', 'plan.json')), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_PLAN_IO');
    });
  });

  test('a missing plan file is PH_NOT_FOUND, a directory is PH_PLAN_IO', async () => {
    await withDir(async (dir) => {
      await assert.rejects(readPlan(join(dir, 'nope.json')), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_NOT_FOUND');
      await assert.rejects(readPlan(dir), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_PLAN_IO');
    });
  });

  test('expectSha256: the printed digest is accepted (any case), another one is PH_PLAN_TAMPERED', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'plan.json');
      const sha = await writePlan(smallPlan(), path);
      assert.equal((await readPlan(path, { expectSha256: sha.toUpperCase() })).sha256, sha);
      await assert.rejects(readPlan(path, { expectSha256: '0'.repeat(64) }), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_PLAN_TAMPERED');
    });
  });

  test('overwrites an existing plan atomically', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'plan.json');
      await writeFile(path, 'old');
      const sha = await writePlan(smallPlan(), path);
      assert.equal(sha256Hex(await readFile(path)), sha);
    });
  });
});
