/**
 * Where each action id sits in a plan's action list, for the consistency check's 600,000
 * lookups by id and 2.5 million by dependency. The planner's ids are 12 lowercase hex digits
 * (address.ts's actionId): those are held as two 24-bit numbers in one typed-array table
 * (open addressing, linear probing), where a lookup costs one memory access and no string
 * comparison; a Map of strings took three times as long at that size (it chases the key
 * strings, scattered over a 2 GB heap). Any other id goes to a Map.
 */
export class IdPositions {
  /** Slots of [high 24 bits, low 24 bits, position + 1 (0: empty)], SLOT numbers each. */
  #table: Int32Array;
  #mask: number;
  /** Ids that are not 12 hex digits. */
  readonly #other = new Map<string, number>();
  #used = 0;
  #limit: number;

  /** `expected`: about how many ids will be added (the table doubles when it fills up). */
  constructor(expected = 1024) {
    let slots = 16;
    while (slots < expected * 1.5) slots *= 2;
    this.#table = new Int32Array(slots * SLOT);
    this.#mask = slots - 1;
    this.#limit = slots * 0.75;
  }

  /** Records `id` at `position` unless it is there already; returns the earlier position, or -1. */
  add(id: string, position: number): number {
    const hi = id.length === 12 ? hexValue(id, 0) : -1;
    const lo = hi < 0 ? -1 : hexValue(id, 6);
    if (lo < 0) {
      const earlier = this.#other.get(id);
      if (earlier !== undefined) return earlier;
      this.#other.set(id, position);
      return -1;
    }
    if (this.#used >= this.#limit) this.#grow();
    const at = this.#slot(hi, lo);
    const table = this.#table;
    if (table[at + 2] !== 0) return table[at + 2]! - 1;
    table[at] = hi;
    table[at + 1] = lo;
    table[at + 2] = position + 1;
    this.#used++;
    return -1;
  }

  /** The position of `id`, or -1. */
  get(id: string): number {
    const hi = id.length === 12 ? hexValue(id, 0) : -1;
    const lo = hi < 0 ? -1 : hexValue(id, 6);
    if (lo < 0) return this.#other.size === 0 ? -1 : (this.#other.get(id) ?? -1);
    return this.#table[this.#slot(hi, lo) + 2]! - 1;
  }

  /** The offset in the table of the slot holding (hi, lo), or of the empty slot where it would go. */
  #slot(hi: number, lo: number): number {
    const table = this.#table;
    for (let slot = mix(hi, lo) & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const at = slot * SLOT;
      if (table[at + 2] === 0 || (table[at] === hi && table[at + 1] === lo)) return at;
    }
  }

  /** Twice the slots, every entry placed again. */
  #grow(): void {
    const old = this.#table;
    const slots = (this.#mask + 1) * 2;
    const table = new Int32Array(slots * SLOT);
    const mask = slots - 1;
    for (let at = 0; at < old.length; at += SLOT) {
      if (old[at + 2] === 0) continue;
      let slot = mix(old[at]!, old[at + 1]!) & mask;
      while (table[slot * SLOT + 2] !== 0) slot = (slot + 1) & mask;
      // Three copies, not set(subarray()): a view object per entry was 8 MB of garbage.
      const to = slot * SLOT;
      table[to] = old[at]!;
      table[to + 1] = old[at + 1]!;
      table[to + 2] = old[at + 2]!;
    }
    this.#table = table;
    this.#mask = mask;
    this.#limit = slots * 0.75;
  }
}

const SLOT = 3;

/** Value of each lowercase hex digit, by character code; -1 for any other character. */
const HEX = new Int8Array(128).fill(-1);
for (let c = 0; c < 16; c++) HEX[c.toString(16).charCodeAt(0)] = c;

/**
 * The value of the 6 characters of `id` from `from` as lowercase hex digits, or -1 when one is
 * not (an uppercase digit would make another id with the same number).
 */
function hexValue(id: string, from: number): number {
  let v = 0;
  for (let i = from; i < from + 6; i++) {
    const c = id.charCodeAt(i);
    const d = c < 128 ? HEX[c]! : -1;
    if (d < 0) return -1;
    v = (v << 4) | d;
  }
  return v;
}

function mix(hi: number, lo: number): number {
  // The ids are sha256 prefixes (evenly spread), but other hex ids may not be.
  const h = Math.imul(hi ^ Math.imul(lo, 0x9e3779b1), 0x85ebca6b);
  return (h ^ (h >>> 15)) >>> 0;
}
