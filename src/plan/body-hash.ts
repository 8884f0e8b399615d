import { createHash, type Hash } from 'node:crypto';

// How the writer places the checksum member: after `actions` and `applyable` (keys sorting
// before it), one space of indent. A raw newline never occurs inside a JSON string, so these
// bytes can only be a top-level member.
const MEMBER = Buffer.from(',\n "checksum": "');
const HEX_AND_QUOTE = 65;

/**
 * The sha256 of a plan file's bytes without its checksum member (`,\n "checksum": "<hex>"`),
 * fed chunk by chunk as the file is read. A canonical file without that member is exactly the
 * text the file's checksum was computed over, so when this digest equals the checksum, the
 * bytes are what the writer made and the reader need not write the parsed plan again to
 * compare (at 610,000 actions that pass was 40% of reading).
 * `digest()` is undefined when the member was not found in that form (then the caller checks
 * the slow way, which also words the problem).
 */
export class BodyHash {
  readonly #hash: Hash = createHash('sha256');
  /** Bytes not yet hashed (at most MEMBER.length - 1 while searching), copied: chunks are reused. */
  #held: Buffer = Buffer.alloc(0);
  #state: 'search' | 'skip' | 'after' = 'search';
  #skipped = '';

  push(chunk: Uint8Array): void {
    let buf = this.#held.length > 0 ? Buffer.concat([this.#held, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.#held = Buffer.alloc(0);
    if (this.#state === 'search') {
      const at = buf.indexOf(MEMBER);
      if (at < 0) {
        const keep = Math.min(buf.length, MEMBER.length - 1);
        this.#hash.update(buf.subarray(0, buf.length - keep));
        this.#held = Buffer.from(buf.subarray(buf.length - keep));
        return;
      }
      this.#hash.update(buf.subarray(0, at));
      buf = buf.subarray(at + MEMBER.length);
      this.#state = 'skip';
    }
    if (this.#state === 'skip') {
      const take = Math.min(buf.length, HEX_AND_QUOTE - this.#skipped.length);
      this.#skipped += buf.subarray(0, take).toString('latin1');
      buf = buf.subarray(take);
      if (this.#skipped.length < HEX_AND_QUOTE) return;
      this.#state = 'after';
    }
    this.#hash.update(buf);
  }

  /** The digest of the bytes without the checksum member, and the checksum that member held. */
  digest(): { readonly body: string; readonly checksum: string } | undefined {
    if (this.#state !== 'after' || !this.#skipped.endsWith('"')) return undefined;
    return { body: this.#hash.digest('hex'), checksum: this.#skipped.slice(0, -1) };
  }
}
