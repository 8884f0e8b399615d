/**
 * One copy of each repeated string of an inventory. JSON.parse makes a new string for every
 * value it reads, so a project id held by 10 servers, 12 ports and 30 rules is 50 copies; at
 * 10,000 tenants the source inventory held ~67 MiB of such copies (280 -> 213 MiB when every
 * string was pooled once), and it stays in the heap through planning. Used by the record
 * mappers for the fields that repeat (ids of projects, users, networks, subnets, groups,
 * images, servers (ports name them); statuses, hosts, names of groups); a record's own unique
 * values (a port's id, MACs, addresses) are left alone so the pool stays small. Lives for one
 * inventory's mapping.
 */
export class StringPool {
  readonly #strings = new Map<string, string>();
  readonly #few = new Map<string, string>();

  /** The pool's copy of `s` (the first one seen). */
  of<T extends string>(s: T): T {
    const known = this.#strings.get(s);
    if (known !== undefined) return known as T;
    this.#strings.set(s, s);
    return s;
  }

  /** of() for a value that may be null. */
  maybe<T extends string | null | undefined>(s: T): T {
    return (typeof s === 'string' ? this.of(s) : s) as T;
  }

  /**
   * of() for a field with few distinct values however many records there are (statuses,
   * hosts, device owners, rule directions): kept apart from the ids, this map stays small
   * enough to be answered from the CPU's cache (at 10,000 tenants the lookups in one map of
   * every id cost ~0.2 us each, mostly cache misses).
   */
  few<T extends string | null | undefined>(s: T): T {
    if (typeof s !== 'string') return s;
    const known = this.#few.get(s);
    if (known !== undefined) return known as T;
    this.#few.set(s, s);
    return s;
  }

  /** A new array of few()'s copies. */
  allFew(list: readonly string[]): string[] {
    const out = new Array<string>(list.length);
    for (let i = 0; i < list.length; i++) out[i] = this.few(list[i]!);
    return out;
  }

  /** A new array of the pool's copies. */
  all(list: readonly string[]): string[] {
    const out = new Array<string>(list.length);
    for (let i = 0; i < list.length; i++) out[i] = this.of(list[i]!);
    return out;
  }
}

/** Keeps every string as it is: for record mappers called one record at a time. */
class NoPool extends StringPool {
  override of<T extends string>(s: T): T {
    return s;
  }

  override few<T extends string | null | undefined>(s: T): T {
    return s;
  }
}

export const NO_POOL: StringPool = new NoPool();
