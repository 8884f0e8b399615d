import { Worker } from 'node:worker_threads';
import type { DigestAlgorithm } from '../types.js';
import type { Digester, Digests } from './digester.js';
import { HASH_WORKER_SOURCE } from './hash-worker.js';

type WaitAsync = (
  array: BigInt64Array,
  index: number,
  value: bigint,
  timeoutMs: number,
) => { readonly async: false; readonly value: string } | { readonly async: true; readonly value: Promise<string> };

/** ES2024, in V8 since Node 16; typed here because the project's lib is ES2023. */
const waitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;

const WRITTEN = 0;
const CLOSED = 1;
const FIRST_READER = 2;

/** Ring size: the most bytes copied ahead of the slower hasher. */
export const RING_BYTES = 4 * 1024 * 1024;

/**
 * Each digest on its own worker thread, fed through one shared ring buffer: one memcpy per
 * chunk on this thread, no message per chunk, and the copy runs as fast as the slowest
 * hash instead of as slow as I/O plus every hash on one core. When the ring is full
 * `update` answers a promise, so the caller stops reading the source.
 */
export class ThreadedDigester implements Digester {
  private readonly ring = new Uint8Array(new SharedArrayBuffer(RING_BYTES));
  private readonly control: BigInt64Array;
  private readonly workers: Worker[];
  private readonly digests: Promise<string[]>;
  private written = 0n;
  private failure: Error | undefined;

  static available(): boolean {
    return waitAsync !== undefined;
  }

  constructor(readonly algorithms: readonly DigestAlgorithm[]) {
    this.control = new BigInt64Array(new SharedArrayBuffer(8 * (FIRST_READER + algorithms.length)));
    this.workers = algorithms.map(
      (algorithm, i) =>
        new Worker(HASH_WORKER_SOURCE, {
          eval: true,
          workerData: { ring: this.ring.buffer, control: this.control.buffer, algorithm, slot: FIRST_READER + i },
          // The thread allocates next to nothing (views on the ring, one Hash): small heaps
          // keep each thread's resident memory near 6 MiB instead of 9.
          resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16, stackSizeMb: 1 },
        }),
    );
    this.digests = Promise.all(this.workers.map((w) => this.answerOf(w)));
    // Until digest() is called nobody awaits this; a failure is reported through update().
    this.digests.catch(() => {});
  }

  update(chunk: Uint8Array): void | Promise<void> {
    this.assertHealthy();
    let offset = this.copy(chunk, 0);
    if (offset === chunk.length) return;
    return (async () => {
      while (offset < chunk.length) {
        await this.room();
        offset = this.copy(chunk, offset);
      }
    })();
  }

  async digest(): Promise<Digests> {
    this.assertHealthy();
    Atomics.store(this.control, CLOSED, 1n);
    Atomics.notify(this.control, WRITTEN);
    try {
      const values = await this.digests;
      return Object.fromEntries(this.algorithms.map((a, i) => [a, values[i]!])) as Digests;
    } finally {
      this.destroy();
    }
  }

  destroy(): void {
    this.failure ??= new Error('digester destroyed');
    for (const w of this.workers) void w.terminate();
  }

  /** Copies as much of chunk[from..] as the ring has room for; answers the new offset. */
  private copy(chunk: Uint8Array, from: number): number {
    const size = this.ring.length;
    let offset = from;
    while (offset < chunk.length) {
      const free = size - Number(this.written - this.slowestRead().position);
      if (free === 0) break;
      const at = Number(this.written % BigInt(size));
      const n = Math.min(free, chunk.length - offset, size - at);
      this.ring.set(chunk.subarray(offset, offset + n), at);
      offset += n;
      this.written += BigInt(n);
      Atomics.store(this.control, WRITTEN, this.written);
      Atomics.notify(this.control, WRITTEN);
    }
    return offset;
  }

  /** Waits until the slower hasher moves on (or fails). */
  private async room(): Promise<void> {
    for (;;) {
      this.assertHealthy();
      const { slot, position } = this.slowestRead();
      if (this.written - position < BigInt(this.ring.length)) return;
      const r = waitAsync!(this.control, slot, position, 200);
      if (r.async) await r.value;
    }
  }

  private slowestRead(): { slot: number; position: bigint } {
    let slot = FIRST_READER;
    let position = Atomics.load(this.control, FIRST_READER);
    for (let i = FIRST_READER + 1; i < FIRST_READER + this.algorithms.length; i++) {
      const p = Atomics.load(this.control, i);
      if (p < position) {
        position = p;
        slot = i;
      }
    }
    return { slot, position };
  }

  private answerOf(worker: Worker): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const fail = (err: Error): void => {
        this.failure ??= err;
        reject(err);
      };
      worker.once('message', (m: { digest: string }) => resolve(m.digest));
      worker.once('error', fail);
      worker.once('exit', (code) => fail(new Error(`hashing thread exited (code ${code}) before answering`)));
    });
  }

  private assertHealthy(): void {
    if (this.failure) throw this.failure;
  }
}
