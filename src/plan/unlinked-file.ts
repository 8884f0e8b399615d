import { randomUUID } from 'node:crypto';
import { openSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A new file in `dir` (`.pumphouse-<what>.<pid>.<random>.<ext>`, mode 0600), unlinked at once
 * so that its disk space goes back when the descriptor is closed, whatever happens to the
 * process. Answers the descriptor; file-system errors are thrown as they come.
 */
export function openUnlinkedFile(dir: string, what: string, ext: string): number {
  const path = join(dir, `.pumphouse-${what}.${process.pid}.${randomUUID().slice(0, 8)}.${ext}`);
  const fd = openSync(path, 'wx+', 0o600);
  try {
    unlinkSync(path);
  } catch {
    // Some filesystems do not unlink open files; the file then goes with close().
  }
  return fd;
}
