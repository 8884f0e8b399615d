import { createHash, type Hash } from 'node:crypto';
import type { DigestAlgorithm } from '../types.js';
import type { Digester, Digests } from './digester.js';

/** The digests on the calling thread: cheap to start, for small transfers. */
export class InlineDigester implements Digester {
  readonly #hashes: readonly Hash[];

  constructor(readonly algorithms: readonly DigestAlgorithm[]) {
    this.#hashes = algorithms.map((a) => createHash(a));
  }

  update(chunk: Uint8Array): void {
    for (const h of this.#hashes) h.update(chunk);
  }

  async digest(): Promise<Digests> {
    return Object.fromEntries(this.algorithms.map((a, i) => [a, this.#hashes[i]!.digest('hex')])) as Digests;
  }

  destroy(): void {}
}
