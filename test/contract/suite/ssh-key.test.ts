import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { newSshPublicKey } from './ssh-key.js';

test('an OpenSSH ed25519 line whose MD5 fingerprint is that of its key blob', () => {
  const k = newSshPublicKey('who@where');
  const [type, b64, comment] = k.line.split(' ');
  assert.equal(type, 'ssh-ed25519');
  assert.equal(comment, 'who@where');
  const blob = Buffer.from(b64 as string, 'base64');
  assert.equal(blob.readUInt32BE(0), 11);
  assert.equal(blob.subarray(4, 15).toString(), 'ssh-ed25519');
  assert.equal(blob.readUInt32BE(15), 32);
  assert.equal(blob.length, 4 + 11 + 4 + 32);
  assert.equal(k.md5Fingerprint, createHash('md5').update(blob).digest('hex').match(/../g)?.join(':'));
  assert.notEqual(newSshPublicKey('x').line, newSshPublicKey('x').line);
});
