// The plan text thread (see PlanTextThread in text-thread.ts, which starts it): checks and
// writes the actions a spill hands over (SpillWriter), and hashes the plan file's bytes and
// writes its actions section (SplicedWrite) while the main thread goes on.
// Messages are handled in the order they were posted; answers to `sync` go to the `reply`
// port (read there with receiveMessageOnPort) and are announced through `signals`, so the
// main thread can wait for them without returning to its event loop.
import { createHash, type Hash } from 'node:crypto';
import { workerData, parentPort, type MessagePort } from 'node:worker_threads';
import type { Problem } from '../errors/index.js';
import { SpillOffsets } from './spill-offsets.js';
import { SpillWriter } from './spill-writer.js';
import { SplicedWrite } from './spliced-write.js';
import { ANSWERED, BYTES_DONE, FAILED, READY, type ThreadReply, type ThreadRequest } from './text-thread-protocol.js';

const { reply, signals: shared, ring: ringBuffer } = workerData as { reply: MessagePort; signals: SharedArrayBuffer; ring: SharedArrayBuffer };
const signals = new BigInt64Array(shared);
const ring = Buffer.from(ringBuffer);

/**
 * One spill's JSON text as it arrives: the text of an action begun and not yet ended (copied
 * out of the ring, which the main thread reuses once a message is handled) and the actions'
 * ranges in that stream.
 */
interface SpillText {
  chunks: { at: number; bytes: Buffer }[];
  /** start, end, dependsAt, reasonAt of actions to write (see the 'actions' message), in stream order, flattened. */
  readonly ranges: number[];
  next: number;
  /** Where the last action written ended: text before it is no longer needed. */
  checked: number;
  readonly problems: Problem[];
  readonly writer: SpillWriter;
}

const spills = new Map<number, SpillText>();
/**
 * A plan file's two hashes: they share every byte up to the `checksum` member (nearly the
 * whole file), hashed once; where they part the state is copied.
 */
class TwoHashes {
  readonly #common = createHash('sha256');
  #body: Hash | undefined;

