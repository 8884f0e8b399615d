import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PumphouseError } from '../../src/errors/index.js';
import { BodyHash } from '../../src/plan/body-hash.js';
import { serializePlan, verifyPlanBytes } from '../../src/plan/index.js';
import { largePlan, smallPlan } from './fixtures.js';

const enc = (s: string) => new TextEncoder().encode(s);

function digestIn(bytes: Uint8Array, size: number): ReturnType<BodyHash['digest']> {
  const body = new BodyHash();
  for (let i = 0; i < bytes.length; i += size) body.push(bytes.subarray(i, i + size));
  return body.digest();
}

/** fileDigest() of `bytes` pushed `size` at a time, through a reused buffer; digest() asked first when `bodyFirst`. */
function fileDigestIn(bytes: Uint8Array, size: number, bodyFirst: boolean): string {
  const body = new BodyHash();
  const scratch = Buffer.alloc(size);
  for (let i = 0; i < bytes.length; i += size) {
    const n = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).copy(scratch, 0, i, i + size);
    body.push(scratch.subarray(0, n));
    scratch.fill(0x7a);
  }
  if (bodyFirst) body.digest();
  return body.fileDigest();
}

describe('BodyHash: the sha256 of all the bytes', () => {
  test('is the sha256 of the file, whatever the chunk size, with or without a (whole) member', () => {
    const text = serializePlan(smallPlan()).text;
    const files = [enc(text), enc(text.replace(/,\n "checksum": "[0-9a-f]{64}"/, '')), enc(text.slice(0, text.indexOf('\n "checksum"') + 30)), enc('')];
    for (const bytes of files) {
      const want = createHash('sha256').update(bytes).digest('hex');
      for (const size of [1, 2, 7, 15, 16, 17, 64, 65, 81, 4096, Math.max(1, bytes.length)]) {
        assert.equal(fileDigestIn(bytes, size, false), want, `chunks of ${size}`);
        assert.equal(fileDigestIn(bytes, size, true), want, `chunks of ${size}, body digest first`);
      }
    }
  });
});

describe('BodyHash: the file bytes without the checksum member', () => {
  test('hash to the checksum of every example and fixture plan, whatever the chunk size', () => {
    const files = [
      readFileSync(new URL('../../plans/example-small.plan.json', import.meta.url)),
      enc(serializePlan(smallPlan()).text),
      enc(serializePlan(largePlan()).text),
    ];
    for (const bytes of files) {
      const checksum = (JSON.parse(Buffer.from(bytes).toString('utf8')) as { checksum: string }).checksum;
      // Chunk edges inside the member's marker, inside the hex, on the closing quote.
      for (const size of [1, 2, 7, 15, 16, 17, 64, 65, 81, 4096, bytes.length]) {
        assert.deepEqual(digestIn(bytes, size), { body: checksum, checksum }, `chunks of ${size}`);
      }
    }
  });

  test('give nothing when the member is missing or cut short', () => {
    const text = serializePlan(smallPlan()).text;
    assert.equal(digestIn(enc(text.replace(/,\n "checksum": "[0-9a-f]{64}"/, '')), 100), undefined);
    const at = text.indexOf('\n "checksum"');
    assert.equal(digestIn(enc(text.slice(0, at + 30)), 100), undefined);
  });

  test('a file whose checksum member is moved out of key order is still refused as not canonical', () => {
    const text = serializePlan(smallPlan()).text;
    const member = /,\n "checksum": "[0-9a-f]{64}"/.exec(text)![0];
    // The bytes without the member are untouched (so they hash to the checksum); only its place changed.
    const moved = text.replace(member, '').replace('{\n "actions": ', `{\n${member.slice(2)},\n "actions": `);
    const relocated = text.replace(member, '').replace(/,\n "applyable"/, `${member},\n "applyable"`);
    assert.notEqual(relocated, text);
    assert.ok(moved.startsWith('{\n "checksum": "'));
    for (const bad of [relocated, moved]) {
      assert.throws(
        () => verifyPlanBytes(enc(bad)),
        (e: unknown) => PumphouseError.is(e) && e.code === 'PH_PLAN_TAMPERED' && /canonical/.test(e.message),
      );
    }
  });

  test('a checksum that is not the body hash falls back to the full check (one changed character)', () => {
    const text = serializePlan(smallPlan()).text;
    const name = smallPlan().actions.find((a) => a.kind === 'server')!.address;
    const edited = text.replace(name, name.replace(/.$/, (c) => (c === 'x' ? 'y' : 'x')));
    assert.notEqual(edited, text);
    assert.throws(
      () => verifyPlanBytes(enc(edited)),
      (e: unknown) => PumphouseError.is(e) && e.code === 'PH_PLAN_TAMPERED' && /checksum/.test(e.message),
    );
  });
});
