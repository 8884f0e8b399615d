import { open } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { emit, type Reporter } from '../events/index.js';
import { PumphouseError, redact, redactUrl } from '../errors/index.js';
import { removeLeftovers, writeFileAtomic, writePieces } from './atomic-write.js';
import { Journal, type JournalContent } from './journal.js';
import { emptyState } from './model.js';
import { toolVersion } from '../package-info.js';
import { StateFold } from './fold.js';
import { closeHistory, markInterrupted } from './replay.js';
import { validateState } from './schema.js';
import { readStateValue } from './state-read.js';
import { batched, stateTextPieces } from './state-text.js';
import type { JournalRecord, StateFile } from './types.js';

/** What `load()` found in the journal. */
export interface ReplayReport {
  /** Records folded into the state. */
  readonly applied: number;
  /** Records skipped because the state file already contains them (crash after compaction). */
  readonly skipped: number;
  /** A torn last line that was ignored, if any. */
  readonly torn: JournalContent['torn'];
  /** Addresses whose last step started without a recorded end. */
  readonly pending: readonly string[];
}

export interface StateStoreOptions {
  /** Receives `state_persisted` and `journal_replayed` events. */
  readonly reporter?: Reporter;
}

/**
 * The local file backend: `state.json`, its `state.json.backup` (the previous version),
 * its journal `state.json.journal.ndjson`, and on a failed write `errored.state.json` next
 * to them. Locking is separate (lock.ts): callers that write hold the lock.
 *
 * The store keeps the state it last loaded or wrote (`current`); `record()` appends to the
 * journal and folds into it, so `current` always equals state file + journal. `current`
 * (and the state load() and record() return) is kept by a StateFold: its arrays are updated
 * in place by later records, O(1) per record, and findObject() on it is O(1). Objects in it
 * are never changed in place; copy the arrays to keep a fixed snapshot.
 */
export class StateStore {
  readonly path: string;
  readonly backupPath: string;
  readonly erroredPath: string;
  readonly journal: Journal;
  readonly #reporter: Reporter | undefined;
  #fold: StateFold | undefined;
  readonly #inflight = new Set<Promise<unknown>>();

  private constructor(path: string, options: StateStoreOptions) {
    this.path = resolve(path);
    this.backupPath = `${this.path}.backup`;
    this.erroredPath = join(dirname(this.path), 'errored.state.json');
    this.journal = new Journal(`${this.path}.journal.ndjson`);
    this.#reporter = options.reporter;
  }

  /** A store for the state file at `path`. Does no I/O. */
  static open(path: string, options: StateStoreOptions = {}): StateStore {
    return new StateStore(path, options);
  }

  /**
   * The state file alone (not the journal). A missing file is an empty state with a new
   * lineage and serial 0. Malformed JSON or a schema violation throws PH_STATE_INVALID
   * naming the file and the field (or line and column); unreadable throws PH_STATE_IO.
   * The file is parsed in chunks, one object at a time (state-read.ts): its text may be
   * longer than a JavaScript string can be.
   */
  async read(): Promise<StateFile> {
    const value = await readStateValue(this.path);
    if (value === undefined) return emptyState();
    return validateState(value, this.path);
  }

  /**
   * The state as the last operation left it: the state file with the journal folded in.
   * The journal is read first, so a compaction running meanwhile cannot make records
   * vanish between the two reads. Sets `current`. Read-only: nothing is written. Emits
   * `journal_replayed` (debug; warn when a torn last line was ignored).
   */
  async load(): Promise<{ readonly state: StateFile; readonly report: ReplayReport }> {
    return this.#load('debug');
  }

