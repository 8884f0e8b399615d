import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PumphouseError } from '../../src/errors/index.js';
import { ActionSpill, SpilledAction, canonicalJson, readPlan, serializePlan, writePlan, type Action } from '../../src/plan/index.js';
import { SpillOffsets } from '../../src/plan/spill-offsets.js';
import { SpillWriter } from '../../src/plan/spill-writer.js';
import { SplicedWrite } from '../../src/plan/spliced-write.js';
import { plan } from '../../src/planner/index.js';
import { synthetic } from '../../bench/support/synthetic-source.js';
import { desired, planOptions, tenant } from '../planner/fixtures/manifest.js';
import { PlanTextThread } from '../../src/plan/text-thread.js';
import { prng } from '../support/prng.js';

const STRINGS = ['', 'a', 'web-1', 'é', '"quoted"', 'back\\slash', 'line\nbreak', '\u0001', '\ud800', 'x\udfff', '😀', '$ref', 'B', 'aa', '10', '9', '__proto__x'];

/** Random values with what JSON drops, nulls or rewrites: undefined, functions, NaN, -0, toJSON, Dates, lone surrogates. */
function randomValue(rnd: () => number, depth: number): unknown {
  const r = rnd();
  if (depth <= 0 || r < 0.35) {
    const leaf = [null, true, false, 0, -0, 1.5, -7, 1e21, 5e-324, 2 ** 53, NaN, -Infinity, undefined, () => 1, STRINGS[Math.floor(rnd() * STRINGS.length)]];
    return leaf[Math.floor(rnd() * leaf.length)];
  }
  if (r < 0.55) return Array.from({ length: Math.floor(rnd() * 5) }, () => randomValue(rnd, depth - 1));
  if (r < 0.6) return new Date(Date.UTC(2026, 10, 26, 12, 0, Math.floor(rnd() * 60)));
  if (r < 0.65) {
    const inner = randomValue(rnd, depth - 1);
    return { toJSON: () => inner, ignored: 1 };
  }
  const out: Record<string, unknown> = {};
  const n = Math.floor(rnd() * 6);
  for (let i = 0; i < n; i++) out[STRINGS[Math.floor(rnd() * STRINGS.length)]! + String(Math.floor(rnd() * 3))] = randomValue(rnd, depth - 1);
  return out;
}

/** A plausible action with random attributes, its members in a random order. */
function randomAction(rnd: () => number, i: number): Action {
  const members: [string, unknown][] = [
    ['id', `id-${i}`],
    ['address', `tenant[t-${i % 7}].server["odd/${STRINGS[i % STRINGS.length]}"]`],
    ['kind', 'server'],
    ['action', 'create'],
    ['reason', { code: 'missing_in_destination', text: `reason ${i}` }],
    ['depends_on', i % 3 === 0 ? [] : [`id-${i - 1}`]],
    ['preconditions', []],
    ['impact', { downtime: rnd() < 0.5, destructive: false, irreversible: false, bytes: Math.floor(rnd() * 1e12) }],
    ['steps', ['create']],
    ['tenant', i % 5 === 0 ? undefined : `t-${i % 7}`],
    ['before', rnd() < 0.3 ? null : undefined],
    ['after', { name: `vm-${i}`, extra: randomValue(rnd, 4), more: randomValue(rnd, 3) }],
    ['source', { cloud: 'source', id: `sv-${i}`, name: STRINGS[i % STRINGS.length] }],
  ];
  for (let k = members.length - 1; k > 0; k--) {
    const j = Math.floor(rnd() * (k + 1));
    [members[k], members[j]] = [members[j]!, members[k]!];
  }
  return Object.fromEntries(members) as unknown as Action;
}

function withDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'ph-spill-writer-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the plan text thread writing a spill from JSON text', () => {
  for (const threadText of ['json', 'canonical'] as const) test(`writes byte for byte the text this thread writes, holes at the same places (toJSON, undefined, -0, NaN, lone surrogates, key order), handed ${threadText} text`, () => {
    withDir((dir) => {
      const here = ActionSpill.open(dir, { checkHere: Infinity });
      const there = ActionSpill.open(dir, { checkHere: 0, threadText });
      try {
        const rnd = prng(11);
        const made = Array.from({ length: 2500 }, (_, i) => randomAction(rnd, i));
        const a = made.map((x) => here.put(x));
        const b = made.map((x) => there.put(x));
        for (let i = 0; i < made.length; i++) {
          const expected = Buffer.from(here.text(a[i]!));
          assert.deepEqual(there.text(b[i]!), expected, `action ${i}`);
          assert.equal(b[i]!.dependsAt, a[i]!.dependsAt);
          assert.equal(b[i]!.reasonAt, a[i]!.reasonAt);
          assert.equal(b[i]!.spillStart, a[i]!.spillStart);
          // The action read back is the action as JSON has it, and its canonical text is the original's.
          assert.equal(canonicalJson(b[i]), canonicalJson(made[i]));
        }
        assert.equal(there.bytes, here.bytes);
      } finally {
        here.close();
        there.close();
      }
    });
  });

  for (const threadText of ['json', 'canonical', 'adaptive'] as const) test(`a spill begun on this thread and continued on the plan text thread reads back in any order (${threadText})`, () => {
    withDir((dir) => {
      const spill = ActionSpill.open(dir, { checkHere: 700, threadText });
      try {
        const rnd = prng(5);
        const made = Array.from({ length: 4000 }, (_, i) => randomAction(rnd, i));
        const spilled = made.map((x) => spill.put(x));
        assert.ok(spilled.every((x) => x instanceof SpilledAction));
        const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;
        for (const i of made.map((_, k) => (k * 7919) % made.length)) assert.deepEqual(json(spilled[i]), json(made[i]), `action ${i}`);
        // More actions after the thread was synced with, read back at once.
        const late = spill.put(randomAction(rnd, 4000));
        assert.equal(late.ordinal, 4000);
        assert.equal(typeof late.after, 'object');
        assert.ok(spill.bytes > 2 ** 20);
        assert.deepEqual(readdirSync(dir), []);
      } finally {
        spill.close();
      }
    });
  });

  test('what is wrong in an action is found the same from its JSON text, its canonical text, or here', () => {
    withDir((dir) => {
      const spills = [ActionSpill.open(dir, { checkHere: Infinity }), ActionSpill.open(dir, { checkHere: 0, threadText: 'json' }), ActionSpill.open(dir, { checkHere: 0, threadText: 'canonical' })];
      try {
        const rnd = prng(21);
        const made = Array.from({ length: 50 }, (_, i) => randomAction(rnd, i));
        made[7] = { ...made[7]!, after: { note: '$6$rounds=5000$salt$hash', token: 'x' } } as unknown as Action;
        made[9] = { ...made[9]!, extra: 1 } as unknown as Action;
        const found = spills.map((spill) => {
          for (const a of made) spill.put(a);
          return spill.problems.filter((p) => /\/after\/(note|token)|unknown field 'extra'/.test(p.message));
        });
        assert.ok(found[0]!.length >= 3, JSON.stringify(found[0]));
        assert.deepEqual(found[1], found[0]);
        assert.deepEqual(found[2], found[0]);
      } finally {
        for (const spill of spills) spill.close();
      }
    });
  });

  test('a failure on the thread is PH_INTERNAL when the spill is next asked, and the next spill gets a new thread', () => {
    withDir((dir) => {
      const spill = ActionSpill.open(dir, { checkHere: 0 });
      try {
        const first = PlanTextThread.shared();
        // The writer cannot place a hole first among the members: the thread throws.
        spill.put({ zz: 1 } as unknown as Action);
        assert.throws(
          () => spill.problems,
          (err: unknown) => PumphouseError.is(err) && err.code === 'PH_INTERNAL' && /plan text thread .* failed: .*first member/.test(err.message),
        );
        assert.notEqual(PlanTextThread.shared(), first);
      } finally {
        spill.close();
      }
      const next = ActionSpill.open(dir, { checkHere: 0 });
      try {
        const rnd = prng(3);
        const a = next.put(randomAction(rnd, 1));
        assert.deepEqual(next.problems, []);
        assert.equal(a.kind, 'server');
        assert.equal(typeof a.after, 'object');
      } finally {
        next.close();
      }
    });
  });
});

const IDENTITY = { plan_id: '00000000-0000-4000-8000-000000000001', created_at: '2026-11-27T00:00:00.000Z' };

