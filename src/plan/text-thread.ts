import { closeSync } from 'node:fs';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { PumphouseError } from '../errors/index.js';
import { ANSWERED, BYTES_DONE, FAILED, PIECE_BYTES, READY, RING_BYTES, SIGNAL_SLOTS, type ThreadReply, type ThreadRequest } from './text-thread-protocol.js';

/** What hashes a plan file's bytes: the text without `checksum` (body) and the file's. */
export interface PlanTextHashes {
  update(bytes: Uint8Array, to: 'both' | 'body' | 'file'): void;
  /** The hex digest; `file` is asked last. Throws when the thread could not write its part of the file. */
  digest(which: 'body' | 'file'): string;
  /**
   * Present when the plan text thread writes spilled actions' text into the plan file itself:
   * writes at file offset `at` the text `literal` (from offset `litAt` of the actions
   * section's main-thread text) with spill stretches inserted per `ops` (flattened: literal
   * position, spill, from, to), and hashes it as `both`. Returns the bytes it writes.
   */
  readonly splice?: (at: number, literal: Uint8Array, litAt: number, ops: readonly number[]) => number;
}

/**
 * The plan text thread: a worker thread that checks and writes a big spill's actions (from
 * their JSON text: schema, secret scan and canonical text, see SpillWriter), hashes plan files
 * and writes a big plan's actions section (see SplicedWrite) while the main thread plans and
 * writes. Why: after discovery a 10,000-tenant plan was ~18 s of work on one thread while the
 * second core idled; that work needs only the actions' values and the text, and can trail
 * behind.
 *
 * The planner and the plan writer are synchronous, so this is too: text is copied into a
 * shared ring as it is made (a message says where), and a question (a spill's problems and
 * places, a digest) blocks until the thread has handled everything posted before it (Atomics.wait on
 * shared signals, the answer read with receiveMessageOnPort). When the ring is full, copying
 * waits: the memory is RING_BYTES whatever the plan's size (a buffer per message measured
 * ~100 MB more at 10,000 tenants: dead buffers wait for the thread's garbage collector).
 * The thread never keeps the process alive. A thread that fails or does not answer
 * within the limits below makes the question throw: the plan is then refused, never written
 * unchecked.
 */
export class PlanTextThread {
  static #shared: PlanTextThread | undefined;

  /** The process's thread, started on first use. */
  static shared(): PlanTextThread {
    return (PlanTextThread.#shared ??= new PlanTextThread());
  }

  readonly #worker: Worker;
  readonly #reply: MessagePort;
  readonly #signals: BigInt64Array;
  readonly #ring = new Uint8Array(new SharedArrayBuffer(RING_BYTES));
  /** Bytes ever copied into the ring (the thread has handled BYTES_DONE of them). */
  #copied = 0;
  #seq = 0;
  #ids = 0;
  #failure: string | undefined;
  #exited = false;
  /** Spill files the thread writes (spill -> descriptor), closed here if the thread ends before it closes them. */
  readonly #fds = new Map<number, number>();

  private constructor() {
    const { port1, port2 } = new MessageChannel();
    this.#signals = new BigInt64Array(new SharedArrayBuffer(8 * SIGNAL_SLOTS));
    this.#worker = new Worker(bootstrap(), {
      eval: true,
      workerData: { reply: port2, signals: this.#signals.buffer, ring: this.#ring.buffer },
      transferList: [port2],
      // It parses one action at a time and keeps little: a small young generation keeps its
      // resident memory down (the planning process must stay under 1 GB at 10,000 tenants).
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
    this.#worker.unref();
    this.#worker.on('error', (err) => {
      this.#failure ??= err.message;
    });
    this.#worker.on('exit', () => {
      this.#failure ??= 'the thread exited';
      this.#exited = true;
      for (const fd of this.#fds.values()) closeQuietly(fd);
      this.#fds.clear();
      if (PlanTextThread.#shared === this) PlanTextThread.#shared = undefined;
    });
    this.#reply = port1;
    this.#reply.unref();
  }

  /** A number naming one spill or one hash job in the messages. */
  newId(): number {
    return ++this.#ids;
  }

