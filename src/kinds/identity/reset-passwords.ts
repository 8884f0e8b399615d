import { open } from 'node:fs/promises';
import { PumphouseError } from '../../errors/index.js';
import type { SecretValue } from '../contract.js';

/** One user's new password, handed to the operator (`identity.passwords: reset`). */
export interface ResetPassword {
  readonly address: string;
  readonly userName: string;
  /** The destination user id. */
  readonly userId: string;
  readonly password: SecretValue;
}

/**
 * Where reset passwords go once they are set. The library never prints: the application
 * chooses (a file only the operator can read, a vault...). Called after Keystone accepted
 * the password; a later delivery for the same user replaces an earlier one.
 */
export interface ResetPasswordSink {
  deliver(entry: ResetPassword): Promise<void>;
  /** Where the operator finds them, for messages (never the passwords). */
  readonly where: string;
}

/**
 * A sink appending `user name <TAB> user id <TAB> password` lines to `path`, created with
 * mode 0600 and fsynced per line. A user listed twice (a step run again after a crash) has
 * its valid password on the last line.
 */
export function resetPasswordFile(path: string): ResetPasswordSink {
  return {
    where: path,
    async deliver(entry) {
      let fh;
      try {
        fh = await open(path, 'a', 0o600);
        await fh.chmod(0o600);
        await fh.appendFile(`${entry.userName}\t${entry.userId}\t${entry.password.reveal()}\n`);
        await fh.sync();
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new PumphouseError('PH_STATE_IO', `${entry.address}: could not write the reset password to ${path}${code ? ` (${code})` : ''}`, {
          address: entry.address,
          details: { path },
        });
      } finally {
        await fh?.close();
      }
    },
  };
}
