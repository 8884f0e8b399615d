import { closeSync, write, writeSync } from 'node:fs';
import { PumphouseError, type Problem } from '../errors/index.js';
import { CanonicalBytes, type StringWatch } from './canonical-writer.js';
import { actionSchemaProblems } from './schema.js';
import { secretProblem, secretString } from './secret-scan.js';
import { Place, SpillOffsets } from './spill-offsets.js';
import { SpillReader } from './spill-reader.js';
import { ACTION_LEVEL, HOLES, SpilledAction, type SpilledBody } from './spilled-action.js';
import { actionPointer } from './spilled-check.js';
import { closeQuietly, PlanTextThread, TEXT_THREAD_FROM } from './text-thread.js';
import type { Action } from './types.js';
import { openUnlinkedFile } from './unlinked-file.js';

/**
 * Keeps the bulky part of a plan's actions out of the heap: each action's canonical text, as
 * the plan file holds it, goes to a temporary file the moment the planner makes the action,
 * and the action becomes a SpilledAction that keeps only what sorting, selection, the summary,
 * the events and a review's lists read (id, address, kind, action, reason, depends_on, tenant,
 * host, impact, steps, warnings). Attributes, preconditions, source and destination are read
 * back from the file when something asks for them.
 *
 * Why: at 10,000 tenants a plan has 610,000 actions, ~900 bytes of objects each; held with
 * the inventories they took `pumphouse plan` past 1.5 GB. The text would not be smaller than
 * the objects, so it goes to disk (the page cache, which the kernel may drop), not to a buffer.
 *
 * The two members that change after an action is made (`depends_on`, set when the plan is
 * assembled, and `reason`, which --target rewrites) are left out of the text as holes whose
 * positions are kept; the plan writer fills them in. Every action is checked against the plan
 * schema and scanned for secrets as it is spilled; what is found is in `problems`, and the
 * plan writer refuses a plan whose spill has any.
 *
 * Past `checkHere` actions (a big plan), the plan text thread does that work (see
 * PlanTextThread and SpillWriter): put() hands it the action's JSON.stringify text (native,
 * several times faster than the canonical writer) through the thread's shared ring; the thread
 * parses it, checks it, writes its canonical text with the holes into the file and records
 * where it went. This thread learns those places (SpillOffsets, by the action's ordinal) with
 * one synchronous question when it first needs one (reading an action back, writing the
 * plan), and `problems` waits for the thread to catch up the same way.
 *
 * The file is unlinked as soon as it is created: it holds plan text only for this process
 * and leaves nothing behind, whatever ends the process. The planner is synchronous: writes
 * are whole 1 MB buffers handed to libuv's threads (text still in flight is read from memory),
 * reads are synchronous and go through a small cache of recent stretches of the file.
 */
export class ActionSpill {
  readonly #fd: number;
  readonly #writer: CanonicalBytes;
  /** File offset up to which text was handed to a write (written or in flight). */
  #queued = 0;
  /** Chunks whose write has not completed, in file order: reads are served from them. */
  readonly #pending: PendingChunk[] = [];
  #pendingBytes = 0;
  /** The first write that failed; put() then refuses to go on. */
  #failure: Error | undefined;
  /** Recently read stretches of the file (see #fromFile). */
  #reader: SpillReader;
  #scratch = Buffer.allocUnsafe(64 * 1024);
  /** What the schema check and the secret scan found in the actions spilled (see `problems`). */
  readonly #problems: Problem[] = [];
  /** Actions checked on this thread before the rest go to the plan text thread. */
  readonly #checkHere: number;
  /** Where each action's text is: those written here by ordinal, the thread's from `checkHere` on (once asked for). */
  readonly #places = new SpillOffsets();
  readonly #threadPlaces = new SpillOffsets();
  /** The thread writing this spill's actions past `checkHere`, and its name for this spill. */
  #thread: PlanTextThread | undefined;
  #threadId = 0;
  /** Where the text the thread writes starts (-1: none yet). */
  #threadFrom = -1;
  /** File offset up to which the thread has written (as of the last sync). */
  #threadEnd = 0;
  /** What the thread said when a write of its failed. */
  #threadIoError: string | undefined;
  /** JSON text of actions not handed to the thread yet, from stream offset #jsonAt, and their ranges in the stream. */
  #batch: Buffer | undefined;
  #batchUsed = 0;
  #batchRanges: number[] = [];
  #jsonAt = 0;
  readonly #threadText: ThreadText;
  /** Writes the canonical text handed to the thread in a canonical batch (no watch: the thread checks). */
  #threadWriter: CanonicalBytes | undefined;
  /** Actions spilled since the thread was last synced with. */
  #unsynced = false;
  #actions = 0;
  #closed = false;
  /** The last action's body read back: a renderer asks for several fields of one action in a row. */
  #last: { readonly action: SpilledAction; readonly body: SpilledBody } | undefined;