describe('the plan text thread writing the actions of the plan file', () => {
  test('the file is byte for byte the one written from the heap (spilled text spliced in by the thread, holes from here), twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-spliced-'));
    try {
      // ~6,000 actions: more than one 1 MB chunk of this thread's text (separators and holes).
      const tenants = 100;
      const input = () => {
        const { source, destination } = synthetic(tenants);
        const want = desired({ tenants: Array.from({ length: tenants }, (_, t) => tenant(`tenant-${t}`, { sourceAfter: 'delete' })) });
        return { desired: want, source, destination, prior: null, options: planOptions() };
      };
      const expected = serializePlan(plan(input()), { fixedIdentity: IDENTITY });
      // The first 700 actions are written here, the rest by the thread.
      const spill = ActionSpill.open(dir, { checkHere: 700 });
      try {
        const spilled = plan({ ...input(), spill });
        assert.ok(spilled.actions.length > 5000);
        for (const name of ['a.json', 'b.json']) {
          const file = join(dir, name);
          const sha = await writePlan(spilled, file, { fixedIdentity: IDENTITY, hashOnThreadFrom: 0 });
          assert.equal(sha, expected.sha256);
          assert.equal(readFileSync(file, 'utf8'), expected.text);
        }
        const loaded = await readPlan(join(dir, 'a.json'), { expectSha256: expected.sha256 });
        assert.equal(loaded.plan.actions.length, spilled.actions.length);
      } finally {
        spill.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a plan held in the heap (no spill) is written by the thread the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-spliced-'));
    try {
      const tenants = 20;
      const { source, destination } = synthetic(tenants);
      const want = desired({ tenants: Array.from({ length: tenants }, (_, t) => tenant(`tenant-${t}`, { sourceAfter: 'delete' })) });
      const held = plan({ desired: want, source, destination, prior: null, options: planOptions() });
      const expected = serializePlan(held, { fixedIdentity: IDENTITY });
      const file = join(dir, 'plan.json');
      assert.equal(await writePlan(held, file, { fixedIdentity: IDENTITY, hashOnThreadFrom: 0 }), expected.sha256);
      assert.equal(readFileSync(file, 'utf8'), expected.text);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a full disk under the plan file is told as a write failure, once the writes are done', async () => {
    if (!existsSync('/dev/full')) return;
    const fd = openSync('/dev/full', 'w');
    try {
      let hashed = 0;
      const out = new SplicedWrite(fd, (bytes) => (hashed += bytes.length));
      const literal = Buffer.alloc(3 << 20, 0x61);
      out.piece(0, literal, 0, [], () => assert.fail('no spill is read'));
      out.flush();
      await new Promise<void>((done) => out.whenWritten(done));
      assert.match(out.ioError ?? '', /ENOSPC/);
      assert.equal(hashed, literal.length);
    } finally {
      closeSync(fd);
    }
  });

  test('splices spill stretches before the literal bytes they name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-spliced-'));
    const spillFile = join(dir, 'spill');
    const spillFd = openSync(spillFile, 'w+');
    const outFd = openSync(join(dir, 'out'), 'w+');
    try {
      const text = Buffer.from('0123456789abcdefghij');
      for (let i = 0; i < 3; i++) writeAt(spillFd, text, i * text.length);
      const parts: Buffer[] = [];
      const out = new SplicedWrite(outFd, (bytes) => parts.push(Buffer.from(bytes)));
      // Literal "<>|" from stream offset 100: spill [2, 5) before '<', [50, 60) before '|', [0, 1) at the end.
      out.piece(7, Buffer.from('<>|'), 100, [100, 1, 2, 5, 102, 1, 50, 60, 103, 1, 0, 1], () => spillFd);
      out.flush();
      await new Promise<void>((done) => out.whenWritten(done));
      assert.equal(Buffer.concat(parts).toString(), '234<>abcdefghij|0');
      assert.equal(readFileSync(join(dir, 'out')).subarray(7).toString(), '234<>abcdefghij|0');
    } finally {
      closeSync(spillFd);
      closeSync(outFd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function writeAt(fd: number, bytes: Buffer, at: number): void {
  writeSync(fd, bytes, 0, bytes.length, at);
}

describe('SpillWriter (on the thread)', () => {
  test('a full disk is told as the first write failure, and nothing more is written', () => {
    if (!existsSync('/dev/full')) return;
    const fd = openSync('/dev/full', 'w');
    const writer = new SpillWriter(fd, 0);
    const rnd = prng(9);
    // Past one 1 MB chunk: the first write happens while adding.
    for (let i = 0; i < 3000; i++) writer.add(JSON.stringify(randomAction(rnd, i)));
    const told = writer.sync();
    assert.match(told.ioError ?? '', /ENOSPC/);
    assert.equal(told.places.blocks.reduce((n, b) => n + b.starts.length, 0), 3000);
    assert.ok(told.written > 2 ** 20);
    closeSync(fd);
  });
});

describe('SpillOffsets', () => {
  test('places by ordinal across blocks, handed over in pieces', () => {
    const there = new SpillOffsets();
    const here = new SpillOffsets();
    for (let i = 0; i < 150_000; i++) {
      there.push(i * 1000 + 2 ** 33, 900 + (i % 50), 10 + (i % 7), 400 + (i % 9));
      // A partial block is handed over again, with more, by the next take; whole blocks once.
      if (i === 100 || i === 70_000 || i === 70_001 || i === 140_000) here.append(there.take());
    }
    here.append(there.take());
    assert.equal(there.take().blocks.length, 0, 'nothing new: nothing handed over');
    assert.equal(here.count, 150_000);
    for (const i of [0, 65_535, 65_536, 70_001, 131_072, 149_999]) {
      assert.equal(here.start(i), i * 1000 + 2 ** 33);
      assert.equal(here.length(i), 900 + (i % 50));
      assert.equal(here.dependsAt(i), 10 + (i % 7));
      assert.equal(here.reasonAt(i), 400 + (i % 9));
    }
  });

  test('whole blocks are taken over as they are', () => {
    const there = new SpillOffsets();
    const here = new SpillOffsets();
    for (let i = 0; i < 200_000; i++) {
      there.push(i, i % 1000, i % 7, i % 9);
      if (i === 65_535 || i === 131_071 || i === 140_000) {
        const places = there.take();
        if (i === 65_535) assert.deepEqual(places.blocks.map((b) => b.starts.length), [65_536]);
        here.append(places);
      }
    }
    here.append(there.take());
    assert.equal(here.count, 200_000);
    for (let i = 0; i < 200_000; i += 997) assert.deepEqual([here.start(i), here.length(i), here.dependsAt(i), here.reasonAt(i)], [i, i % 1000, i % 7, i % 9]);
  });
});
