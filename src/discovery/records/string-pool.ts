/**
 * One copy of each repeated string of an inventory. JSON.parse makes a new string for every
 * value it reads, so a project id held by 10 servers, 12 ports and 30 rules is 50 copies; at
 * 10,000 tenants the source inventory held ~67 MiB of such copies (280 -> 213 MiB when every
 * string was pooled once), and it stays in the heap through planning. Used by the record
 * mappers for the fields that repeat (ids other records point at, statuses, hosts, names of
 * groups); a record's own unique values (its id when nothing refers to it, MACs, addresses)
 * are left alone so the pool stays small. Lives for one assembleInventory() call.
 */
export class StringPool {
  readonly #strings = new Map<string, string>();

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
}

export const NO_POOL: StringPool = new NoPool();
