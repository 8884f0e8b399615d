import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PumphouseError } from '../../src/errors/index.js';
import { hashesHere } from '../../src/plan/plan-text.js';
import { spilledTextProblems } from '../../src/plan/spilled-check.js';
import { PlanTextThread } from '../../src/plan/text-thread.js';
import { PIECE_BYTES, RING_BYTES } from '../../src/plan/text-thread-protocol.js';

describe('PlanTextThread', () => {
  test('hashes the same bytes to the same digests as this thread, body and file apart', () => {
    const here = hashesHere();
    const there = PlanTextThread.shared().hashes();
    // Past the ring's size (so it wraps and the copying waits for room), and one piece bigger than a message carries.
    const mib = randomBytes(1 << 20);
    const pieces: [Uint8Array, 'both' | 'body' | 'file'][] = [
      ...Array.from({ length: 2 * (RING_BYTES >> 20) }, (_, i): [Uint8Array, 'both'] => [mib.subarray(i), 'both']),
      [randomBytes(PIECE_BYTES + 12345), 'both'],
      [randomBytes(17), 'both'],
      [randomBytes(1000), 'body'],
      [Buffer.alloc(0), 'both'],
    ];
    for (const [bytes, to] of pieces) {
      here.update(bytes, to);
      there.update(bytes, to);
    }
    const body = there.digest('body');
    assert.equal(body, here.digest('body'));
    const last = randomBytes(5000);
    here.update(last, 'file');
    there.update(last, 'file');
    assert.equal(there.digest('file'), here.digest('file'));
  });

  test('checks and writes handed-over actions as they arrive, across chunk boundaries, and answers their problems once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-text-thread-'));
    const fd = openSync(join(dir, 'spill'), 'w+');
    try {
      const thread = PlanTextThread.shared();
      const spill = thread.newId();
      thread.writeSpill(spill, fd, 0);
      const reason = { code: 'missing_in_destination', text: 'new' };
      const good = JSON.stringify({ id: 'a1', address: 'project[p]', kind: 'project', action: 'create', reason, depends_on: [], preconditions: [], impact: { downtime: false, destructive: false, irreversible: false }, steps: ['create'] });
      const bad = JSON.stringify({ id: 'a2', address: 'user[u]', kind: 'user', action: 'create', reason, depends_on: [], preconditions: [], impact: { downtime: false, destructive: false, irreversible: false }, steps: ['create'], after: { note: '$6$rounds=5000$salt$hash' } });
      const text = Buffer.from(good + bad);
      const split = good.length + 10;
      // The second action's text arrives in two pieces; its range is handed over with the piece it ends in.
      thread.actions(spill, 0, text.subarray(0, split), [0, good.length, -1, -1]);
      thread.actions(spill, split, text.subarray(split), [good.length, text.length, -1, -1]);
      const synced = thread.sync(spill);
      assert.deepEqual(synced.problems, spilledTextProblems(bad));
      assert.equal(synced.problems.length, 1);
      assert.match(synced.problems[0]!.message, /^\/actions\/user\[u\]\/after\/note looks like a password hash/);
      assert.ok(!JSON.stringify(synced.problems).includes('$6$'));
      // Both written, one after the other, and readable now.
      const starts = synced.places!.blocks[0]!.starts;
      assert.deepEqual([...starts], [0, starts[1]]);
      assert.equal(synced.written, readFileSync(join(dir, 'spill')).length);
      assert.deepEqual(thread.sync(spill).problems, [], 'each problem is answered once');
      thread.forget(spill);
      assert.throws(() => closeSync(fd), /EBADF/, 'forget closes the spill file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a failure on the thread is PH_INTERNAL at the next question, and a new thread takes over', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-text-thread-'));
    const fd = openSync(join(dir, 'spill'), 'w+');
    const thread = PlanTextThread.shared();
    const spill = thread.newId();
    thread.writeSpill(spill, fd, 0);
    thread.actions(spill, 0, Buffer.from('{"not json'), [0, 10, -1, -1]);
    assert.throws(
      () => thread.sync(spill),
      (err: unknown) => PumphouseError.is(err) && err.code === 'PH_INTERNAL' && /plan text thread .* failed: .*JSON/.test(err.message),
    );
    thread.forget(spill);
    rmSync(dir, { recursive: true, force: true });
    assert.throws(() => thread.hashes().digest('body'), /plan text thread/);
    const next = PlanTextThread.shared();
    assert.notEqual(next, thread);
    const here = hashesHere();
    const there = next.hashes();
    here.update(Buffer.from('{}'), 'both');
    there.update(Buffer.from('{}'), 'both');
    assert.equal(there.digest('body'), here.digest('body'));
  });
});

describe('spilledTextProblems', () => {
  test('stands in for the two holes, and names the action by address', () => {
    const body = { id: 'a1', address: 'tenant[a/b].network[n]', kind: 'network', action: 'create', preconditions: [], impact: { downtime: false, destructive: false, irreversible: false }, steps: ['create'] };
    assert.deepEqual(spilledTextProblems(JSON.stringify(body)), []);
    const problems = spilledTextProblems(JSON.stringify({ ...body, extra: 1 }));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.message, /^\/actions\/tenant\[a~1b\]\.network\[n\] has an unknown field 'extra'/);
  });
});
