import { isNotFound } from '../../../src/openstack/index.js';

/** One object the suite made, and how to get rid of it. */
export interface LedgerEntry {
  /** What it is, for leftover reports: `network phc-k3x9-net (3f2a...)`. */
  readonly label: string;
  /** Deletes the object (and waits until it is gone when later deletions depend on it). */
  readonly remove: () => Promise<void>;
}

/** An object whose deletion failed, with why. */
export interface Leftover {
  readonly label: string;
  readonly reason: string;
}

/**
 * What a part of the suite created, deleted in reverse order of creation. A removal that
 * answers 404 counts as done (a test deleted the object itself); any other failure is kept
 * as a leftover and the remaining removals still run: cleanup is best effort, never silent.
 */
export class Ledger {
  private readonly entries: { readonly key: string; readonly entry: LedgerEntry }[] = [];

  /** Registers an object right after its creation; `key` lets a test forget it after deleting it. */
  add(key: string, entry: LedgerEntry): void {
    this.entries.push({ key, entry });
  }

  /** The test deleted the object itself: nothing left to do for it. */
  forget(key: string): void {
    const i = this.entries.findIndex((e) => e.key === key);
    if (i >= 0) this.entries.splice(i, 1);
  }

  get size(): number {
    return this.entries.length;
  }

  /** Labels of what is still registered, newest first. */
  pending(): string[] {
    return this.entries.map((e) => e.entry.label).reverse();
  }

  /** Runs every removal, newest first; answers what could not be removed. */
  async drain(): Promise<Leftover[]> {
    const leftovers: Leftover[] = [];
    while (this.entries.length > 0) {
      const { entry } = this.entries.pop() as { readonly entry: LedgerEntry };
      try {
        await entry.remove();
      } catch (err) {
        if (isNotFound(err)) continue;
        leftovers.push({ label: entry.label, reason: err instanceof Error ? err.message : String(err) });
      }
    }
    return leftovers;
  }

  /** Drops every entry without deleting anything (cleanup policy `never`). */
  abandon(): string[] {
    const labels = this.pending();
    this.entries.length = 0;
    return labels;
  }
}
