import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readSync, unlinkSync, write, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PumphouseError, type Problem } from '../errors/index.js';
import { CanonicalBytes, type ItemWriter, type StringWatch } from './canonical-writer.js';
import { actionSchemaProblems } from './schema.js';
import { secretProblem, secretString } from './secret-scan.js';
import { actionPointer } from './spilled-check.js';
import { PlanTextThread, TEXT_THREAD_FROM } from './text-thread.js';
import type { Action, Attributes, DestinationObject, Impact, Precondition, Reason, SourceObject } from './types.js';

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
 * plan writer refuses a plan whose spill has any. Past `checkHere` actions (a big plan), the
 * checks run on the plan text thread from the text as it is written (see PlanTextThread), and
 * `problems` waits for it to catch up.
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
  readonly #blocks: Block[] = [];
  #scratch = Buffer.allocUnsafe(64 * 1024);
  /** What the schema check and the secret scan found in the actions spilled (see `problems`). */
  readonly #problems: Problem[] = [];
  /** Actions checked on this thread before the rest go to the plan text thread. */
  readonly #checkHere: number;
  /** The thread checking this spill's actions past `checkHere`, and its name for this spill. */
  #thread: PlanTextThread | undefined;
  #threadId = 0;
  /** Where the text the thread checks starts. */
  #threadFrom = -1;
  /** [start, end) of the actions for the thread not handed over yet (their text is not all retired), flattened. */
  #forThread: number[] = [];
  /** Actions spilled since the thread's problems were last asked for. */
  #unsynced = false;
  #actions = 0;
  #closed = false;
  /** The last action's body read back: a renderer asks for several fields of one action in a row. */
  #last: { readonly action: SpilledAction; readonly body: SpilledBody } | undefined;

  private constructor(fd: number, checkHere: number) {
    this.#fd = fd;
    this.#checkHere = checkHere;
    const watch: StringWatch = (path, key, value) => {
      const verdict = secretString(key, value);
      if (verdict) this.#problems.push(secretProblem(path, verdict));
    };
    this.#writer = new CanonicalBytes(watch);
  }

  /**
   * A spill in a new unlinked file in `dir` (the plan file's directory, or the temp
   * directory). `checkHere`: actions checked on this thread before the plan text thread takes
   * over (default TEXT_THREAD_FROM; tests pass 0).
   */
  static open(dir: string, options: { readonly checkHere?: number } = {}): ActionSpill {
    const path = join(dir, `.pumphouse-actions.${process.pid}.${randomUUID().slice(0, 8)}.spill`);
    const fd = openSync(path, 'wx+', 0o600);
    try {
      unlinkSync(path);
    } catch {
      // Some filesystems do not unlink open files; the file then goes with close().
    }
    const spill = new ActionSpill(fd, options.checkHere ?? TEXT_THREAD_FROM);
    CLOSE_WHEN_GARBAGE.register(spill, fd, spill);
    return spill;
  }

  /** Number of actions spilled. */
  get size(): number {
    return this.#actions;
  }

  /** Bytes of action text spilled. */
  get bytes(): number {
    return this.#writer.position;
  }

  /**
   * What the schema check and the secret scan found in the actions spilled so far. Once the
   * plan text thread checks this spill's actions, waits for it to catch up (PH_INTERNAL when
   * it failed).
   */
  get problems(): readonly Problem[] {
    if (this.#unsynced) {
      this.#unsynced = false;
      this.#flush();
      for (const p of this.#thread!.problems(this.#threadId)) this.#problems.push(p);
    }
    return this.#problems;
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
    const w = this.#writer;
    const here = this.#actions < this.#checkHere;
    if (here) {
      for (const p of actionSchemaProblems(action, actionPointer(action.address))) this.#problems.push(p);
      w.resetPath(['actions', action.address]);
    } else if (this.#threadFrom < 0) {
      this.#thread = PlanTextThread.shared();
      this.#threadId = this.#thread.newId();
      this.#threadFrom = w.position;
      w.watchWith(undefined);
    }
    const start = w.position;
    const [dependsAt, reasonAt] = w.holed(action as unknown as Record<string, unknown>, ACTION_LEVEL, HOLES);
    const end = w.position;
    if (!here) {
      this.#forThread.push(start, end);
      this.#unsynced = true;
    }
    if (w.ready.length > 0) for (const chunk of w.ready.splice(0)) this.#write(chunk);
    this.#actions++;
    return new SpilledAction(this, action, start, end - start, dependsAt! - start, reasonAt! - start);
  }

  /**
   * The spilled text of `a`, without its holes (valid JSON: the holes are whole members). The
   * buffer is only good until the next call.
   */
  text(a: SpilledAction): Buffer {
    if (this.#closed) throw new Error('the action spill is closed');
    const start = a.spillStart;
    const end = start + a.spillLength;
    if (end > this.#queued) this.#flush();
    if (this.#pending.length === 0) return this.#fromFile(start, end);
    if (this.#scratch.length < a.spillLength) this.#scratch = Buffer.allocUnsafe(Math.max(a.spillLength, 2 * this.#scratch.length));
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
    return this.#scratch.subarray(0, a.spillLength);
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
    this.#thread?.forget(this.#threadId);
    this.#last = undefined;
    this.#blocks.length = 0;
    if (this.#pending.length === 0) closeSync(this.#fd);
  }

  /** Hands every byte written so far to a file write (and to the thread). */
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
    if (this.#threadFrom >= 0 && at + bytes.length > this.#threadFrom) this.#toThread(bytes, at);
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
        if (this.#closed && this.#pending.length === 0) closeSync(this.#fd);
      });
    };
    rest(0);
  }

  /** Hands the text of `bytes` (at file offset `at`) that the thread checks to it, with the actions ending there. */
  #toThread(bytes: Uint8Array, at: number): void {
    const end = at + bytes.length;
    const from = Math.max(at, this.#threadFrom);
    const ranges = this.#forThread;
    let n = 0;
    while (n < ranges.length && ranges[n + 1]! <= end) n += 2;
    this.#thread!.check(this.#threadId, from, bytes.subarray(from - at), ranges.slice(0, n));
    this.#forThread = n === ranges.length ? [] : ranges.slice(n);
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

  /**
   * Bytes [start, end) of the file (written: never a stretch still in flight). The plan is
   * written in dependency order, which visits the spill kind after kind but each kind's run
   * forward (the planner spills tenant after tenant within a kind), so a few recent stretches
   * of READ_BLOCK bytes answer most reads: a few thousand reads instead of one per action.
   */
  #fromFile(start: number, end: number): Buffer {
    const blocks = this.#blocks;
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i]!;
      if (b.at <= start && end <= b.at + b.length) {
        if (i > 0) {
          blocks.splice(i, 1);
          blocks.unshift(b);
        }
        return b.bytes.subarray(start - b.at, end - b.at);
      }
    }
    const { next } = this.#pendingAt(start);
    const want = Math.max(end - start, Math.min(READ_BLOCK, next - start, this.#queued - start));
    const reuse = blocks.length >= READ_BLOCKS ? blocks.pop()! : undefined;
    const bytes = reuse && reuse.bytes.length >= want ? reuse.bytes : Buffer.allocUnsafe(Math.max(want, READ_BLOCK));
    let got = 0;
    while (got < end - start) {
      const n = readSync(this.#fd, bytes, got, want - got, start + got);
      if (n === 0) throw new Error('the action spill file is shorter than what was written to it');
      got += n;
    }
    blocks.unshift({ at: start, length: got, bytes });
    return bytes.subarray(0, end - start);
  }
}

interface PendingChunk {
  readonly at: number;
  readonly bytes: Uint8Array;
}

interface Block {
  readonly at: number;
  readonly length: number;
  readonly bytes: Buffer;
}

/** Bytes of spilled text in flight before writes become synchronous. */
const WRITE_BEHIND = 16 << 20;
/** Size and number of the stretches of the file kept for reading back (8 MiB). */
const READ_BLOCK = 256 << 10;
const READ_BLOCKS = 32;

// A plan's SpilledActions keep their spill alive; once none is left, nothing can read the
// file, and its descriptor (and the disk space of the unlinked file) is given back.
const CLOSE_WHEN_GARBAGE = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
});

/** What a SpilledAction's text holds: the whole action but its two holes. */
export type SpilledBody = Omit<Action, 'depends_on' | 'reason'>;

/** Actions are items of the plan's `actions` member: level 2 of the canonical text. */
const ACTION_LEVEL = 2;
const HOLES = ['depends_on', 'reason'] as const;

/**
 * An action whose bulky members are in an ActionSpill. Reads like any Action (the spilled
 * members are getters that read the file back), and its toJSON() is the whole action.
 */
export class SpilledAction implements Action {
  readonly id: string;
  readonly address: string;
  readonly kind: Action['kind'];
  readonly action: Action['action'];
  /** May be rewritten until the plan is written (--target does). */
  reason: Reason;
  /** Set when the plan is assembled. */
  depends_on: readonly string[];
  readonly tenant?: string;
  readonly host?: string;
  readonly impact: Impact;
  readonly steps: readonly string[];
  /** Kept too: few actions have any, and a review lists them all (reading every action back to find them). */
  readonly warnings?: readonly string[];
  readonly #spill: ActionSpill;
  /** Where the text is in the spill file, and where its two holes are (from its start). */
  readonly spillStart: number;
  readonly spillLength: number;
  readonly dependsAt: number;
  readonly reasonAt: number;

  constructor(spill: ActionSpill, a: Action, start: number, length: number, dependsAt: number, reasonAt: number) {
    this.id = a.id;
    this.address = a.address;
    this.kind = a.kind;
    this.action = a.action;
    this.reason = a.reason;
    this.depends_on = a.depends_on;
    if (a.tenant !== undefined) this.tenant = a.tenant;
    if (a.host !== undefined) this.host = a.host;
    this.impact = a.impact;
    this.steps = a.steps;
    if (a.warnings !== undefined) this.warnings = a.warnings;
    this.#spill = spill;
    this.spillStart = start;
    this.spillLength = length;
    this.dependsAt = dependsAt;
    this.reasonAt = reasonAt;
  }

  get source(): SourceObject | undefined {
    return this.#spill.body(this).source;
  }

  get destination(): DestinationObject | undefined {
    return this.#spill.body(this).destination;
  }

  get before(): Attributes | null | undefined {
    return this.#spill.body(this).before;
  }

  get after(): Attributes | undefined {
    return this.#spill.body(this).after;
  }

  get preconditions(): readonly Precondition[] {
    return this.#spill.body(this).preconditions;
  }

  /** What the spill holding this action found wrong in the actions spilled (schema, secrets). */
  get problems(): readonly Problem[] {
    return this.#spill.problems;
  }

  /** The canonical text of the action at `level` (where it was spilled), holes filled, into `w`. */
  writeTo(w: CanonicalBytes, level: number): void {
    if (level !== ACTION_LEVEL) throw new Error(`a spilled action is written at level ${ACTION_LEVEL}, not ${level}`);
    const text = this.#spill.text(this);
    w.raw(text.subarray(0, this.dependsAt));
    w.member(ACTION_LEVEL + 1, 'depends_on', this.depends_on);
    w.raw(text.subarray(this.dependsAt, this.reasonAt));
    w.member(ACTION_LEVEL + 1, 'reason', this.reason);
    w.raw(text.subarray(this.reasonAt));
  }

  /** The whole action as plain data (what JSON.stringify and the canonical writer see). */
  toJSON(): Action {
    return { ...this.#spill.body(this), depends_on: this.depends_on, reason: this.reason };
  }
}

/** Writes the spilled actions of a plan's `actions` member from their spilled text. */
export const SPILLED_ACTIONS: ItemWriter = {
  takes: (item) => item instanceof SpilledAction,
  write: (w, item, level) => (item as SpilledAction).writeTo(w, level),
};
