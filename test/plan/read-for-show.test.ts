import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PumphouseError } from '../../src/errors/index.js';
import { canonicalJson, planChecksum, readPlan, readPlanForShow, renderJson, renderMarkdown, renderText, serializePlan, sha256Hex, type Plan } from '../../src/plan/index.js';
import { DetailTexts } from '../../src/plan/detail-texts.js';
import { PlanCopy } from '../../src/plan/plan-copy.js';
import { ShownAction } from '../../src/plan/shown-action.js';
import { detailLineCount, detailLineCountWithoutRefs } from '../../src/plan/render/describe.js';
import { markdownDetailsUpTo } from '../../src/plan/render/markdown.js';
import { buildReview } from '../../src/plan/render/review.js';
import { prng } from '../support/prng.js';
import { PlanBuilder, addHost, addShared, addTenant, largePlan, smallPlan } from './fixtures.js';

const root = join(import.meta.dirname, '..', '..');
const EXAMPLES = ['small', '500'].map((n) => join(root, 'plans', `example-${n}.plan.json`));

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ph-show-read-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The plan files compared: the two examples and the two hand-built fixtures. */
async function planFiles(dir: string): Promise<string[]> {
  const files = [...EXAMPLES];
  for (const [name, plan] of [['small', smallPlan()], ['large', largePlan()]] as const) {
    const path = join(dir, `fixture-${name}.json`);
    await writeFile(path, serializePlan(plan).text);
    files.push(path);
  }
  // Not ASCII: the copy's text is decoded as UTF-8.
  const server = smallPlan().actions.findIndex((a) => a.kind === 'server');
  const path = join(dir, 'fixture-utf8.json');
  await writeFile(path, forged((p) => (p.actions[server].after.name = 'wéb-1 \u{1F680} <b>`x`</b>')));
  files.push(path);
  return files;
}

/** largePlan()'s shape with `tenants` tenants (87 actions each). */
function manyTenants(tenants: number): Plan {
  const b = new PlanBuilder();
  const shared = addShared(b);
  const finals = new Map<string, string[]>();
  for (let t = 0; t < tenants; t++) {
    const name = `tenant-${String(t + 1).padStart(3, '0')}`;
    const servers = Array.from({ length: 20 }, (_, i) => ({ name: `vm-${i}`, host: `node-${(t * 20 + i) % 10}`, disk_gb: 20, ...(i % 5 === 0 ? { volume_gb: 50 } : {}) }));
    const byHost = addTenant(b, { name, users: [`${name}-admin`], sourceAfter: 'delete', image: { name: `${name}-base`, size: 1 << 30 }, servers }, shared);
    for (const [h, ids] of byHost) finals.set(h, [...(finals.get(h) ?? []), ...ids]);
  }
  for (let h = 0; h < 10; h++) addHost(b, `node-${h}`, 100 + h, finals.get(`node-${h}`) ?? []);
  return b.build();
}

function jsonText(chunks: Iterable<Uint8Array>): string {
  return Buffer.concat([...chunks]).toString('utf8');
}

/** A canonical file with a correct checksum whose plan `mutate` changed: it passes integrity. */
function forged(mutate: (p: Record<string, any>) => void): string {
  const p = JSON.parse(serializePlan(smallPlan()).text) as Record<string, any>;
  mutate(p);
  delete p.checksum;
  return canonicalJson({ ...p, checksum: planChecksum(p) });
}

/** What a read answered: the error's code, message, location and problems, or the plan's digest. */
async function answer(read: () => Promise<{ sha256: string }>): Promise<unknown> {
  try {
    return { sha256: (await read()).sha256 };
  } catch (e) {
    assert.ok(PumphouseError.is(e), `not a PumphouseError: ${String(e)}`);
    return { code: e.code, message: e.message, location: e.location, problems: e.problems };
  }
}

