import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { PumphouseError } from '../../errors/index.js';

/**
 * The original source password hashes of users that apply gave a temporary password (to read
 * their keypairs on a legacy Nova), kept until each one is restored. The only place such a
 * hash is ever written: never the state, journal, events or logs.
 */
export interface OwnerPasswordRecovery {
  /** The file, for messages (never its content). */
  readonly path: string;
  /** Hashes still to restore, by source user id (the first recorded line of a user wins: it holds the original). */
  entries(): Promise<ReadonlyMap<string, string>>;
  /** Appends `userId`'s original hash, fsynced, before anything changes that user. */
  record(userId: string, hash: string): Promise<void>;
  /** Drops `userId`'s lines once its hash is restored (the file is rewritten atomically; removed when empty). */
  forget(userId: string): Promise<void>;
}

/**
 * A recovery file at `path`, mode 0600, one `user id <TAB> hash` line per user, each append
 * fsynced. Callers serialize their calls (OwnerTokens does): concurrent rewrites would lose lines.
 */
export function ownerPasswordRecoveryFile(path: string): OwnerPasswordRecovery {
  const fail = (doing: string, err: unknown): PumphouseError => {
    const code = (err as NodeJS.ErrnoException).code;
    return new PumphouseError('PH_STATE_IO', `could not ${doing} the password recovery file ${path}${code ? ` (${code})` : ''}`, {
      details: { path },
    });
  };
  const lines = async (): Promise<[string, string][]> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw fail('read', err);
    }
    const out: [string, string][] = [];
    // The piece after the last newline is empty, or a line torn by a crash during its append:
    // that user's hash was not changed yet (the temporary one is written after the fsync).
    for (const line of text.split('\n').slice(0, -1)) {
      const tab = line.indexOf('\t');
      if (tab <= 0) continue;
      out.push([line.slice(0, tab), line.slice(tab + 1)]);
    }
    return out;
  };
  return {
    path,
    async entries() {
      const map = new Map<string, string>();
      for (const [user, hash] of await lines()) if (!map.has(user)) map.set(user, hash);
      return map;
    },
    async record(userId, hash) {
      if (/[\t\n]/.test(userId) || /[\t\n]/.test(hash) || hash === '') {
        throw new PumphouseError('PH_INTERNAL', `refusing to record an unusable password hash for user ${userId}`, { source: 'internal' });
      }
      let fh;
      try {
        fh = await open(path, 'a', 0o600);
        await fh.chmod(0o600);
        await fh.appendFile(`${userId}\t${hash}\n`);
        await fh.sync();
      } catch (err) {
        throw fail('write', err);
      } finally {
        await fh?.close();
      }
      await syncDir(path);
    },
    async forget(userId) {
      const kept = (await lines()).filter(([u]) => u !== userId);
      try {
        if (kept.length === 0) {
          await rm(path, { force: true });
        } else {
          const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
          const fh = await open(tmp, 'w', 0o600);
          try {
            await fh.writeFile(kept.map(([u, h]) => `${u}\t${h}\n`).join(''));
            await fh.sync();
          } finally {
            await fh.close();
          }
          await rename(tmp, path);
        }
      } catch (err) {
        throw fail('rewrite', err);
      }
      await syncDir(path);
    },
  };
}

async function syncDir(path: string): Promise<void> {
  try {
    const dir = await open(dirname(path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    // Some filesystems refuse fsync on a directory; the file's own fsync is what matters most.
  }
}
