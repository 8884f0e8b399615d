import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { copy, type TransferSink, type TransferSource } from '../../src/transfer/index.js';
import { DataServer } from './support/data-server.js';
import { block, BLOCK, digestsOf } from './support/generated-bytes.js';
import { httpSink, httpSource } from './support/http-ends.js';
import { UploadServer } from './support/upload-server.js';

const MiB = 1024 * 1024;

// A live-memory reading needs garbage gone first: dead socket buffers would otherwise count.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const live = (): number => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

for (const hashing of ['inline', 'threads'] as const) {
  test(`a slow sink holds the source back: it never reads more than a few chunks ahead (${hashing} hashing)`, async () => {
    const size = 16 * MiB;
    let produced = 0;
    let consumed = 0;
    let lead = 0;
    let index = 0;
    const source: TransferSource = {
      open: async () => ({
        stream: new Readable({
          read() {
            if (produced >= size) return void this.push(null);
            produced += BLOCK;
            lead = Math.max(lead, produced - consumed);
            this.push(block(index++));
          },
        }),
        size,
        checksums: {},
      }),
    };
    const sink: TransferSink = {
      write: (stream) =>
        pipeline(
          stream,
          new Writable({
            highWaterMark: BLOCK,
            write(chunk: Buffer, _e, done) {
              setTimeout(() => {
                consumed += chunk.length;
                done();
              }, 1);
            },
          }),
        ),
      verify: async () => ({}),
      discard: async () => {},
    };
    const result = await copy(source, sink, { id: 'a', address: 'x', hashing });
    assert.equal(result.bytes, size);
    assert.equal(result.md5, digestsOf(size).md5);
    assert.ok(lead <= 1 * MiB, `the source ran ${lead} bytes ahead of the sink`);
  });
}

test('64 MiB through a slow HTTP destination: the process memory stays small (bounded, not proportional to size)', async () => {
  const size = 64 * MiB;
  const src = await DataServer.start({ size, claims: digestsOf(size) });
  const dst = await UploadServer.start({ bytesPerSecond: 32 * MiB });
  try {
    const baseline = live();
    let peak = baseline;
    const sampler = setInterval(() => void (peak = Math.max(peak, live())), 50);
    try {
      const result = await copy(httpSource(src.url), httpSink(`${dst.url}/big`), { id: 'a', address: 'x' });
      assert.equal(result.sha512, digestsOf(size).sha512);
    } finally {
      clearInterval(sampler);
    }
    const growth = peak - baseline;
    assert.ok(growth < 32 * MiB, `memory grew by ${(growth / MiB).toFixed(1)} MiB while copying 64 MiB`);
  } finally {
    await src.close();
    await dst.close();
  }
});
