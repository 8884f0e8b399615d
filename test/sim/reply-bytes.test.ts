import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReplyBytes } from '../../src/sim/cloud/reply-bytes.js';

describe('ReplyBytes', () => {
  it('encodes to the same UTF-8 bytes as Buffer.from, ASCII or not, reusing a buffer only once it is released', () => {
    const pool = new ReplyBytes(16, 1024, 2);
    const ascii = 'x'.repeat(100);
    const a = pool.encode(ascii);
    assert.deepEqual(a.bytes, Buffer.from(ascii));
    // Not released: the next body must not overwrite the first.
    const b = pool.encode('y'.repeat(100));
    assert.equal(a.bytes.toString(), ascii);
    a.release();
    b.release();
    const c = pool.encode('z'.repeat(90));
    assert.equal(c.bytes.buffer, a.bytes.buffer, 'a released buffer is used again');
    assert.deepEqual(c.bytes, Buffer.from('z'.repeat(90)));
    // Multi-byte characters need more bytes than characters: still whole.
    const wide = `${'é'.repeat(60)}${'€'.repeat(30)}${'😀'.repeat(10)}`;
    assert.deepEqual(pool.encode(wide).bytes, Buffer.from(wide));
  });

  it('gives small and huge bodies buffers of their own', () => {
    const pool = new ReplyBytes(16, 64, 2);
    for (const text of ['short', 'h'.repeat(200)]) {
      const e = pool.encode(text);
      assert.deepEqual(e.bytes, Buffer.from(text));
      e.release();
    }
  });
});
