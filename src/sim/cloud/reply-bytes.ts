/**
 * Encodes reply bodies into reused buffers. A fresh multi-megabyte Buffer per reply costs
 * more than the encoding itself (new pages from the kernel each time): paging through
 * 100,000 servers writes a hundred 1.6 MB bodies. Buffers go back to the pool only once the
 * response has finished (its bytes handed to the socket); a response cut before that drops
 * its buffer to the garbage collector.
 */
export class ReplyBytes {
  private readonly free: Buffer[] = [];

  /**
   * `minPooled`/`maxPooled`: bodies outside [min, max) characters get a buffer of their own
   * (small ones are cheap; huge ones, a whole table in one list, would pin their size).
   */
  constructor(
    private readonly minPooled = 64 * 1024,
    private readonly maxPooled = 8 * 1024 * 1024,
    private readonly keep = 8,
  ) {}

  /** The UTF-8 bytes of `text`, and what to call once they are no longer read. */
  encode(text: string): { readonly bytes: Buffer; readonly release: () => void } {
    if (text.length < this.minPooled || text.length >= this.maxPooled) return { bytes: Buffer.from(text), release: noop };
    const buf = this.take(text.length + 4) ?? Buffer.allocUnsafeSlow(Math.min(this.maxPooled + 4, Math.ceil((text.length * 1.25) / 65536) * 65536));
    const n = buf.write(text);
    // `write` stops before a character that does not fit: with at least 4 bytes to spare
    // (the longest UTF-8 character) every character was written.
    if (n > buf.length - 4) {
      this.give(buf);
      return { bytes: Buffer.from(text), release: noop };
    }
    return { bytes: buf.subarray(0, n), release: () => this.give(buf) };
  }

  private take(atLeast: number): Buffer | undefined {
    const i = this.free.findIndex((b) => b.length >= atLeast);
    return i < 0 ? undefined : this.free.splice(i, 1)[0];
  }

  private give(buf: Buffer): void {
    if (this.free.length < this.keep) this.free.push(buf);
  }
}

const noop = () => undefined;
