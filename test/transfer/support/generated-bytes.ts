/**
 * Deterministic test data of any size, made block by block and never held whole: block i
 * is a fixed pseudo-random 64 KiB template with i written into its first 8 bytes, so a
 * lost, repeated or reordered block changes every digest.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

export const BLOCK = 64 * 1024;

const TEMPLATE = (() => {
  const b = Buffer.alloc(BLOCK);
  let x = 0x9e3779b9;
  for (let i = 0; i < BLOCK; i += 4) {
    // xorshift32: cheap, deterministic, no repeating short period within a block.
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b.writeUInt32LE(x >>> 0, i);
  }
  return b;
})();

/** Block `index`, cut to `length` bytes. A fresh buffer each time (streams may keep it). */
export function block(index: number, length = BLOCK): Buffer {
  const b = Buffer.allocUnsafe(length);
  TEMPLATE.copy(b, 0, 0, length);
  if (length >= 8) b.writeBigUInt64LE(BigInt(index), 0);
  return b;
}

/** Calls `each` with every block of `size` bytes, in order. */
export function forEachBlock(size: number, each: (chunk: Buffer, index: number) => void): void {
  for (let i = 0, done = 0; done < size; i++, done += BLOCK) each(block(i, Math.min(BLOCK, size - done)), i);
}

/** The data as a Readable (for in-process sources). */
export function generatedStream(size: number): Readable {
  let i = 0;
  let done = 0;
  return new Readable({
    read() {
      if (done >= size) return void this.push(null);
      const n = Math.min(BLOCK, size - done);
      done += n;
      this.push(block(i++, n));
    },
  });
}

const cache = new Map<number, { md5: string; sha512: string }>();

/** md5 and sha512 of the generated data of `size` bytes (computed block by block, cached). */
export function digestsOf(size: number): { md5: string; sha512: string } {
  const known = cache.get(size);
  if (known) return known;
  const md5 = createHash('md5');
  const sha512 = createHash('sha512');
  forEachBlock(size, (b) => {
    md5.update(b);
    sha512.update(b);
  });
  const d = { md5: md5.digest('hex'), sha512: sha512.digest('hex') };
  cache.set(size, d);
  return d;
}