  private constructor(fd: number, checkHere: number, threadText: ThreadText) {
    this.#fd = fd;
    this.#checkHere = checkHere;
    this.#threadText = threadText;
    const watch: StringWatch = (path, key, value) => {
      const verdict = secretString(key, value);
      if (verdict) this.#problems.push(secretProblem(path, verdict));
    };
    this.#writer = new CanonicalBytes(watch);
    this.#reader = new SpillReader(fd, READ_BLOCKS);
  }

  /**
   * A spill in a new unlinked file in `dir` (the plan file's directory, or the temp
   * directory). `checkHere`: actions checked on this thread before the plan text thread takes
   * over (default TEXT_THREAD_FROM; tests pass 0). `threadText`: what the thread is handed
   * past them (see ThreadText; tests pin one).
   */
  static open(dir: string, options: { readonly checkHere?: number; readonly threadText?: ThreadText } = {}): ActionSpill {
    const fd = openUnlinkedFile(dir, 'actions', 'spill');
    const spill = new ActionSpill(fd, options.checkHere ?? TEXT_THREAD_FROM, options.threadText ?? 'adaptive');
    CLOSE_WHEN_GARBAGE.register(spill, fd, spill);
    return spill;
  }

  /** Number of actions spilled. */
  get size(): number {
    return this.#actions;
  }

