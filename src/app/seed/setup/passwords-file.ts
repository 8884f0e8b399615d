import { chmod, open, readFile, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PumphouseError } from '../../../errors/index.js';

/** Where setup keeps the passwords it generated: next to the state, readable by its owner only. */
export function passwordsPath(statePath: string): string {
  return join(dirname(statePath), `${basename(statePath).replace(/\.json$/i, '')}.setup-passwords.json`);
}

/** The users' passwords setup generated, by cloud auth URL and user name. */
export type PasswordBook = Record<string, Record<string, string>>;

/** Reads the file; an absent file is an empty book. Never puts a password in an error. */
export async function readPasswords(path: string): Promise<PasswordBook> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new PumphouseError('PH_STATE_IO', `cannot read the setup passwords file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { location: { file: path } });
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as PasswordBook;
  } catch {
    // fall through: the message must not quote the content
  }
  throw new PumphouseError('PH_STATE_INVALID', `the setup passwords file ${path} is not a JSON object; move it away and run setup again`, { location: { file: path } });
}

/**
 * Writes the book with mode 0600 (created so, and chmod-ed in case it existed), through a
 * temporary file renamed into place so a crash never leaves half a file.
 */
export async function writePasswords(path: string, book: PasswordBook): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(`${JSON.stringify(book, null, 2)}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await chmod(tmp, 0o600);
    await rename(tmp, path);
  } catch (err) {
    throw new PumphouseError('PH_STATE_IO', `cannot write the setup passwords file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { location: { file: path } });
  }
}