  async #load(level: 'info' | 'debug'): Promise<{ readonly state: StateFile; readonly report: ReplayReport }> {
    const content = await this.journal.read();
    const fold = new StateFold(await this.read());
    const state = fold.state;
    let applied = 0;
    let skipped = 0;
    for (const r of content.records) {
      if (r.base_serial < state.serial) {
        skipped++;
        continue;
      }
      if (r.base_serial > state.serial) {
        throw new PumphouseError(
          'PH_STATE_INVALID',
          `the journal has records made on state serial ${r.base_serial}, but ${this.path} is at serial ${state.serial}: the state file was replaced by an older copy`,
          { location: { file: this.journal.path, field: 'base_serial' } },
        );
      }
      const { base_serial: _, ...record } = r;
      fold.apply(record as JournalRecord);
      applied++;
    }
    const pending = state.objects.filter((o) => o.pending !== null).map((o) => o.address);
    const report: ReplayReport = { applied, skipped, torn: content.torn, pending };
    if (applied > 0 || skipped > 0 || content.torn) {
      const torn = content.torn ? `; ignored a torn last line (${content.torn.bytes} bytes, line ${content.torn.line})` : '';
      emit(this.#reporter, 'journal_replayed', content.torn ? 'warn' : level, `replayed ${applied} journal records from ${this.journal.path}${torn}`, {
        path: this.journal.path,
        applied,
        skipped,
        torn_bytes: content.torn?.bytes ?? 0,
        pending,
      });
    }
    this.#fold = fold;
    return { state, report };
  }

  /**
   * For the holder of the lock at the start of an operation: loads, marks history entries
   * still `running` as `interrupted` (their process is gone, or we would not hold the lock),
   * and compacts if a previous run left journal records or such entries. A clean state is
   * returned as loaded, without a write (its serial stays what plans recorded). Also removes
   * temp files of a write that was killed half-way.
   *
   * Plan makers should call this too (under the lock): a dead run's journal is then folded
   * into the serial the plan records, and apply's own recover() has nothing left to change.
   */
  async recover(): Promise<{ readonly state: StateFile; readonly report: ReplayReport }> {
    await removeLeftovers(this.path, this.backupPath);
    // A dead run's journal is news to the operator here; for a plain read it is routine.
    const loaded = await this.#load('info');
    const marked = markInterrupted(loaded.state);
    const journalUsed = loaded.report.applied > 0 || loaded.report.skipped > 0 || loaded.report.torn !== null;
    if (!journalUsed && marked === loaded.state) return loaded;
    this.#fold = new StateFold(marked);
    const state = await this.compact();
    return { state, report: loaded.report };
  }

  /** The state last loaded, written or recorded. Throws if nothing was loaded yet. */
  get current(): StateFile {
    if (!this.#fold) throw new PumphouseError('PH_INTERNAL', 'StateStore.current used before load()', { source: 'internal' });
    return this.#fold.state;
  }

  /**
   * Appends a record to the journal (fsynced) and folds it into `current`. The caller holds
   * the lock. Rejects with PH_STATE_IO when the journal cannot be written. As a last guard,
   * values under secret-looking keys (password, token, hash, ...) in attributes, data and
   * details are stored as `***`, and URL passwords in error messages are removed.
   */
  async record(input: JournalRecord): Promise<StateFile> {
    const record = scrub(input);
    const appended = this.journal.append(record, this.current.serial);
    this.#inflight.add(appended);
    try {
      await appended;
    } finally {
      this.#inflight.delete(appended);
    }
    // Fold into whatever `current` is now: concurrent records resolve in append order.
    if (!this.#fold) throw new PumphouseError('PH_INTERNAL', 'StateStore.record used before load()', { source: 'internal' });
    this.#fold.apply(record);
    return this.#fold.state;
  }

  /**
   * Persists `state` with `serial + 1` (and this pumphouse's version) atomically, keeping the
   * previous file as `.backup`, then empties the journal: `state` must already contain the
   * journal (from load(), current or recover()). Returns what was written and sets `current`.
   * On failure the state goes to `errored.state.json` and PH_STATE_IO is thrown; the journal
   * is left alone, so the next load() still sees every record. Not to be called while
   * `record()` calls are in flight (compact() waits for them).
   */
  async write(state: StateFile): Promise<StateFile> {
    const serial = state.serial + 1;
    const next: StateFile = closeHistory({ ...state, pumphouse_version: toolVersion(), serial }, serial);
    // JSON.stringify(next, null, 2) + '\n', byte for byte, written in pieces: at 600,000
    // objects the one-string form exceeds V8's longest string.
    const text = (): Iterable<string> => batched(stateTextPieces(next));
    try {
      await writeFileAtomic(this.path, text(), { backupPath: this.backupPath });
    } catch (err) {
      throw await this.#writeFailed(text, err);
    }
    const fold = new StateFold(next);
    this.#fold = fold;
    await this.journal.truncate();
    emit(this.#reporter, 'state_persisted', 'info', `state saved to ${this.path} (serial ${serial})`, { serial, path: this.path });
    return fold.state;
  }

  /** Folds the journal into the state file: write(current) (loading first if needed). */
  async compact(): Promise<StateFile> {
    // Records still being appended must be in `current` before it is written, or the
    // truncation that follows the write would drop them.
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
    await new Promise((r) => setImmediate(r));
    const state = this.#fold?.state ?? (await this.load()).state;
    return this.write(state);
  }

  /** Closes the journal file. */
  async close(): Promise<void> {
    await this.journal.close();
  }

  async #writeFailed(text: () => Iterable<string>, err: unknown): Promise<PumphouseError> {
    let saved: string;
    try {
      const fh = await open(this.erroredPath, 'w', 0o600);
      try {
        await writePieces(fh, text());
      } finally {
        await fh.close();
      }
      saved = `the new state was saved to ${this.erroredPath}: fix the problem, then move it over ${this.path}`;
    } catch (dumpErr) {
      saved = `saving it to ${this.erroredPath} failed too (${errCode(dumpErr)}); the journal ${this.journal.path} still holds every step and will be replayed next time`;
    }
    return new PumphouseError('PH_STATE_IO', `could not write the state file (${errCode(err)}); ${saved}`, {
      cause: err,
      location: { file: this.path },
      details: { errored_path: this.erroredPath },
    });
  }
}

/** The record with secret-looking values replaced (see record()). */
function scrub(r: JournalRecord): JournalRecord {
  switch (r.t) {
    case 'pending':
      return r.data === undefined ? r : { ...r, data: redact(r.data) };
    case 'done':
    case 'action_done':
      return r.attributes === undefined ? r : { ...r, attributes: redact(r.attributes) };
    case 'action_failed':
      return { ...r, error: { code: r.error.code, message: redactUrl(r.error.message) } };
    case 'temp':
      return { ...r, temp: { ...r.temp, details: redact(r.temp.details) } };
    default:
      return r;
  }
}

function errCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}
