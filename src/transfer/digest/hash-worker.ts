/**
 * The code of one hashing thread, as CommonJS text for `new Worker(code, { eval: true })`:
 * a file entry point would need a different path under tsx and in dist/, text needs none.
 *
 * Shared memory layout (see ThreadedDigester): `ring` holds the bytes; `control` is a
 * BigInt64Array of [written, closed, read position of worker 0, of worker 1, ...]. The
 * thread hashes whatever lies between its read position and `written`, publishes its new
 * position (waking the writer if it waits for room), sleeps on `written` when caught up,
 * and answers its hex digest once `closed` is set and nothing is left, then idles until
 * terminated.
 */
export const HASH_WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { ring, control, algorithm, slot } = workerData;
const data = new Uint8Array(ring);
const c = new BigInt64Array(control);
const size = BigInt(data.length);
const SLICE = 1024 * 1024;
const hash = createHash(algorithm);
let read = 0n;
for (;;) {
  const written = Atomics.load(c, 0);
  if (written === read) {
    if (Atomics.load(c, 1) === 1n && Atomics.load(c, 0) === read) break;
    Atomics.wait(c, 0, written, 1000);
    continue;
  }
  while (read < written) {
    const offset = Number(read % size);
    const n = Math.min(Number(written - read), data.length - offset, SLICE);
    hash.update(data.subarray(offset, offset + n));
    read += BigInt(n);
    Atomics.store(c, slot, read);
    Atomics.notify(c, slot);
  }
}
parentPort.postMessage({ digest: hash.digest('hex') });
// Stay alive until terminated, so 'exit' always means a crash or our own terminate().
parentPort.on('message', () => {});
`;
