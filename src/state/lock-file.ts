import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncDir } from './atomic-write.js';
import type { LockInfo } from './types.js';

/**
 * Low-level operations on the lock file `<state>.lock` and its short-lived companion
 * `<state>.lock.takeover`, the mutex that serialises every change to an existing lock
 * (renewal, takeover of an expired lease, release, force-unlock) so that a check of the
 * lock's ID and the change that follows cannot interleave with another process's.
 */

/** The lock file of a state file. */
export function lockPathFor(statePath: string): string {
  return `${statePath}.lock`;
}

/**
 * Creates the lock file with `info` if there is none. The content is written to a private
 * temp file first and then hard-linked into place: link() fails with EEXIST atomically, and
 * a reader never sees a half-written lock. Returns false when another lock exists.
 */
export async function createLockFile(lockPath: string, info: LockInfo): Promise<boolean> {
  const tmp = `${lockPath}.${info.ID}.tmp`;
  await writeSynced(tmp, info, 'wx');
  try {
    await link(tmp, lockPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw err;
    // No hard links here (some network and FUSE file systems): O_EXCL create instead.
    try {
      await writeSynced(lockPath, info, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  await syncDir(dirname(lockPath));
  return true;
}

/** Replaces the content of an existing lock (renewal), atomically. Call under the mutex. */
export async function replaceLockFile(lockPath: string, info: LockInfo): Promise<void> {
  const tmp = `${lockPath}.${info.ID}.renew`;
  await writeSynced(tmp, info, 'w');
  try {
    await rename(tmp, lockPath);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** What the lock file says; `unreadable` when it exists but is not a lock we can parse. */
export type LockFileContent =
  | { readonly state: 'absent' }
  | { readonly state: 'held'; readonly info: LockInfo }
  | { readonly state: 'unreadable'; readonly modifiedMs: number };

export async function readLockFile(lockPath: string): Promise<LockFileContent> {
  let text: string;
  try {
    text = await readFile(lockPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'absent' };
    throw err;
  }
  try {
    const info = JSON.parse(text) as LockInfo;
    if (typeof info.ID === 'string' && typeof info.expires_at === 'string') return { state: 'held', info };
  } catch {
    // fall through
  }
  const st = await stat(lockPath).catch(() => undefined);
  return st ? { state: 'unreadable', modifiedMs: st.mtimeMs } : { state: 'absent' };
}

/** A mutex file older than this belongs to a process that died inside a few-ms section. */
const MUTEX_STALE_MS = 10_000;

/**
 * Runs `fn` holding `<lock>.takeover` (created O_EXCL). Waits up to `waitMs` (polling every
 * 20 ms; holders keep it for milliseconds) and returns `undefined` if it stays busy.
 */
export async function withLockMutex<T>(lockPath: string, fn: () => Promise<T>, waitMs = 2_000): Promise<{ readonly value: T } | undefined> {
  const mutex = `${lockPath}.takeover`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fh = await open(mutex, 'wx', 0o600);
      await fh.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const st = await stat(mutex).catch(() => undefined);
      if (st && Date.now() - st.mtimeMs > MUTEX_STALE_MS) {
        await unlink(mutex).catch(() => undefined);
        continue;
      }
      if (Date.now() >= deadline) return undefined;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  try {
    return { value: await fn() };
  } finally {
    await unlink(mutex).catch(() => undefined);
  }
}

async function writeSynced(path: string, info: LockInfo, flags: 'w' | 'wx'): Promise<void> {
  const fh = await open(path, flags, 0o644);
  try {
    await fh.writeFile(`${JSON.stringify(info, null, 2)}\n`, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
}

