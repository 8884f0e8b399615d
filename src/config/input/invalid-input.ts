import { PumphouseError, type ErrorCode, type Problem } from '../../errors/index.js';
import { sortProblems } from './schema-problems.js';

/**
 * The error for a file with problems: the message summarises ("3 problems"), `problems`
 * lists each with its file, line, column and field, and `location` names the file.
 */
export function invalidInput(code: ErrorCode, what: string, file: string, problems: readonly Problem[], summary = 'is invalid'): PumphouseError {
  const sorted = sortProblems(problems);
  const count = sorted.length === 1 ? '1 problem' : `${sorted.length} problems`;
  const headline = `${what} file ${summary} (${count})`;
  return new PumphouseError(code, headline, { location: { file }, problems: sorted });
}
