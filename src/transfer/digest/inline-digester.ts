import { createHash, type Hash } from 'node:crypto';
import type { Digester, Digests } from './digester.js';

/** md5 and sha512 on the calling thread: cheap to start, for small transfers. */
export class InlineDigester implements Digester {
  private readonly md5: Hash = createHash('md5');
  private readonly sha512: Hash = createHash('sha512');

  update(chunk: Uint8Array): void {
    this.md5.update(chunk);
    this.sha512.update(chunk);
  }

  async digest(): Promise<Digests> {
    return { md5: this.md5.digest('hex'), sha512: this.sha512.digest('hex') };
  }

  destroy(): void {}
}
