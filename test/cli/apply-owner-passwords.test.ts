// `apply --owner-passwords-file FILE`: declared on the apply command (so --help lists it) and
// handed to the app as `ownerPasswordsPath`, where keypair owners' original source hashes wait.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProgram } from '../../src/cli/program.js';

describe('apply --owner-passwords-file', () => {
  test('is an option of apply, described in its help with the default', () => {
    const program = buildProgram(new AbortController().signal);
    const apply = program.commands.find((c) => c.name() === 'apply');
    assert.ok(apply);
    const opt = apply.options.find((o) => o.long === '--owner-passwords-file');
    assert.ok(opt, 'declared');
    assert.equal(opt.attributeName(), 'ownerPasswordsFile');
    assert.match(apply.helpInformation().replace(/\s+/g, ' '), /--owner-passwords-file <file> .*pumphouse\.owner-passwords beside the state file/);
  });
});