  /** Bytes of action text spilled. */
  get bytes(): number {
    if (this.#threadFrom < 0) return this.#writer.position;
    this.#sync();
    return this.#threadEnd;
  }

  /**
   * What the schema check and the secret scan found in the actions spilled so far. Once the
   * plan text thread checks this spill's actions, waits for it to catch up (PH_INTERNAL when
   * it failed).
   */
  get problems(): readonly Problem[] {
    this.#sync();
    return this.#problems;
  }

  /**
   * Where `a`'s text is in the file (`a` must be of this spill), once the thread has written
   * it; PH_PLAN_IO when the thread could not write it.
   */
  place(a: SpilledAction, what: Place): number {
    let i = a.ordinal;
    let places = this.#places;
    if (i >= this.#checkHere) {
      i -= this.#checkHere;
      places = this.#threadPlaces;
      if (i >= places.count) this.#sync();
      if (this.#threadIoError !== undefined) throw ioFailure(this.#threadIoError);
    }
    switch (what) {
      case Place.Start:
        return places.start(i);
      case Place.Length:
        return places.length(i);
      case Place.DependsAt:
        return places.dependsAt(i);
      case Place.ReasonAt:
        return places.reasonAt(i);
    }
  }

  /**
   * Spills `action` (complete, with its `depends_on` and `reason` as they are now) and returns
   * the SpilledAction that stands for it. The action is checked against the plan schema here
   * (or on the plan text thread); its `depends_on` and `reason` are checked again when the
   * plan is written. Throws PH_PLAN_IO once a write to the file has failed (a full disk).
   */
  put(action: Action): SpilledAction {
    if (this.#closed) throw new Error('the action spill is closed');
    if (this.#failure) {
      throw new PumphouseError('PH_PLAN_IO', `cannot write the plan's temporary file of actions: ${this.#failure.message}`, { cause: this.#failure });
    }
    if (this.#threadIoError !== undefined) throw ioFailure(this.#threadIoError);
    const ordinal = this.#actions;
    if (ordinal < this.#checkHere) {
      const w = this.#writer;
      for (const p of actionSchemaProblems(action, actionPointer(action.address))) this.#problems.push(p);
      w.resetPath(['actions', action.address]);
      const start = w.position;
      const [dependsAt, reasonAt] = w.holed(action as unknown as Record<string, unknown>, ACTION_LEVEL, HOLES);
      this.#places.push(start, w.position - start, dependsAt! - start, reasonAt! - start);
      if (w.ready.length > 0) for (const chunk of w.ready.splice(0)) this.#write(chunk);
    } else {
      if (this.#threadFrom < 0) this.#startThread();
      this.#queue(action);
    }
    this.#actions++;
    return new SpilledAction(this, action, ordinal);
  }

  /** The plan text thread writes the actions from here on (see the class comment). */
  #startThread(): void {
    // What this thread wrote goes to the file (in flight is fine: the thread writes after it).
    this.#flush();
    const thread = PlanTextThread.shared();
    const id = thread.newId();
    thread.writeSpill(id, this.#fd, this.#writer.position);
    this.#thread = thread;
    this.#threadId = id;
    this.#threadFrom = this.#writer.position;
    this.#threadEnd = this.#threadFrom;
    // The file is closed once the thread has written all of it.
    CLOSE_WHEN_GARBAGE.unregister(this);
    CLOSE_WHEN_GARBAGE.register(this, { thread, id }, this);
  }

  /**
   * Adds one action to the batch for the thread (handed over when full): its JSON text, or its
   * canonical text with its holes made here (see ThreadText).
   */
  #queue(action: Action): void {
    const mode = this.#threadText;
    this.#unsynced = true;
    if (mode === 'json' || (mode === 'adaptive' && !this.#thread!.behind())) {
      const json = JSON.stringify(action);
      // UTF-8 takes at most 3 bytes per UTF-16 code unit.
      const batch = this.#room(3 * json.length);
      const start = this.#jsonAt + this.#batchUsed;
      this.#batchUsed += batch.write(json, this.#batchUsed);
      this.#batchRanges.push(start, this.#jsonAt + this.#batchUsed, -1, -1);
      return;
    }
    const w = (this.#threadWriter ??= new CanonicalBytes());
    const from = w.position;
    const [dependsAt, reasonAt] = w.holed(action as unknown as Record<string, unknown>, ACTION_LEVEL, HOLES);
    const length = w.position - from;
    let batch = this.#room(length);
    const start = this.#jsonAt + this.#batchUsed;
    for (const chunk of w.take()) {
      batch = this.#batch!;
      batch.set(chunk, this.#batchUsed);
      this.#batchUsed += chunk.length;
      w.recycle(chunk);
    }
    this.#batchRanges.push(start, start + length, dependsAt! - from, reasonAt! - from);
  }

  /** The batch, with room for `bytes` more (the batch handed over first when it has not). */
  #room(bytes: number): Buffer {
    let batch = this.#batch;
    if (batch === undefined || this.#batchUsed + bytes > batch.length) {
      this.#handOver();
      batch = this.#batch ??= Buffer.allocUnsafe(Math.max(BATCH, bytes));
      if (batch.length < bytes) batch = this.#batch = Buffer.allocUnsafe(bytes);
    }
    return batch;
  }

  /** Hands the batch to the thread (copied into its ring: the batch is reused). */
  #handOver(): void {
    if (this.#batchUsed === 0) return;
    this.#thread!.actions(this.#threadId, this.#jsonAt, this.#batch!.subarray(0, this.#batchUsed), this.#batchRanges);
    this.#jsonAt += this.#batchUsed;
    this.#batchUsed = 0;
    this.#batchRanges = [];
  }

  /**
   * Waits for the thread to have checked and written every action handed to it: their
   * problems and places come back. PH_PLAN_IO when it could not write them (a full disk).
   */
  #sync(): void {
    if (!this.#unsynced) return;
    this.#unsynced = false;
    this.#handOver();
    // Asked when the actions are read back or written, mostly once all are spilled: the
    // buffers for the thread are let go (made again if more actions come).
    this.#batch = undefined;
    this.#threadWriter = undefined;
    const r = this.#thread!.sync(this.#threadId);
    for (const p of r.problems) this.#problems.push(p);
    if (r.places) this.#threadPlaces.append(r.places);
    if (r.written !== undefined) this.#threadEnd = r.written;
    if (r.ioError !== undefined) {
      this.#threadIoError ??= r.ioError;
      throw ioFailure(r.ioError);
    }
  }

  /**
   * The plan text thread's name for this spill when `a`'s text was written there (the thread
   * can then splice it into the plan file itself, see SplicedActions), 0 when written here.
   */
  threadSpill(a: SpilledAction): number {
    if (this.#closed) throw new Error('the action spill is closed');
    return this.#threadFrom >= 0 && a.ordinal >= this.#checkHere ? this.#threadId : 0;
  }

  /**
   * The spilled text of `a`, without its holes (valid JSON: the holes are whole members). The
   * buffer is only good until the next call.
   */
  text(a: SpilledAction): Buffer {
    if (this.#closed) throw new Error('the action spill is closed');
    const start = this.place(a, Place.Start);
    const length = this.place(a, Place.Length);
    const end = start + length;
    // The thread's text is written once synced (never in flight here).
    if (this.#threadFrom >= 0 && start >= this.#threadFrom) return this.#fromFile(start, end);
    if (end > this.#queued) this.#flush();
    if (this.#pending.length === 0) return this.#fromFile(start, end);
    if (this.#scratch.length < length) this.#scratch = Buffer.allocUnsafe(Math.max(length, 2 * this.#scratch.length));
    // Pieces still in flight come from memory, the rest from the file.
    let pos = start;
    while (pos < end) {
      const p = this.#pendingAt(pos);
      if (p.chunk) {
        const to = Math.min(end, p.chunk.at + p.chunk.bytes.length);
        this.#scratch.set(p.chunk.bytes.subarray(pos - p.chunk.at, to - p.chunk.at), pos - start);
        pos = to;
      } else {
        const to = Math.min(end, p.next);
        this.#scratch.set(this.#fromFile(pos, to), pos - start);
        pos = to;
      }
    }
    return this.#scratch.subarray(0, length);
  }

  /** The members of `a` kept only in the file, parsed. */
  body(a: SpilledAction): SpilledBody {
    if (this.#last?.action === a) return this.#last.body;
    const body = JSON.parse(this.text(a).toString('utf8')) as SpilledBody;
    this.#last = { action: a, body };
    return body;
  }

  /**
   * Closes the file (idempotent; once writes in flight are done); the SpilledActions cannot
   * be read afterwards.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    CLOSE_WHEN_GARBAGE.unregister(this);
    this.#last = undefined;
    this.#reader.clear();
    this.#batch = undefined;
    if (this.#pending.length === 0) this.#release();
  }

  /** The file is done with (no write of this thread in flight): closed, once the thread's writes are done when it writes too. */
  #release(): void {
    if (this.#thread) this.#thread.forget(this.#threadId);
    else closeSync(this.#fd);
  }

  /** Hands every byte written so far to a file write. */
  #flush(): void {
    for (const chunk of this.#writer.take()) this.#write(chunk);
  }

  /**
   * Writes run on libuv's threads while the planner goes on (page-cache writes of ~700 MB took
   * ~2 s of the planner's thread when synchronous); past WRITE_BEHIND bytes in flight, the
   * next chunk is written synchronously, which bounds the memory held.
   */
  #write(bytes: Uint8Array): void {
    const at = this.#queued;
    this.#queued += bytes.length;
    if (this.#pendingBytes >= WRITE_BEHIND || this.#failure) {
      this.#writeSync(bytes, at);
      return;
    }
    const chunk: PendingChunk = { at, bytes };
    this.#pending.push(chunk);
    this.#pendingBytes += bytes.length;
    const rest = (done: number): void => {
      write(this.#fd, bytes, done, bytes.length - done, at + done, (err, n) => {
        if (!err && done + n < bytes.length) return rest(done + n);
        if (err) {
          // Kept in memory: what was spilled stays readable; put() reports the failure.
          this.#failure ??= err;
          return;
        }
        this.#pending.splice(this.#pending.indexOf(chunk), 1);
        this.#pendingBytes -= bytes.length;
        if (this.#closed && this.#pending.length === 0) this.#release();
      });
    };
    rest(0);
  }

  #writeSync(bytes: Uint8Array, at: number): void {
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(this.#fd, bytes, done, bytes.length - done, at + done);
    } catch (err) {
      this.#failure ??= err as Error;
      // Kept in memory, as a failed asynchronous write is.
      this.#pending.push({ at: at + done, bytes: bytes.subarray(done) });
      this.#pending.sort((x, y) => x.at - y.at);
    }
  }

  /** The chunk in flight holding `pos`, or where the next one after it starts (or Infinity). */
  #pendingAt(pos: number): { readonly chunk?: PendingChunk; readonly next: number } {
    let next = Infinity;
    for (const c of this.#pending) {
      if (c.at <= pos && pos < c.at + c.bytes.length) return { chunk: c, next };
      if (c.at > pos && c.at < next) next = c.at;
    }
    return { next };
  }

  /** Bytes [start, end) of the file (written: never a stretch still in flight; see SpillReader). */
  #fromFile(start: number, end: number): Buffer {
    const { next } = this.#pendingAt(start);
    return this.#reader.bytes(start, end, Math.min(next, Math.max(this.#queued, this.#threadEnd)));
  }
}

interface PendingChunk {
  readonly at: number;
  readonly bytes: Uint8Array;
}

/**
 * What a spill hands the plan text thread for each action past `checkHere`: `json`, its
 * JSON.stringify text (the thread parses it, checks it and writes its canonical text: least
 * work here); `canonical`, its canonical text with the holes' places, made here (the thread
 * parses it, checks it and copies it: least work there); `adaptive` (the default) chooses per
 * action: JSON while the thread keeps up, canonical text while it lags (more than half the
 * ring waiting), so neither thread waits long for the other on two cores.
 */
export type ThreadText = 'json' | 'canonical' | 'adaptive';

/** Bytes of actions' text handed to the thread at once. */
const BATCH = 1 << 20;

/** PH_PLAN_IO: the spill file could not be written. */
function ioFailure(message: string): PumphouseError {
  return new PumphouseError('PH_PLAN_IO', `cannot write the plan's temporary file of actions: ${message}`);
}

/** Bytes of spilled text in flight before writes become synchronous. */
const WRITE_BEHIND = 16 << 20;
/** Stretches of the file kept for reading back (8 MiB, see SpillReader). */
const READ_BLOCKS = 32;

// A plan's SpilledActions keep their spill alive; once none is left, nothing can read the
// file, and its descriptor (and the disk space of the unlinked file) is given back.
// A spill the thread writes is forgotten there, which closes the file after the thread's last write.
const CLOSE_WHEN_GARBAGE = new FinalizationRegistry<number | { readonly thread: PlanTextThread; readonly id: number }>((held) => {
  if (typeof held === 'number') closeQuietly(held);
  else held.thread.forget(held.id);
});
