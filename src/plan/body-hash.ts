import { createHash, type Hash } from 'node:crypto';

// How the writer places the checksum member: after `actions` and `applyable` (keys sorting
// before it), one space of indent. A raw newline never occurs inside a JSON string, so these
// bytes can only be a top-level member.
const MEMBER = Buffer.from(',\n "checksum": "');
const HEX_AND_QUOTE = 65;
const EMPTY = Buffer.alloc(0);

/**
 * The sha256 of a plan file's bytes without its checksum member (`,\n "checksum": "<hex>"`),
 * fed chunk by chunk as the file is read. A canonical file without that member is exactly the
 * text the file's checksum was computed over, so when this digest equals the checksum, the
 * bytes are what the writer made and the reader need not write the parsed plan again to
 * compare (at 610,000 actions that pass was 40% of reading).
 * `digest()` is undefined when the member was not found in that form (then the caller checks
 * the slow way, which also words the problem).
 *
 * It also gives the sha256 of all the bytes (`fileDigest()`): the two digests share every byte
 * before the member (all the actions: the member comes after them), so that prefix is hashed
 * once and the hash state is copied where they part (hashing 750 MB twice was 0.6 s).
 */
export class BodyHash {
  /** The bytes without the member; before the member is found, also the bytes so far. */
  readonly #hash: Hash = createHash('sha256');
  /** All the bytes, from where the member was found (a copy of #hash there). */
  #file: Hash | undefined;
  #fileHex: string | undefined;
  /** Bytes not yet hashed (at most MEMBER.length - 1 while searching), copied: chunks are reused. */
  #held: Buffer = EMPTY;
  #state: 'search' | 'skip' | 'after' = 'search';
  #skipped = '';

  push(chunk: Uint8Array): void {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const held = this.#held;
    if (held.length === 0) return this.#take(buf);
    this.#held = EMPTY;
    // Held bytes (the end of the last chunk) may begin the member: it is then found in them and
    // the first bytes of this chunk, without copying the whole chunk behind them.
    if (buf.length < MEMBER.length) return this.#take(Buffer.concat([held, buf]));
    const joint = Buffer.concat([held, buf.subarray(0, MEMBER.length - 1)]);
    const at = joint.indexOf(MEMBER);
    if (at >= 0 && at < held.length) {
      this.#take(joint);
      this.#take(buf.subarray(MEMBER.length - 1));
      return;
    }
    this.#hash.update(held);
    this.#take(buf);
  }

  /** Hashes `buf` (the bytes after those taken so far; any held ones are hashed or in `buf`). */
  #take(chunk: Buffer): void {
    let buf = chunk;
    if (this.#state === 'search') {
      const at = buf.indexOf(MEMBER);
      if (at < 0) {
        const keep = Math.min(buf.length, MEMBER.length - 1);
        this.#hash.update(buf.subarray(0, buf.length - keep));
        // A copy: the caller's buffer is reused.
        this.#held = Buffer.from(buf.subarray(buf.length - keep));
        return;
      }
      this.#hash.update(buf.subarray(0, at));
      this.#file = this.#hash.copy();
      this.#file.update(MEMBER);
      buf = buf.subarray(at + MEMBER.length);
      this.#state = 'skip';
    }
    if (this.#state === 'skip') {
      const take = Math.min(buf.length, HEX_AND_QUOTE - this.#skipped.length);
      this.#skipped += buf.subarray(0, take).toString('latin1');
      this.#file!.update(buf.subarray(0, take));
      buf = buf.subarray(take);
      if (this.#skipped.length < HEX_AND_QUOTE) return;
      this.#state = 'after';
    }
    this.#hash.update(buf);
    this.#file!.update(buf);
  }

  /** Hex sha256 of every byte pushed (call once all are; digest() may come before or after). */
  fileDigest(): string {
    if (this.#fileHex === undefined) {
      if (this.#file) this.#fileHex = this.#file.digest('hex');
      else this.#fileHex = this.#hash.copy().update(this.#held).digest('hex');
    }
    return this.#fileHex;
  }

  /** The digest of the bytes without the checksum member, and the checksum that member held. */
  digest(): { readonly body: string; readonly checksum: string } | undefined {
    if (this.#state !== 'after' || !this.#skipped.endsWith('"')) return undefined;
    return { body: this.#hash.digest('hex'), checksum: this.#skipped.slice(0, -1) };
  }
}
