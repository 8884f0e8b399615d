import { randomUUID } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { resolve } from 'node:path';
import { emit, type Reporter } from '../events/index.js';
import { PumphouseError } from '../errors/index.js';
import { createLockFile, lockPathFor, readLockFile, replaceLockFile, withLockMutex, type LockFileContent } from './lock-file.js';
import { toolVersion } from '../package-info.js';
import type { LockInfo } from './types.js';

export interface AcquireOptions {
  /** What the lock is for (`apply`, `state rm`); shown to anyone who finds it taken. */
  readonly operation: string;
  /** Free text shown with the lock, e.g. the plan id. */
  readonly info?: string;
  /** `user@host`; defaults to the current user and host. */
  readonly who?: string;
  /** How long to wait for a lock held by someone else (`--lock-timeout`); 0 = do not wait. */
  readonly timeoutMs?: number;
  /** The lease: the lock expires unless renewed within this time. Renewed every third. */
  readonly leaseMs?: number;
  /** Retry delays while waiting: doubled from `initialMs` up to `maxMs` (1 s -> 16 s). */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  readonly reporter?: Reporter;
  /** Stops waiting (PH_ABORTED). */
  readonly signal?: AbortSignal;
}

/** Longer than a stale takeover mutex lives (lock-file.ts), for operations that must happen. */
const MUTEX_WAIT_MS = 12_000;

/** Default lease: long enough for a loaded machine to renew in time, short enough for CI. */
export const DEFAULT_LEASE_MS = 60_000;

/**
 * The lease lock on a state file (`<state>.lock`). Holding it is what entitles a process to
 * append to the journal and write the state. It is renewed by a heartbeat every third of the
 * lease; a holder that stops renewing (killed, frozen) loses it once the lease runs out and
 * any waiter may take it over. `signal` aborts if this holder finds its lock gone.
 */
export class StateLock {
  readonly statePath: string;
  readonly lockPath: string;
  #info: LockInfo;
  readonly #reporter: Reporter | undefined;
  readonly #lost = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #released = false;

  private constructor(statePath: string, info: LockInfo, reporter: Reporter | undefined) {
    this.statePath = statePath;
    this.lockPath = lockPathFor(statePath);
    this.#info = info;
    this.#reporter = reporter;
  }

  /** The lock as last written by this holder. */
  get info(): LockInfo {
    return this.#info;
  }

  /** Aborted (with a PH_STATE_LOCKED reason) when the lock was removed or taken from us. */
  get signal(): AbortSignal {
    return this.#lost.signal;
  }

  /**
   * Takes the lock of the state file at `statePath`. If another live holder has it, waits
   * with backoff up to `timeoutMs`, then throws PH_STATE_LOCKED naming the holder, its
   * operation, when it took the lock, and the force-unlock command. A lock whose lease ran
   * out is taken over (warning event `lock_taken_over`).
   */
  static async acquire(statePath: string, options: AcquireOptions): Promise<StateLock> {
    const path = resolve(statePath);
    const lockPath = lockPathFor(path);
    const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    const timeoutMs = options.timeoutMs ?? 0;
    const started = Date.now();
    let delay = options.backoff?.initialMs ?? 1_000;
    const maxDelay = options.backoff?.maxMs ?? 16_000;
    for (;;) {
      if (options.signal?.aborted) throw aborted(path);
      const now = Date.now();
      const info: LockInfo = {
        ID: randomUUID(),
        Operation: options.operation,
        Info: options.info ?? '',
        Who: options.who ?? currentWho(),
        Version: toolVersion(),
        Created: new Date(now).toISOString(),
        Path: path,
        expires_at: new Date(now + leaseMs).toISOString(),
        lease_ms: leaseMs,
        pid: process.pid,
      };
      if (await createLockFile(lockPath, info)) {
        const lock = new StateLock(path, info, options.reporter);
        lock.#startHeartbeat();
        emit(options.reporter, 'lock_acquired', 'debug', `locked ${path} (lock ID ${info.ID})`, { id: info.ID, path });
        return lock;
      }
      const holder = await readLockFile(lockPath);
      if (holder.state === 'absent') continue;
      if (expired(holder, leaseMs)) {
        await takeOver(lockPath, holder, options.reporter);
        continue;
      }
      const waited = Date.now() - started;
      if (waited >= timeoutMs) throw lockedError(path, holder, waited);
      const pause = Math.min(delay, timeoutMs - waited);
      if (holder.state === 'held') {
        emit(options.reporter, 'lock_waiting', 'info', `waiting for the state lock held by ${holder.info.Who} (${holder.info.Operation})`, {
          id: holder.info.ID,
          path,
          who: holder.info.Who,
          operation: holder.info.Operation,
          created: holder.info.Created,
          retry_in_ms: pause,
        });
      }
      await sleep(pause, options.signal, path);
      delay = Math.min(delay * 2, maxDelay);
    }
  }

