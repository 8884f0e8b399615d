import assert from 'node:assert/strict';
import { PumphouseError } from '../../src/errors/index.js';

/**
 * The PumphouseError `p` rejects with, for the test to look at (code, message, details); fails
 * the test when `p` resolves or rejects with anything else.
 */
export async function rejection(p: Promise<unknown>): Promise<PumphouseError> {
  try {
    await p;
  } catch (err) {
    assert.ok(PumphouseError.is(err), `expected a PumphouseError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}

/**
 * A validator for `assert.rejects` / `assert.throws`: the error is a PumphouseError with
 * `code`, and passes `check` when given.
 */
export function isCode(code: string, check?: (e: PumphouseError) => void): (err: unknown) => boolean {
  return (err: unknown): boolean => {
    assert.ok(PumphouseError.is(err), `expected a PumphouseError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    check?.(err);
    return true;
  };
}
