/**
 * A store's write counter: tables bump it on every insert, put and delete, and the cloud on
 * everything that may change records in place (a request other than GET/HEAD, a clock
 * transition, the control endpoint). Views derived from many records (SimStore.derived) are
 * rebuilt when it moved.
 */
export class Changes {
  count = 0;
}

/**
 * One collection of records keyed by id, in insertion order. Records are plain mutable objects
 * (the store is the cloud's database): handlers change fields in place and call nothing else.
 * Keep records flat and share strings (no per-record closures) so 100k servers stay small.
 */
export class Table<T extends { readonly id: K }, K extends string | number = T['id']> {
  private readonly rows = new Map<K, T>();

  /** `changes`: the store's write counter, bumped by every insert, put and delete. */
  constructor(
    readonly kind: string,
    private readonly changes?: Changes,
  ) {}

  get size(): number {
    return this.rows.size;
  }

  get(id: K): T | undefined {
    return this.rows.get(id);
  }

  has(id: K): boolean {
    return this.rows.has(id);
  }

  /** Adds a record; an existing id is a bug in the caller (ids come from the store). */
  insert(row: T): T {
    if (this.rows.has(row.id)) throw new Error(`${this.kind} ${String(row.id)} already exists`);
    this.rows.set(row.id, row);
    if (this.changes) this.changes.count++;
    return row;
  }

  /** Adds or replaces. */
  put(row: T): T {
    this.rows.set(row.id, row);
    if (this.changes) this.changes.count++;
    return row;
  }

  delete(id: K): boolean {
    if (this.changes) this.changes.count++;
    return this.rows.delete(id);
  }

  values(): IterableIterator<T> {
    return this.rows.values();
  }

  [Symbol.iterator](): IterableIterator<T> {
    return this.rows.values();
  }

  /** Records passing `keep`, in insertion order. */
  filter(keep: (row: T) => boolean): T[] {
    const out: T[] = [];
    for (const r of this.rows.values()) if (keep(r)) out.push(r);
    return out;
  }

  find(match: (row: T) => boolean): T | undefined {
    for (const r of this.rows.values()) if (match(r)) return r;
    return undefined;
  }

  all(): T[] {
    return [...this.rows.values()];
  }
}
