import { readSync } from 'node:fs';

/** Bytes read at once from a spill file (more than asked for, for the reads that follow). */
const READ_BLOCK = 256 << 10;

/**
 * Reads stretches of a spill file through a few recent blocks of READ_BLOCK bytes. Spilled text
 * is read back in the plan's dependency order, which visits the spill kind after kind but each
 * kind's run forward (the planner spills tenant after tenant within a kind), so a few blocks
 * answer most reads: a few thousand reads instead of one per action (1.8 million system calls
 * at 10,000 tenants). Used by the main thread (ActionSpill) and by the plan text thread
 * (SplicedWrite), each with its own reader.
 */
export class SpillReader {
  readonly #fd: number;
  readonly #keep: number;
  readonly #blocks: { at: number; length: number; bytes: Buffer }[] = [];

  /** `keep`: how many blocks are kept. */
  constructor(fd: number, keep: number) {
    this.#fd = fd;
    this.#keep = keep;
  }

  /**
   * Bytes [from, to) of the file, which must be written; good until the next call. A block read
   * goes no further than `readableTo` (bytes past it may still be in flight).
   */
  bytes(from: number, to: number, readableTo = Number.POSITIVE_INFINITY): Buffer {
    const blocks = this.#blocks;
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i]!;
      if (b.at <= from && to <= b.at + b.length) {
        if (i > 0) {
          blocks.splice(i, 1);
          blocks.unshift(b);
        }
        return b.bytes.subarray(from - b.at, to - b.at);
      }
    }
    const want = Math.max(to - from, Math.min(READ_BLOCK, readableTo - from));
    const reuse = blocks.length >= this.#keep ? blocks.pop()! : undefined;
    const bytes = reuse && reuse.bytes.length >= want ? reuse.bytes : Buffer.allocUnsafe(Math.max(want, READ_BLOCK));
    let got = 0;
    while (got < to - from) {
      const n = readSync(this.#fd, bytes, got, want - got, from + got);
      if (n === 0) throw new Error('the action spill file is shorter than what was written to it');
      got += n;
    }
    blocks.unshift({ at: from, length: got, bytes });
    return bytes.subarray(0, to - from);
  }

  /** Lets go of the blocks. */
  clear(): void {
    this.#blocks.length = 0;
  }
}
