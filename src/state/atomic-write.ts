import { randomBytes } from 'node:crypto';
import { copyFile, link, open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `path` with `data` so that, whatever the moment of a crash or power loss, `path`
 * holds either the complete old content or the complete new content:
 * temp file in the same directory -> write -> fsync -> (keep the old file as `backupPath`)
 * -> rename over `path` -> fsync the directory (so the rename itself is durable).
 * `data` may be pieces (written one after the other, so the whole text never has to exist
 * as one string). The temp file is removed if anything fails. Errors are the raw fs errors.
 */
export async function writeFileAtomic(path: string, data: string | Iterable<string>, options: { readonly backupPath?: string } = {}): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  let renamed = false;
  try {
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await writePieces(fh, data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (options.backupPath) await keepBackup(path, options.backupPath);
    await rename(tmp, path);
    renamed = true;
    await syncDir(dir);
  } finally {
    if (!renamed) await unlink(tmp).catch(() => undefined);
  }
}

/** Writes `data` (one string or pieces of it) at the file's current position. */
export async function writePieces(fh: FileHandle, data: string | Iterable<string>): Promise<void> {
  if (typeof data === 'string') return fh.writeFile(data, 'utf8');
  for (const piece of data) {
    const bytes = Buffer.from(piece, 'utf8');
    let at = 0;
    while (at < bytes.length) at += (await fh.write(bytes, at, bytes.length - at)).bytesWritten;
  }
}

/**
 * Makes `backupPath` a copy of the current `path` (nothing if there is none yet). A hard
 * link costs nothing and is safe because the state file is only ever replaced, never
 * modified in place; file systems without links get a copy. The backup is itself replaced
 * atomically, so a crash never leaves a half-written backup.
 */
async function keepBackup(path: string, backupPath: string): Promise<void> {
  const tmp = `${backupPath}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await link(path, tmp);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'EMLINK') throw err;
    await copyFile(path, tmp);
  }
  try {
    await rename(tmp, backupPath);
  } finally {
    // rename() between two links of one file does nothing and leaves `tmp` behind: that
    // happens when a killed write had already linked the state file as its backup.
    await unlink(tmp).catch(() => undefined);
  }
}

/** fsync of a directory; platforms that cannot (Windows) are skipped. */
export async function syncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw err;
  } finally {
    await fh?.close();
  }
}

/**
 * Removes temp files a killed writer left behind for `path` (and its backup). Only safe for
 * the holder of the lock: another writer's temp file would be in use.
 */
export async function removeLeftovers(path: string, backupPath: string): Promise<number> {
  const dir = dirname(path);
  const prefixes = [`.${basename(path)}.tmp-`, `${basename(backupPath)}.tmp-`];
  let removed = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!prefixes.some((p) => name.startsWith(p))) continue;
    await unlink(join(dir, name)).then(() => removed++, () => undefined);
  }
  return removed;
}
