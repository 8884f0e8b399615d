import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readObjectInChunks } from '../../src/json/read-in-chunks.js';

describe('readObjectInChunks', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ph-chunks-'));
  after(() => rm(dir, { recursive: true, force: true }));

  test('an object read 3 bytes at a time is what JSON.parse gives, and every chunk is seen', async () => {
    const text = JSON.stringify({ a: [1, { b: 'x"y' }, 'é'], c: { d: null }, a2: 2 }, null, 1);
    const path = join(dir, 'ok.json');
    await writeFile(path, text);
    const seen: Buffer[] = [];
    const read = await readObjectInChunks(path, 3, (chunk) => seen.push(Buffer.from(chunk)));
    assert.deepEqual(read.record, JSON.parse(text));
    assert.equal(read.issue, undefined);
    assert.equal(read.size, Buffer.byteLength(text));
    assert.equal(Buffer.concat(seen).toString('utf8'), text);
  });

  test('a syntax problem is answered, not thrown, and the rest of the file is still read', async () => {
    const text = '{"a": [1, 2 3], "b": "' + 'z'.repeat(100) + '"}';
    const path = join(dir, 'bad.json');
    await writeFile(path, text);
    let bytes = 0;
    const read = await readObjectInChunks(path, 8, (chunk) => (bytes += chunk.length));
    assert.equal(read.record, undefined);
    assert.ok(read.issue);
    assert.equal(read.issue.line, 1);
    assert.equal(read.size, text.length);
    assert.equal(bytes, text.length);
  });

  test('a text that ends early, or is not an object, is an issue', async () => {
    const short = join(dir, 'short.json');
    await writeFile(short, '{"a": 1');
    assert.match((await readObjectInChunks(short, 4)).issue?.message ?? '', /ends before the object/);
    const array = join(dir, 'array.json');
    await writeFile(array, '[1]');
    assert.equal((await readObjectInChunks(array, 4)).issue?.kind, 'not-object');
  });

  test('a missing file throws the file-system error', async () => {
    await assert.rejects(readObjectInChunks(join(dir, 'none.json'), 4), { code: 'ENOENT' });
  });
});