  /** Removes the lock if it is still ours and stops the heartbeat. Safe to call twice. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    clearInterval(this.#timer);
    if (this.#lost.signal.aborted) return;
    // Wait longer than a stale mutex lives, so a release is never skipped.
    await withLockMutex(
      this.lockPath,
      async () => {
        const current = await readLockFile(this.lockPath);
        if (current.state === 'held' && current.info.ID === this.#info.ID) await unlink(this.lockPath);
      },
      MUTEX_WAIT_MS,
    );
    emit(this.#reporter, 'lock_released', 'debug', `unlocked ${this.statePath}`, { id: this.#info.ID, path: this.statePath });
  }

  #startHeartbeat(): void {
    const every = Math.max(10, Math.floor(this.#info.lease_ms / 3));
    let busy = false;
    this.#timer = setInterval(() => {
      if (busy) return;
      busy = true;
      this.#renew()
        .catch((err: unknown) => this.#lose(`renewing it failed (${(err as NodeJS.ErrnoException).code ?? String(err)})`))
        .finally(() => {
          busy = false;
        });
    }, every);
    // The heartbeat alone must not keep a finished program alive.
    this.#timer.unref();
  }

  async #renew(): Promise<void> {
    if (this.#released || this.#lost.signal.aborted) return;
    const outcome = await withLockMutex(this.lockPath, async () => {
      const current = await readLockFile(this.lockPath);
      if (current.state !== 'held' || current.info.ID !== this.#info.ID) return current;
      const next = { ...this.#info, expires_at: new Date(Date.now() + this.#info.lease_ms).toISOString() };
      await replaceLockFile(this.lockPath, next);
      this.#info = next;
      return undefined;
    });
    // Mutex busy: someone is looking at the lock; try again at the next beat.
    if (!outcome || outcome.value === undefined) return;
    const current = outcome.value;
    this.#lose(current.state === 'held' ? `it was taken over by ${current.info.Who} (lock ID ${current.info.ID})` : 'the lock file was removed (force-unlock?)');
  }

  #lose(why: string): void {
    if (this.#lost.signal.aborted || this.#released) return;
    clearInterval(this.#timer);
    const message = `lost the lock on ${this.statePath}: ${why}`;
    emit(this.#reporter, 'lock_lost', 'error', message, { id: this.#info.ID, path: this.statePath, reason: why });
    this.#lost.abort(new PumphouseError('PH_STATE_LOCKED', message, { location: { file: this.statePath } }));
  }
}

/** The lock on a state file, or null when it is not locked (or the lock is unreadable). */
export async function readLock(statePath: string): Promise<LockInfo | null> {
  const content = await readLockFile(lockPathFor(resolve(statePath)));
  return content.state === 'held' ? content.info : null;
}

/**
 * Removes the lock of `statePath` if, and only if, its ID is exactly `id` (the operator's
 * proof that they looked at which lock they are breaking). Returns the removed lock.
 * No lock: PH_USAGE. Another ID: PH_STATE_LOCKED naming the real holder.
 */
export async function forceUnlock(statePath: string, id: string, reporter?: Reporter): Promise<LockInfo> {
  const path = resolve(statePath);
  const lockPath = lockPathFor(path);
  const outcome = await withLockMutex(
    lockPath,
    async () => {
      const current = await readLockFile(lockPath);
      if (current.state === 'held' && current.info.ID === id) await unlink(lockPath);
      return current;
    },
    MUTEX_WAIT_MS,
  );
  if (!outcome) throw new PumphouseError('PH_STATE_LOCKED', `the state lock is being changed by another process right now; try again`, { location: { file: path } });
  const current = outcome.value;
  if (current.state === 'absent') {
    throw new PumphouseError('PH_USAGE', `the state file is not locked; nothing to unlock`, { location: { file: path } });
  }
  if (current.state === 'unreadable') {
    throw new PumphouseError('PH_STATE_LOCKED', `the lock file is not readable as a lock; check that no pumphouse is running and delete it by hand`, {
      location: { file: lockPath },
    });
  }
  if (current.info.ID !== id) {
    throw new PumphouseError(
      'PH_STATE_LOCKED',
      `lock ID ${id} does not match the lock on the state file, which is ${current.info.ID} held by ${current.info.Who} for '${current.info.Operation}' since ${current.info.Created}; nothing was removed`,
      { location: { file: path }, details: { lock: current.info } },
    );
  }
  emit(reporter, 'lock_released', 'warn', `force-unlocked ${path} (lock ID ${id} held by ${current.info.Who})`, { id, path });
  return current.info;
}

function expired(holder: Exclude<LockFileContent, { state: 'absent' }>, leaseMs: number): boolean {
  // An unreadable lock gets our own lease, counted from its last modification.
  const until = holder.state === 'held' ? Date.parse(holder.info.expires_at) : holder.modifiedMs + leaseMs;
  return Number.isFinite(until) && until < Date.now();
}

/** Removes an expired lock, unless it was renewed or replaced meanwhile. */
async function takeOver(lockPath: string, holder: Exclude<LockFileContent, { state: 'absent' }>, reporter: Reporter | undefined): Promise<void> {
  const outcome = await withLockMutex(lockPath, async () => {
    const now = await readLockFile(lockPath);
    const same = holder.state === 'held' ? now.state === 'held' && now.info.ID === holder.info.ID && now.info.expires_at === holder.info.expires_at : now.state === 'unreadable';
    if (!same) return false;
    await unlink(lockPath);
    return true;
  });
  if (!outcome?.value) return;
  const prev = holder.state === 'held' ? holder.info : undefined;
  emit(
    reporter,
    'lock_taken_over',
    'warn',
    prev
      ? `took over the state lock ${prev.ID} of ${prev.Who} (pid ${prev.pid}, '${prev.Operation}'): its lease ran out at ${prev.expires_at} without renewal`
      : `removed an unreadable, expired lock file ${lockPath}`,
    { path: lockPath, previous_id: prev?.ID ?? null, previous_who: prev?.Who ?? null, expired_at: prev?.expires_at ?? null },
  );
}

function lockedError(path: string, holder: Exclude<LockFileContent, { state: 'absent' }>, waitedMs: number): PumphouseError {
  const waited = waitedMs > 0 ? ` after waiting ${Math.round(waitedMs / 1000)}s` : '';
  if (holder.state === 'unreadable') {
    return new PumphouseError('PH_STATE_LOCKED', `the state file is locked (unreadable lock file ${lockPathFor(path)})${waited}`, {
      location: { file: path },
    });
  }
  const h = holder.info;
  return new PumphouseError(
    'PH_STATE_LOCKED',
    `the state file is locked by ${h.Who} (pid ${h.pid}) for '${h.Operation}' since ${h.Created}, lease until ${h.expires_at}${waited}. ` +
      `If that operation is no longer running, remove the lock with: pumphouse force-unlock ${h.ID} --state ${path}`,
    { location: { file: path }, details: { lock: h } },
  );
}

function currentWho(): string {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
  return `${user}@${hostname()}`;
}

function aborted(path: string): PumphouseError {
  return new PumphouseError('PH_ABORTED', `stopped waiting for the lock on ${path}`);
}

function sleep(ms: number, signal: AbortSignal | undefined, path: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', onAbort);
      resolvePromise();
    }
    function onAbort(): void {
      clearTimeout(timer);
      reject(aborted(path));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
