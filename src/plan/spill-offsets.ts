/**
 * Where each spilled action's text is in the spill file, by the action's ordinal (its place
 * in the spill): its start, its length, and where its two holes (`depends_on`, `reason`) go,
 * from its start. Kept in typed arrays of BLOCK actions each, off the heap, instead of four
 * numbers on each of 610,000 SpilledActions (and without the copies a doubling array makes).
 *
 * The plan text thread writes a big spill's text and records these there; the main thread
 * appends what it is told (`append`) when it first needs an action's place.
 */
export class SpillOffsets {
  readonly #starts: Float64Array[] = [];
  /** length, dependsAt, reasonAt per action. */
  readonly #rest: Uint32Array[] = [];
  #count = 0;
  /** Ordinals below this were handed out by `take` and their blocks may be gone. */
  #taken = 0;

  /** Number of actions recorded. */
  get count(): number {
    return this.#count;
  }

  /** Records the next action's place. */
  push(start: number, length: number, dependsAt: number, reasonAt: number): void {
    const i = this.#count++;
    const b = i >>> SHIFT;
    if (b === this.#starts.length) {
      this.#starts.push(new Float64Array(BLOCK));
      this.#rest.push(new Uint32Array(3 * BLOCK));
    }
    const j = i & MASK;
    this.#starts[b]![j] = start;
    const rest = this.#rest[b]!;
    rest[3 * j] = length;
    rest[3 * j + 1] = dependsAt;
    rest[3 * j + 2] = reasonAt;
  }

  start(i: number): number {
    return this.#starts[i >>> SHIFT]![i & MASK]!;
  }

  length(i: number): number {
    return this.#rest[i >>> SHIFT]![3 * (i & MASK)]!;
  }

  dependsAt(i: number): number {
    return this.#rest[i >>> SHIFT]![3 * (i & MASK) + 1]!;
  }

  reasonAt(i: number): number {
    return this.#rest[i >>> SHIFT]![3 * (i & MASK) + 2]!;
  }

  /**
   * The places recorded since the last take, as two arrays to transfer (starts; length,
   * dependsAt, reasonAt per action); the blocks wholly handed out are let go (the thread keeps
   * nothing it has told).
   */
  take(): SpillPlaces {
    const from = this.#taken;
    const n = this.#count - from;
    const starts = new Float64Array(n);
    const rest = new Uint32Array(3 * n);
    for (let k = 0; k < n; k++) {
      const i = from + k;
      const b = i >>> SHIFT;
      const j = i & MASK;
      starts[k] = this.#starts[b]![j]!;
      rest[3 * k] = this.#rest[b]![3 * j]!;
      rest[3 * k + 1] = this.#rest[b]![3 * j + 1]!;
      rest[3 * k + 2] = this.#rest[b]![3 * j + 2]!;
    }
    this.#taken = this.#count;
    // Blocks before the current one are done with (kept as empty arrays: indexes stay put).
    for (let b = 0; b < this.#taken >>> SHIFT; b++) {
      if (this.#starts[b]!.length > 0) {
        this.#starts[b] = EMPTY_STARTS;
        this.#rest[b] = EMPTY_REST;
      }
    }
    return { starts, rest };
  }

  /** Appends places told by `take` (on the other side). */
  append(places: SpillPlaces): void {
    const { starts, rest } = places;
    for (let k = 0; k < starts.length; k++) this.push(starts[k]!, rest[3 * k]!, rest[3 * k + 1]!, rest[3 * k + 2]!);
  }
}

/** Places of consecutive actions (see SpillOffsets.take). */
export interface SpillPlaces {
  readonly starts: Float64Array;
  readonly rest: Uint32Array;
}

const SHIFT = 16;
const BLOCK = 1 << SHIFT;
const MASK = BLOCK - 1;
const EMPTY_STARTS = new Float64Array(0);
const EMPTY_REST = new Uint32Array(0);
