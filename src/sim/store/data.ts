import { createCipheriv, createHash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import type { DataRef } from './types/image.js';

const CHUNK = 64 * 1024;
const ZEROS = Buffer.alloc(CHUNK);

/**
 * Deterministic bytes f(seed, key, size): AES-128-CTR over zeros with a key derived from the
 * seed and the object's key (usually its id). Fast (GB/s), repeatable, and streamed in 64 KiB
 * chunks so a 10 GB image never sits in memory.
 */
export function generatedStream(seed: number | string, key: string, size: number, start = 0, end = size): Readable {
  const aesKey = createHash('sha256').update(`${seed}\u0000${key}`).digest().subarray(0, 16);
  // Counter blocks are 16 bytes: start the counter at the block holding `start`.
  const block = Math.floor(start / 16);
  const iv = Buffer.alloc(16);
  iv.writeUInt32BE(Math.floor(block / 2 ** 32), 8);
  iv.writeUInt32BE(block % 2 ** 32, 12);
  const cipher = createCipheriv('aes-128-ctr', aesKey, iv);
  let skip = start - block * 16;
  let left = Math.max(0, end - start);
  return new Readable({
    read() {
      if (left <= 0) {
        this.push(null);
        return;
      }
      const n = Math.min(CHUNK, left + skip);
      let out = cipher.update(n === CHUNK ? ZEROS : ZEROS.subarray(0, n));
      if (skip > 0) {
        out = out.subarray(skip);
        skip = 0;
      }
      if (out.length > left) out = out.subarray(0, left);
      left -= out.length;
      this.push(out);
    },
  });
}

/** MD5 and sha512 hex of a stream, read once. */
export async function checksums(stream: Readable): Promise<{ readonly md5: string; readonly sha512: string; readonly size: number }> {
  const md5 = createHash('md5');
  const sha = createHash('sha512');
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    md5.update(chunk);
    sha.update(chunk);
    size += chunk.length;
  }
  return { md5: md5.digest('hex'), sha512: sha.digest('hex'), size };
}

/**
 * Uploaded bytes (image uploads, volume copies). Kept in memory: uploads to a simulator are
 * small by design; a blob is released when its owner is deleted (`release`).
 */
export class BlobStore {
  private readonly blobs = new Map<string, Buffer[]>();
  private next = 1;
  private bytes = 0;

  get totalBytes(): number {
    return this.bytes;
  }

  /** Reads `source` to its end; resolves with the ref and checksums. */
  async put(source: AsyncIterable<Buffer | string>): Promise<{ readonly ref: DataRef; readonly md5: string; readonly sha512: string; readonly size: number }> {
    const chunks: Buffer[] = [];
    const md5 = createHash('md5');
    const sha = createHash('sha512');
    let size = 0;
    for await (const c of source) {
      const b = typeof c === 'string' ? Buffer.from(c) : c;
      chunks.push(b);
      md5.update(b);
      sha.update(b);
      size += b.length;
    }
    const blobId = `blob-${this.next++}`;
    this.blobs.set(blobId, chunks);
    this.bytes += size;
    return { ref: { kind: 'blob', blobId, size }, md5: md5.digest('hex'), sha512: sha.digest('hex'), size };
  }

  read(blobId: string): Readable {
    const chunks = this.blobs.get(blobId);
    if (!chunks) throw new Error(`no blob ${blobId}`);
    return Readable.from(chunks);
  }

  release(ref: DataRef): void {
    if (ref.kind !== 'blob') return;
    const chunks = this.blobs.get(ref.blobId);
    if (!chunks) return;
    this.bytes -= chunks.reduce((n, c) => n + c.length, 0);
    this.blobs.delete(ref.blobId);
  }
}

/**
 * Limits a stream to `bytesPerSecond` (0 = unlimited), chunk by chunk, with timers (no busy
 * loop). Used for image and volume transfers (`imageRateBps`, `volumeRateBps` knobs).
 */
export function throttle(bytesPerSecond: number): Transform {
  const startedAt = Date.now();
  let sent = 0;
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      if (bytesPerSecond <= 0) {
        done(null, chunk);
        return;
      }
      sent += chunk.length;
      const due = startedAt + (sent / bytesPerSecond) * 1000;
      const wait = due - Date.now();
      if (wait <= 0) done(null, chunk);
      else setTimeout(() => done(null, chunk), wait);
    },
  });
}
