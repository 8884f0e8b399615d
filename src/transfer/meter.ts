import { Transform, type TransformCallback } from 'node:stream';
import type { Digester } from './digest/digester.js';
import type { ProgressMeter } from './progress.js';

/**
 * The stream between source and sink: passes each chunk on unchanged (no copy), counts it,
 * and, when there is a digester, only after the digester has taken it. When the hashers
 * fall behind, the chunk is held back, the pipe stops reading the source, and memory stays
 * bounded by the stream buffers plus the digester's ring.
 */
export class HashingMeter extends Transform {
  /** Set when the digester failed (a hashing thread died): the stream errors with it too. */
  hashFailure: unknown;

  constructor(
    private readonly digester: Digester | null,
    private readonly progress: ProgressMeter,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.digester === null) {
      this.progress.add(chunk.length);
      return done(null, chunk);
    }
    let pending: void | Promise<void>;
    try {
      pending = this.digester.update(chunk);
    } catch (err) {
      return this.fail(err, done);
    }
    this.progress.add(chunk.length);
    if (pending) pending.then(() => done(null, chunk), (err: unknown) => this.fail(err, done));
    else done(null, chunk);
  }

  private fail(err: unknown, done: TransformCallback): void {
    this.hashFailure ??= err;
    done(err instanceof Error ? err : new Error(String(err)));
  }
}
