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
   * The places recorded since the last take, as whole blocks to transfer (see SpillPlaces):
   * the full blocks themselves, let go here, and a copy of the block being filled (sent again,
   * with more, by the next take). Nothing is copied twice over: at 610,000 actions the places
   * are 12 MB, which a copy of everything would double on each side at the moment the plan is
   * written, when the heap is at its largest.
   */
  take(): SpillPlaces {
    const first = this.#taken >>> SHIFT;
    const last = this.#count >>> SHIFT;
    const blocks: { starts: Float64Array; rest: Uint32Array }[] = [];
    for (let b = first; b < last; b++) {
      blocks.push({ starts: this.#starts[b]!, rest: this.#rest[b]! });
      this.#starts[b] = EMPTY_STARTS;
      this.#rest[b] = EMPTY_REST;
    }
    const filled = this.#count & MASK;
    if (filled > 0 && this.#count > this.#taken) blocks.push({ starts: this.#starts[last]!.slice(0, filled), rest: this.#rest[last]!.slice(0, 3 * filled) });
    this.#taken = this.#count;
    return { first, blocks };
  }

  /** Takes in places told by `take` (on the other side), which continue what is here. */
  append(places: SpillPlaces): void {
    let b = places.first;
    for (const block of places.blocks) {
      const n = block.starts.length;
      if (b === this.#count >>> SHIFT && (this.#count & MASK) === 0 && n === BLOCK) {
        // A whole block, and this one has exactly the blocks before it: adopted as it is.
        this.#starts[b] = block.starts;
        this.#rest[b] = block.rest;
        this.#count += BLOCK;
      } else {
        for (let k = (b << SHIFT) + n > this.#count ? this.#count - (b << SHIFT) : n; k < n; k++) this.push(block.starts[k]!, block.rest[3 * k]!, block.rest[3 * k + 1]!, block.rest[3 * k + 2]!);
      }
      b++;
    }
  }

  /** The typed arrays to transfer with `places`. */
  static transfer(places: SpillPlaces): ArrayBuffer[] {
    return places.blocks.flatMap((b) => [b.starts.buffer as ArrayBuffer, b.rest.buffer as ArrayBuffer]);
  }
}

/**
 * Places of consecutive actions (see SpillOffsets.take): blocks from block number `first`,
 * each BLOCK actions but the last (starts; length, dependsAt, reasonAt per action).
 */
export interface SpillPlaces {
  readonly first: number;
  readonly blocks: readonly { readonly starts: Float64Array; readonly rest: Uint32Array }[];
}

const SHIFT = 16;
const BLOCK = 1 << SHIFT;
const MASK = BLOCK - 1;
const EMPTY_STARTS = new Float64Array(0);
const EMPTY_REST = new Uint32Array(0);

/** What ActionSpill.place answers: where an action's text starts, its length, where its holes go from its start. */
export const Place = { Start: 0, Length: 1, DependsAt: 2, ReasonAt: 3 } as const;
export type Place = (typeof Place)[keyof typeof Place];