  /**
   * Lets the thread drop what it keeps of a spill. The file of a spill it writes is closed
   * here once the thread has written all of it (waited for: a descriptor closed by a worker
   * draws a warning from Node); when the thread is broken, once it has ended.
   */
  forget(spill: number): void {
    const fd = this.#fds.get(spill);
    if (fd === undefined) {
      if (this.#failure === undefined) this.#worker.postMessage({ t: 'sync', seq: ++this.#seq, spill, close: true } satisfies ThreadRequest);
      return;
    }
    if (this.#failure === undefined) {
      try {
        this.#ask({ t: 'sync', seq: ++this.#seq, spill, close: true });
      } catch {
        // Broken: the thread is ending, and its end closes the file.
      }
    }
    if (this.#failure === undefined || this.#exited) {
      this.#fds.delete(spill);
      closeQuietly(fd);
    }
  }

  /**
   * From now on the thread writes spill `spill`'s actions (see `actions`) into the file `fd`
   * from offset `at`; `forget` closes the file.
   */
  writeSpill(spill: number, fd: number, at: number): void {
    this.#healthy();
    this.#fds.set(spill, fd);
    this.#worker.postMessage({ t: 'write-spill', spill, fd, at } satisfies ThreadRequest);
  }

  /** Hands over (copied) text of actions from stream offset `at`, with the ranges of the actions that end in it (see the 'actions' message). */
  actions(spill: number, at: number, bytes: Uint8Array, ranges: readonly number[]): void {
    let from = 0;
    this.#pieces(bytes, (offset, length, last) => {
      this.#worker.postMessage({ t: 'actions', spill, at: at + from, offset, length, ranges: last ? ranges : [] } satisfies ThreadRequest);
      from += length;
    });
  }

  /** Whether more than half the ring waits for the thread (it lags behind what is handed to it). */
  behind(): boolean {
    return this.#copied - Number(Atomics.load(this.#signals, BYTES_DONE)) > RING_BYTES / 2;
  }

  /**
   * Waits until the thread has handled everything handed over for `spill`: its problems since
   * the last sync and, for a spill the thread writes, the places of the actions written since
   * (readable from the file now) and the first write failure.
   */
  sync(spill: number): Extract<ThreadReply, { t: 'synced' }> {
    const r = this.#ask({ t: 'sync', seq: ++this.#seq, spill, close: false });
    if (r.t !== 'synced') throw this.#broken(`unexpected answer '${r.t}'`);
    return r;
  }

  /**
   * Hashes for one plan file, computed on the thread. With the file's descriptor `fd`, the
   * thread can write spliced text into it too (see PlanTextHashes.splice).
   */
  hashes(fd?: number): PlanTextHashes {
    const job = this.newId();
    const hashes: PlanTextHashes = {
      update: (bytes, to) => {
        this.#pieces(bytes, (offset, length) => this.#worker.postMessage({ t: 'hash', job, offset, length, to } satisfies ThreadRequest));
      },
      digest: (which) => {
        const r = this.#ask({ t: 'digest', seq: ++this.#seq, job, which });
        if (r.t !== 'digest') throw this.#broken(`unexpected answer '${r.t}'`);
        if (r.ioError !== undefined) throw new Error(r.ioError);
        return r.hex;
      },
    };
    if (fd === undefined) return hashes;
    const splice = (at: number, literal: Uint8Array, litAt: number, ops: readonly number[]): number => {
      let k = 0;
      let from = 0;
      let fileAt = at;
      this.#pieces(literal, (offset, length, last) => {
        // Ops at the piece's end go with it: they come before the next piece's first byte.
        const end = litAt + from + length;
        const first = k;
        let spliced = 0;
        while (k < ops.length && (last || ops[k]! <= end)) {
          spliced += ops[k + 3]! - ops[k + 2]!;
          k += 4;
        }
        const mine = first === 0 && k === ops.length ? ops : ops.slice(first, k);
        this.#worker.postMessage({ t: 'splice', job, fd, at: fileAt, offset, length, litAt: litAt + from, ops: mine } satisfies ThreadRequest);
        fileAt += length + spliced;
        from += length;
      });
      return fileAt - at;
    };
    return { ...hashes, splice };
  }

  /**
   * Copies `bytes` into the ring in pieces (cut where the ring wraps and at PIECE_BYTES),
   * waiting for room, and hands each piece's place to `post`.
   */
  #pieces(bytes: Uint8Array, post: (offset: number, length: number, last: boolean) => void): void {
    this.#healthy();
    let done = 0;
    do {
      const offset = this.#copied % RING_BYTES;
      const length = Math.min(bytes.length - done, PIECE_BYTES, RING_BYTES - offset);
      this.#waitFor(BYTES_DONE, () => this.#copied + length - Number(Atomics.load(this.#signals, BYTES_DONE)) <= RING_BYTES);
      this.#ring.set(bytes.subarray(done, done + length), offset);
      this.#copied += length;
      done += length;
      post(offset, length, done === bytes.length);
    } while (done < bytes.length);
  }

  /** Posts a question and blocks until its answer. */
  #ask(m: ThreadRequest & { readonly seq: number }): ThreadReply {
    this.#healthy();
    this.#worker.postMessage(m);
    let answer: ThreadReply | undefined;
    this.#waitFor(ANSWERED, () => {
      answer ??= this.#answers(m.seq);
      return answer !== undefined;
    });
    return answer!;
  }

  /** Reads the answers waiting: the one to question `seq`, if there; throws on a failure. */
  #answers(seq: number): ThreadReply | undefined {
    let answer: ThreadReply | undefined;
    for (let r = receiveMessageOnPort(this.#reply); r; r = receiveMessageOnPort(this.#reply)) {
      const reply = r.message as ThreadReply;
      if (reply.t === 'failed') this.#failure ??= reply.message;
      else if (reply.seq === seq) answer = reply;
    }
    if (this.#failure) throw this.#broken(this.#failure);
    return answer;
  }

  /** Throws when the thread failed (what it said, read from its answers). */
  #healthy(): void {
    if (this.#failure === undefined && Atomics.load(this.#signals, FAILED) !== 0n) this.#answers(-1);
    if (this.#failure !== undefined) throw this.#broken(this.#failure);
  }

  /**
   * Blocks until `ready()` holds, sleeping on `slot` between tries. Gives up when the thread
   * has not started within START_LIMIT_MS, or once started makes no progress for
   * STALL_LIMIT_MS (its 'error' and 'exit' events cannot arrive while this thread blocks).
   */
  #waitFor(slot: number, ready: () => boolean): void {
    let since = performance.now();
    let progress = Atomics.load(this.#signals, ANSWERED) + Atomics.load(this.#signals, BYTES_DONE);
    for (;;) {
      const seen = Atomics.load(this.#signals, slot);
      this.#healthy();
      if (ready()) return;
      Atomics.wait(this.#signals, slot, seen, 100);
      const now = performance.now();
      const p = Atomics.load(this.#signals, ANSWERED) + Atomics.load(this.#signals, BYTES_DONE);
      if (p !== progress) {
        progress = p;
        since = now;
      } else if (Atomics.load(this.#signals, READY) === 0n ? now - since > START_LIMIT_MS : now - since > STALL_LIMIT_MS) {
        this.#failure ??= Atomics.load(this.#signals, READY) === 0n ? 'it did not start' : 'it stopped answering';
        throw this.#broken(this.#failure);
      }
    }
  }

  /**
   * PH_INTERNAL: what the thread was to check or hash is unknown, so no plan is written. The
   * thread is let go; the next plan gets a new one (a spill or a hash job keeps asking this one).
   */
  #broken(why: string): PumphouseError {
    if (PlanTextThread.#shared === this) {
      PlanTextThread.#shared = undefined;
      void this.#worker.terminate();
    }
    return new PumphouseError('PH_INTERNAL', `the plan text thread (checks and hashes of the plan's text) failed: ${why}`, { source: 'internal' });
  }
}

/**
 * From this many actions on, a spill checks on the thread and the plan writer hashes there
 * (below, starting the thread costs more than it saves: the e2e plans never start it).
 */
export const TEXT_THREAD_FROM = 20_000;

const START_LIMIT_MS = 30_000;

/** Closes a file descriptor that may already be closed. */
export function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
}
const STALL_LIMIT_MS = 120_000;

/**
 * The thread's code: text-worker.js next to this module. Run from the TypeScript sources
 * (tsx: tests, benches), the thread registers tsx itself first (a worker does not inherit the
 * loader hooks of `--import tsx`).
 */
function bootstrap(): string {
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSources ? './text-worker.ts' : './text-worker.js', import.meta.url).href;
  const load = fromSources
    ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`
    : `import(${JSON.stringify(entry)})`;
  // A thread that cannot load says so at once (instead of being waited for until START_LIMIT_MS).
  return `${load}.catch((err) => {
  const { workerData } = require('node:worker_threads');
  const signals = new BigInt64Array(workerData.signals);
  Atomics.store(signals, ${FAILED}, 1n);
  workerData.reply.postMessage({ t: 'failed', seq: 0, message: 'cannot load ' + ${JSON.stringify(entry)} + ': ' + (err && err.message) });
  Atomics.add(signals, ${ANSWERED}, 1n);
  Atomics.notify(signals, ${ANSWERED});
  Atomics.notify(signals, ${BYTES_DONE});
});`;
}
