import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../errors/index.js';
import { CanonicalBytes, type ItemWriter } from './canonical-writer.js';
import { actionSchemaProblems } from './schema.js';
import { secretProblem, secretString } from './secret-scan.js';
import type { Action, Attributes, DestinationObject, Impact, Precondition, Reason, SourceObject } from './types.js';

/**
 * Keeps the bulky part of a plan's actions out of the heap: each action's canonical text, as
 * the plan file holds it, goes to a temporary file the moment the planner makes the action,
 * and the action becomes a SpilledAction that keeps only what sorting, selection, the summary
 * and the events read (id, address, kind, action, reason, depends_on, tenant, host, impact,
 * steps). Attributes, preconditions, source, destination and warnings are read back from the
 * file when something asks for them.
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
 * The file is unlinked as soon as it is created: it holds plan text only for this process
 * and leaves nothing behind, whatever ends the process. Synchronous I/O: the planner is a
 * synchronous function, and every write is a whole 1 MB buffer.
 */
export class ActionSpill {
  readonly #fd: number;
  readonly #writer: CanonicalBytes;
  /** Bytes of the file written so far. */
  #flushed = 0;
  #scratch = Buffer.allocUnsafe(64 * 1024);
  /** What the schema check and the secret scan found in the actions spilled. */
  readonly problems: Problem[] = [];
  #actions = 0;
  #closed = false;
  /** The last action's body read back: a renderer asks for several fields of one action in a row. */
  #last: { readonly action: SpilledAction; readonly body: SpilledBody } | undefined;

  private constructor(fd: number) {
    this.#fd = fd;
    this.#writer = new CanonicalBytes((path, key, value) => {
      const verdict = secretString(key, value);
      if (verdict) this.problems.push(secretProblem(path, verdict));
    });
  }

  /** A spill in a new unlinked file in `dir` (the plan file's directory, or the temp directory). */
  static open(dir: string): ActionSpill {
    const path = join(dir, `.pumphouse-actions.${process.pid}.${randomUUID().slice(0, 8)}.spill`);
    const fd = openSync(path, 'wx+', 0o600);
    try {
      unlinkSync(path);
    } catch {
      // Some filesystems do not unlink open files; the file then goes with close().
    }
    const spill = new ActionSpill(fd);
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
   * Spills `action` (complete, with its `depends_on` and `reason` as they are now) and returns
   * the SpilledAction that stands for it. The action is checked against the plan schema here;
   * its `depends_on` and `reason` are checked again when the plan is written.
   */
  put(action: Action): SpilledAction {
    if (this.#closed) throw new Error('the action spill is closed');
    const pointer = `/actions/${escapePointer(action.address)}`;
    for (const p of actionSchemaProblems(action, pointer)) this.problems.push(p);
    const w = this.#writer;
    w.resetPath(['actions', action.address]);
    const start = w.position;
    const [dependsAt, reasonAt] = w.holed(action as unknown as Record<string, unknown>, ACTION_LEVEL, HOLES);
    const end = w.position;
    this.#flushReady();
    this.#actions++;
    return new SpilledAction(this, action, start, end - start, dependsAt! - start, reasonAt! - start);
  }

  /** The spilled text of `a`, without its holes (valid JSON: the holes are whole members). */
  text(a: SpilledAction): Buffer {
    const end = a.spillStart + a.spillLength;
    if (end > this.#flushed) this.#flushAll();
    if (this.#scratch.length < a.spillLength) this.#scratch = Buffer.allocUnsafe(Math.max(a.spillLength, 2 * this.#scratch.length));
    let got = 0;
    while (got < a.spillLength) {
      const n = readSync(this.#fd, this.#scratch, got, a.spillLength - got, a.spillStart + got);
      if (n === 0) throw new Error('the action spill file is shorter than what was written to it');
      got += n;
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

  /** Closes the file (idempotent); the SpilledActions cannot be read afterwards. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    CLOSE_WHEN_GARBAGE.unregister(this);
    this.#last = undefined;
    closeSync(this.#fd);
  }

  #flushReady(): void {
    const ready = this.#writer.ready;
    if (ready.length === 0) return;
    for (const chunk of ready.splice(0)) this.#write(chunk);
  }

  #flushAll(): void {
    for (const chunk of this.#writer.take()) this.#write(chunk);
  }

  #write(chunk: Uint8Array): void {
    let done = 0;
    while (done < chunk.length) done += writeSync(this.#fd, chunk, done, chunk.length - done, this.#flushed + done);
    this.#flushed += chunk.length;
  }
}

// A plan's SpilledActions keep their spill alive; once none is left, nothing can read the
// file, and its descriptor (and the disk space of the unlinked file) is given back.
const CLOSE_WHEN_GARBAGE = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
});

/** What a SpilledAction's text holds beyond its kept members. */
export interface SpilledBody {
  readonly source?: SourceObject;
  readonly destination?: DestinationObject;
  readonly before?: Attributes | null;
  readonly after?: Attributes;
  readonly preconditions: readonly Precondition[];
  readonly warnings?: readonly string[];
}

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

  get warnings(): readonly string[] | undefined {
    return this.#spill.body(this).warnings;
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
    const body = JSON.parse(this.#spill.text(this).toString('utf8')) as Omit<Action, 'depends_on' | 'reason'>;
    return { ...body, depends_on: this.depends_on, reason: this.reason };
  }
}

/** JSON pointer escaping of one segment (addresses may hold `/`). */
function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Writes the spilled actions of a plan's `actions` member from their spilled text. */
export const SPILLED_ACTIONS: ItemWriter = {
  takes: (item) => item instanceof SpilledAction,
  write: (w, item, level) => (item as SpilledAction).writeTo(w, level),
};
