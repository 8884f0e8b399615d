import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PumphouseError } from '../errors/index.js';
import { syncDir } from './atomic-write.js';
import { checkRecord } from './journal-record.js';
import type { JournalRecord } from './types.js';

const READ_CHUNK = 1 << 20;

/**
 * A journal line as stored: the record plus the serial of the state file it applies on top
 * of. Compaction writes the state with a higher serial, so records with a lower one are
 * known to be folded in already: replaying after a crash between the state write and the
 * journal truncation never applies a record twice.
 */
export type StoredRecord = JournalRecord & { readonly base_serial: number };

/** What reading the journal found. */
export interface JournalContent {
  readonly records: readonly StoredRecord[];
  /**
   * An incomplete last line (the process died mid-append): its byte count and 1-based line
   * number. It is ignored; its step was never acknowledged, so it counts as not recorded.
   */
  readonly torn: { readonly bytes: number; readonly line: number } | null;
}

/**
 * The append-only journal next to the state file (`<state>.journal.ndjson`): one JSON record
 * a line, each fsynced before `append` resolves. Appends made while a write is in flight are
 * batched into the next write and fsync (group commit), so parallel actions do not queue
 * behind one fsync each.
 */
export class Journal {
  readonly path: string;
  #handle: FileHandle | undefined;
  #queue: { readonly line: string; readonly resolve: () => void; readonly reject: (e: unknown) => void }[] = [];
  #busy = false;
  #flushed: Promise<void> = Promise.resolve();
  /** The tail may hold a partial line (a crash or a failed write): cut it before appending. */
  #repairTail = true;

  constructor(path: string) {
    this.path = path;
  }

  /**
   * Every complete record, in order; a missing file is an empty journal. Read in 1 MiB
   * chunks and parsed line by line: the journal of a long apply may be longer than a
   * JavaScript string can be.
   */
  async read(): Promise<JournalContent> {
    const records: StoredRecord[] = [];
    let lineNo = 0;
    const take = (line: string): void => {
      lineNo++;
      const at = { file: this.path, line: lineNo };
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new PumphouseError('PH_STATE_INVALID', `journal line ${lineNo} is not JSON; it and the lines after it cannot be trusted`, { location: at });
      }
      const problem = checkRecord(value);
      if (problem) {
        throw new PumphouseError('PH_STATE_INVALID', `journal line ${lineNo} is not a valid record: ${problem}`, { location: { ...at, field: problem.split(' ')[0] ?? '' } });
      }
      records.push(value as StoredRecord);
    };
    // Bytes of a line that began in an earlier chunk.
    let carry: Buffer[] = [];
    let fh: FileHandle;
    try {
      fh = await open(this.path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], torn: null };
      throw this.#ioError('read', err);
    }
    try {
      const buffer = Buffer.allocUnsafe(READ_CHUNK);
      for (;;) {
        let bytesRead: number;
        try {
          ({ bytesRead } = await fh.read(buffer, 0, READ_CHUNK, null));
        } catch (err) {
          throw this.#ioError('read', err);
        }
        if (bytesRead === 0) break;
        let from = 0;
        for (let nl = buffer.indexOf(0x0a, from); nl !== -1 && nl < bytesRead; nl = buffer.indexOf(0x0a, from)) {
          if (carry.length > 0) {
            carry.push(buffer.subarray(from, nl));
            take(Buffer.concat(carry).toString('utf8'));
            carry = [];
          } else {
            take(buffer.toString('utf8', from, nl));
          }
          from = nl + 1;
        }
        // The buffer is reused by the next read: keep a copy of the unfinished line.
        if (from < bytesRead) carry.push(Buffer.from(buffer.subarray(from, bytesRead)));
      }
    } finally {
      await fh.close();
    }
    const tornBytes = carry.reduce((n, b) => n + b.length, 0);
    return { records, torn: tornBytes > 0 ? { bytes: tornBytes, line: lineNo + 1 } : null };
  }

  /**
   * Appends one record on top of state serial `baseSerial` and resolves once it is on disk
   * (fsync). Rejects with PH_STATE_IO if it could not be written: the step it describes
   * must then be treated as not recorded.
   */
  append(record: JournalRecord, baseSerial: number): Promise<void> {
    const line = `${JSON.stringify({ base_serial: baseSerial, ...record })}\n`;
    return new Promise((resolve, reject) => {
      this.#queue.push({ line, resolve, reject });
      if (!this.#busy) {
        this.#busy = true;
        this.#flushed = this.#flush();
      }
    });
  }

  async #flush(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0);
        try {
          const fh = await this.#open();
          if (this.#repairTail) await this.#cutPartialLine(fh);
          await fh.appendFile(batch.map((b) => b.line).join(''), 'utf8');
          await fh.datasync();
          for (const b of batch) b.resolve();
        } catch (err) {
          // The write may have left part of a line behind: cut it before the next append.
          this.#repairTail = true;
          const error = this.#ioError('append to', err);
          for (const b of batch) b.reject(error);
        }
      }
    } finally {
      // Set in the same synchronous run as the emptiness check above, so an append arriving
      // now either sees the queue drained and starts a flush, or was already taken.
      this.#busy = false;
    }
  }

  /** Empties the journal (after its records were written into the state file). */
  async truncate(): Promise<void> {
    await this.#drained();
    try {
      let fh = this.#handle;
      if (!fh) {
        try {
          fh = await open(this.path, 'r+');
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
          throw err;
        }
        try {
          await fh.truncate(0);
          await fh.sync();
        } finally {
          await fh.close();
        }
        return;
      }
      await fh.truncate(0);
      await fh.sync();
      this.#repairTail = false;
    } catch (err) {
      throw this.#ioError('truncate', err);
    }
  }

  /** Waits for queued appends and closes the file. */
  async close(): Promise<void> {
    await this.#drained();
    const fh = this.#handle;
    this.#handle = undefined;
    this.#repairTail = true;
    await fh?.close();
  }

  async #drained(): Promise<void> {
    while (this.#busy) await this.#flushed;
  }

  async #open(): Promise<FileHandle> {
    if (this.#handle) return this.#handle;
    const fh = await open(this.path, 'a+', 0o600);
    this.#handle = fh;
    // A new file's directory entry must be durable too, or the fsynced lines could vanish.
    await syncDir(dirname(this.path));
    return fh;
  }

  /** Truncates the file after its last newline (drops a torn last line). */
  async #cutPartialLine(fh: FileHandle): Promise<void> {
    const { size } = await fh.stat();
    let end = size;
    const chunk = Buffer.alloc(64 * 1024);
    let keep = 0;
    scan: while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await fh.read(chunk, 0, end - start, start);
      for (let i = bytesRead - 1; i >= 0; i--) {
        if (chunk[i] === 0x0a) {
          keep = start + i + 1;
          break scan;
        }
      }
      end = start;
    }
    if (keep !== size) {
      await fh.truncate(keep);
      await fh.sync();
    }
    this.#repairTail = false;
  }

  #ioError(verb: string, err: unknown): PumphouseError {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return new PumphouseError('PH_STATE_IO', `could not ${verb} the journal (${reason})`, {
      cause: err,
      location: { file: this.path },
    });
  }
}