  update(bytes: Uint8Array, to: 'both' | 'body' | 'file'): void {
    if (to === 'both' && this.#body === undefined) return void this.#common.update(bytes);
    this.#body ??= this.#common.copy();
    if (to !== 'file') this.#body.update(bytes);
    if (to !== 'body') this.#common.update(bytes);
  }

  digest(which: 'body' | 'file'): string {
    this.#body ??= this.#common.copy();
    return (which === 'body' ? this.#body : this.#common).digest('hex');
  }
}

const hashes = new Map<number, TwoHashes>();
/** The actions sections the thread writes, by hash job (their bytes go to the job's hashes). */
const spliced = new Map<number, SplicedWrite>();

function hashJob(job: number): TwoHashes {
  let h = hashes.get(job);
  if (!h) hashes.set(job, (h = new TwoHashes()));
  // Spliced text held back is hashed before anything after it.
  spliced.get(job)?.flush();
  return h;
}

function spillFile(id: number): number {
  const writer = spills.get(id)?.writer;
  if (!writer) throw new Error(`spliced text from spill ${id}, which this thread does not write`);
  return writer.fd;
}

function handle(m: ThreadRequest): ThreadReply | undefined {
  switch (m.t) {
    case 'write-spill': {
      const writer = new SpillWriter(m.fd, m.at);
      spills.set(m.spill, { chunks: [], ranges: [], next: 0, checked: 0, problems: writer.problems, writer });
      return undefined;
    }
    case 'actions': {
      const s = spills.get(m.spill);
      if (!s) throw new Error(`actions for spill ${m.spill}, which this thread does not write`);
      s.chunks.push({ at: m.at, bytes: ring.subarray(m.offset, m.offset + m.length) });
      for (const r of m.ranges) s.ranges.push(r);
      check(s, m.at + m.length);
      done(m.length);
      return undefined;
    }
    case 'splice': {
      let h = hashes.get(m.job);
      if (!h) hashes.set(m.job, (h = new TwoHashes()));
      const to = h;
      let out = spliced.get(m.job);
      if (!out) spliced.set(m.job, (out = new SplicedWrite(m.fd, (bytes) => to.update(bytes, 'both'))));
      out.piece(m.at, ring.subarray(m.offset, m.offset + m.length), m.litAt, m.ops, spillFile);
      done(m.length);
      return undefined;
    }
    case 'hash': {
      hashJob(m.job).update(ring.subarray(m.offset, m.offset + m.length), m.to);
      done(m.length);
      return undefined;
    }
    case 'sync': {
      const s = spills.get(m.spill);
      const written = s?.writer.sync();
      const problems = s ? s.problems.splice(0) : [];
      if (s && m.close) spills.delete(m.spill);
      return { t: 'synced', seq: m.seq, problems, pending: s ? (s.ranges.length - s.next) / 4 : 0, ...written };
    }
    case 'digest': {
      const h = hashJob(m.job);
      const out = spliced.get(m.job);
      if (m.which === 'file') {
        hashes.delete(m.job);
        spliced.delete(m.job);
      }
      const hex = h.digest(m.which);
      if (!out) return { t: 'digest', seq: m.seq, hex };
      // The answer waits for the writes of the spliced text: the plan file is then complete.
      out.whenWritten(() => answer({ t: 'digest', seq: m.seq, hex, ...(out.ioError === undefined ? {} : { ioError: out.ioError }) }));
      return undefined;
    }
  }
}

/** Checks and writes every action whose text has fully arrived, then lets go of the chunks behind it. */
function check(s: SpillText, arrived: number): void {
  while (s.next < s.ranges.length && s.ranges[s.next + 1]! <= arrived) {
    const start = s.ranges[s.next]!;
    const end = s.ranges[s.next + 1]!;
    const dependsAt = s.ranges[s.next + 2]!;
    if (dependsAt < 0) s.writer.add(textOf(s, start, end));
    else s.writer.addCanonical(textBytes(s, start, end), dependsAt, s.ranges[s.next + 3]!);
    s.next += 4;
    s.checked = end;
  }
  // An action's range comes with the chunk it ends in: the text from the last one checked on
  // is kept, copied out of the ring.
  const keepFrom = s.next < s.ranges.length ? s.ranges[s.next]! : s.checked;
  const kept = keepFrom < arrived ? Buffer.from(textBytes(s, keepFrom, arrived)) : undefined;
  s.chunks = kept ? [{ at: keepFrom, bytes: kept }] : [];
  if (s.next > 4096) {
    s.ranges.splice(0, s.next);
    s.next = 0;
  }
}

function textOf(s: SpillText, start: number, end: number): string {
  for (const c of s.chunks) if (c.at <= start && end <= c.at + c.bytes.length) return c.bytes.toString('utf8', start - c.at, end - c.at);
  return textBytes(s, start, end).toString('utf8');
}

/** Bytes [start, end) of the text held (a view when in one chunk). */
function textBytes(s: SpillText, start: number, end: number): Buffer {
  const parts: Buffer[] = [];
  for (const c of s.chunks) {
    const from = Math.max(start, c.at);
    const to = Math.min(end, c.at + c.bytes.length);
    if (from < to) parts.push(c.bytes.subarray(from - c.at, to - c.at));
  }
  if (parts.length === 1) return parts[0]!;
  return Buffer.concat(parts);
}

function done(bytes: number): void {
  Atomics.add(signals, BYTES_DONE, BigInt(bytes));
  Atomics.notify(signals, BYTES_DONE);
}

function answer(r: ThreadReply, transfer: ArrayBuffer[] = []): void {
  reply.postMessage(r, transfer);
  Atomics.add(signals, ANSWERED, 1n);
  Atomics.notify(signals, ANSWERED);
}

parentPort!.on('message', (m: ThreadRequest) => {
  try {
    const r = handle(m);
    if (r?.t === 'synced' && r.places) answer(r, SpillOffsets.transfer(r.places));
    else if (r) answer(r);
  } catch (err) {
    // Whatever failed is told to the next waiter; the main thread refuses the plan then.
    Atomics.store(signals, FAILED, 1n);
    answer({ t: 'failed', seq: 'seq' in m ? m.seq : 0, message: (err as Error).message });
    done('length' in m ? m.length : 0);
  }
});
Atomics.store(signals, READY, 1n);
Atomics.notify(signals, READY);