describe('readPlanForShow', () => {
  test('holds ShownActions, and every rendering is byte for byte the one of readPlan', async () => {
    await withDir(async (dir) => {
      for (const file of await planFiles(dir)) {
        const full = await readPlan(file);
        const facts = { sha256: full.sha256, path: file };
        for (const rendering of ['text', 'markdown', 'json'] as const) {
          const shown = await readPlanForShow(file, { rendering, dir });
          try {
            assert.ok(shown.plan.actions.every((a) => a instanceof ShownAction), `${file}: the lean road was not taken`);
            assert.equal(shown.sha256, full.sha256);
            assert.equal(shown.checksum, full.checksum);
            if (rendering === 'text') {
              assert.equal(renderText(shown.plan, facts), renderText(full.plan, facts), file);
              assert.equal(renderText(shown.plan, { ...facts, color: true }), renderText(full.plan, { ...facts, color: true }), file);
              assert.throws(() => shown.jsonChunks(), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_INTERNAL');
              continue;
            }
            if (rendering === 'markdown') {
              // A small cap makes Markdown count the lines of the details it leaves out.
              for (const maxBytes of [60_000, 4_000]) assert.equal(renderMarkdown(shown.plan, { ...facts, maxBytes }), renderMarkdown(full.plan, { ...facts, maxBytes }), file);
              assert.throws(() => shown.jsonChunks(), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_INTERNAL');
              continue;
            }
            assert.equal(renderMarkdown(shown.plan, facts), renderMarkdown(full.plan, facts), file);
            assert.equal(renderText(shown.plan, facts), renderText(full.plan, facts), file);
            assert.equal(jsonText(shown.jsonChunks()), renderJson(full.plan), file);
            assert.equal(JSON.stringify(shown.plan), JSON.stringify(full.plan), file);
          } finally {
            shown.close();
          }
        }
      }
    });
  });

  test('Markdown of a plan of more changes than its listing can hold needs none of them whole', async () => {
    await withDir(async (dir) => {
      const file = join(dir, 'plan.json');
      const plan = manyTenants(100);
      assert.ok(plan.actions.length > markdownDetailsUpTo() + 1000, String(plan.actions.length));
      await writeFile(file, serializePlan(plan).text);
      const full = await readPlan(file);
      const shown = await readPlanForShow(file, { rendering: 'markdown', dir });
      assert.ok(shown.plan.actions.every((a) => a instanceof ShownAction));
      const markdown = renderMarkdown(shown.plan);
      assert.equal(markdown, renderMarkdown(full.plan));
      assert.match(markdown, /without details/);
      // Its actions are not held whole any more: a rendering that needs one says so.
      assert.throws(() => renderText(shown.plan), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_INTERNAL');
      shown.close();
    });
  });

  test('a text rendering resolves a $ref to an action read later as readPlan does (that action is kept whole)', async () => {
    await withDir(async (dir) => {
      const file = join(dir, 'plan.json');
      const server = smallPlan().actions.findIndex((a) => a.kind === 'server');
      await writeFile(file, forged((p) => (p.actions[server].after.later = { $ref: p.actions[p.actions.length - 1].id })));
      const full = await readPlan(file);
      const shown = await readPlanForShow(file, { rendering: 'text', dir });
      assert.ok(shown.plan.actions.every((a) => a instanceof ShownAction));
      const text = renderText(shown.plan);
      assert.equal(text, renderText(full.plan));
      assert.match(text, new RegExp(`later = <${full.plan.actions.at(-1)!.address.replace(/[[\]]/g, '\\$&')}>`));
      shown.close();
    });
  });

  test('renders what was verified, whatever happens to the file afterwards; the copy leaves no file behind', async () => {
    await withDir(async (dir) => {
      const file = join(dir, 'plan.json');
      const copies = join(dir, 'copies');
      await rm(copies, { force: true, recursive: true });
      await (await import('node:fs/promises')).mkdir(copies);
      await writeFile(file, serializePlan(largePlan()).text);
      const before = renderText((await readPlan(file)).plan);
      const shown = await readPlanForShow(file, { rendering: 'text', dir: copies });
      assert.deepEqual(await readdir(copies), [], 'the copy is unlinked at once');
      await writeFile(file, serializePlan(smallPlan()).text);
      assert.equal(renderText(shown.plan), before);
      shown.close();
      shown.close();
    });
  });

  test('answers exactly what readPlan answers for a damaged, forged, foreign or missing file', async () => {
    await withDir(async (dir) => {
      const good = serializePlan(smallPlan()).text;
      const at = good.indexOf('"web-1"');
      const server = smallPlan().actions.findIndex((a) => a.kind === 'server');
      const withAfter = smallPlan().actions.findIndex((a) => a.after !== undefined);
      const cases: [string, string, object?][] = [
        ['untouched', good],
        ['one character changed', `${good.slice(0, at + 5)}7${good.slice(at + 6)}`],
        ['reformatted', good.replace('\n "actions"', '\n  "actions"')],
        ['broken JSON', good.replace('"actions"', 'x"actions"')],
        ['truncated', good.slice(0, good.length / 2)],
        ['wrong expected digest', good, { expectSha256: 'a'.repeat(64) }],
        ['right expected digest', good, { expectSha256: sha256Hex(good).toUpperCase() }],
        ['another tool version', good, { toolVersion: 'exact', runningVersion: '99.0.0' }],
        ['an invalid action', forged((p) => (p.actions[3].kind = 'spaceship'))],
        ['an action without impact and a bad header', forged((p) => {
          delete p.actions[0].impact;
          p.observed.source.calls = -1;
        })],
        ['a bad header only', forged((p) => (p.observed.source.calls = -1))],
        ['a malformed $ref', forged((p) => (p.actions[server].after.flavor = { $ref: 'x', extra: 1 }))],
        ['a later dependency', forged((p) => (p.actions[0].depends_on = [p.actions[5].id]))],
        ['a wrong summary', forged((p) => (p.summary.total += 1))],
        ['a secret in an action', forged((p) => (p.actions[withAfter].after.admin_pass = 'hunter2'))],
        ['a secret in the header', forged((p) => (p.config.source.auth_url = 'http://admin:pw@192.168.0.2:5000/v2.0'))],
        ['duplicate actions members', good.replace('{\n "actions": [', '{\n "actions": [],\n "actions": [')],
        ['not an object', '[]\n'],
      ];
      for (const [name, text, options = {}] of cases) {
        const file = join(dir, 'plan.json');
        await writeFile(file, text);
        const want = await answer(() => readPlan(file, options));
        for (const rendering of ['text', 'json'] as const) {
          const got = await answer(async () => {
            const shown = await readPlanForShow(file, { ...options, rendering, dir });
            shown.close();
            return shown;
          });
          assert.deepEqual(got, want, `${name} (${rendering})`);
        }
      }
      const missing = join(dir, 'nope.json');
      assert.deepEqual(await answer(() => readPlanForShow(missing, { dir })), await answer(() => readPlan(missing)));
      assert.deepEqual(await answer(() => readPlanForShow(dir, { dir })), await answer(() => readPlan(dir)));
      assert.deepEqual(await readdir(dir), ['plan.json']);
    });
  });

  test('a copy that cannot be made (no such directory) still answers the plan, read whole', async () => {
    const shown = await readPlanForShow(EXAMPLES[0]!, { dir: join(tmpdir(), 'ph-no-such-dir', 'deeper') });
    assert.ok(!shown.plan.actions.some((a) => a instanceof ShownAction));
    assert.equal(renderText(shown.plan), renderText((await readPlan(EXAMPLES[0]!)).plan));
    assert.equal(jsonText(shown.jsonChunks()), renderJson((await readPlan(EXAMPLES[0]!)).plan));
    shown.close();
  });
});

describe('PlanCopy', () => {
  test('finds every action and the checksum member however the bytes are cut', async () => {
    await withDir(async (dir) => {
      const random = prng(7);
      for (const file of await planFiles(dir)) {
        const bytes = await readFile(file);
        const plan = (await readPlan(file)).plan;
        // Byte-sized pieces on the small files only (each piece is a write).
        for (const most of bytes.length < 200_000 ? [1, 5, 17, 200, 1 << 16] : [97, 1 << 16]) {
          const copy = PlanCopy.open(dir);
          try {
            for (let at = 0; at < bytes.length; ) {
              const n = 1 + Math.floor(random() * most);
              copy.push(bytes.subarray(at, at + n));
              at += n;
            }
            assert.ok(copy.complete, `${file} in pieces of up to ${most}`);
            assert.equal(copy.actions, plan.actions.length);
            for (let i = 0; i < plan.actions.length; i++) assert.deepEqual(JSON.parse(copy.text(i)), plan.actions[i]);
            assert.equal(jsonText(copy.withoutChecksum()), renderJson(plan));
          } finally {
            copy.close();
          }
        }
      }
    });
  });

  test('a plan without actions has none, and its checksum member is found', async () => {
    await withDir(async (dir) => {
      const empty = { ...smallPlan(), actions: [] } as unknown as Record<string, unknown>;
      const text = canonicalJson({ ...empty, checksum: planChecksum(empty) });
      const copy = PlanCopy.open(dir);
      copy.push(Buffer.from(text));
      assert.ok(copy.complete);
      assert.equal(copy.actions, 0);
      assert.equal(jsonText(copy.withoutChecksum()), canonicalJson(empty));
      assert.throws(() => copy.text(0), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_INTERNAL');
      copy.close();
    });
  });
});

describe('DetailTexts', () => {
  test('gives back each text kept, in any order, staged or written, larger than a write or not', async () => {
    await withDir(async (dir) => {
      const random = prng(11);
      const texts = DetailTexts.open(dir);
      const kept = new Map<number, string>();
      for (let i = 0; i < 3000; i += 1 + Math.floor(random() * 3)) {
        const size = i === 1500 ? (1 << 20) + 7 : Math.floor(random() * 2000);
        const text = `${i}: ${'é'.repeat(size % 3)}${'x'.repeat(size)}\n`;
        texts.add(i, text);
        kept.set(i, text);
      }
      assert.deepEqual(await readdir(dir), []);
      for (let i = 2999; i >= 0; i--) assert.equal(texts.text(i), kept.get(i), String(i));
      assert.equal(texts.text(100_000), undefined);
      texts.close();
    });
  });
});

describe('detailLineCountWithoutRefs', () => {
  test('is detailLineCount wherever it is known, and unknown only where a $ref is on both sides', () => {
    for (const plan of [smallPlan(), largePlan()] as Plan[]) {
      const review = buildReview(plan);
      let known = 0;
      for (const a of plan.actions) {
        const n = detailLineCountWithoutRefs(a);
        if (n < 0) {
          assert.ok(a.before && a.after, `${a.address}: unknown though one-sided`);
          continue;
        }
        known++;
        assert.equal(n, detailLineCount(a, review), a.address);
      }
      assert.ok(known > plan.actions.length / 2);
    }
  });
});
