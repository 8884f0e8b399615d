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
