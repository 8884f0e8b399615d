import { emit, type Reporter } from '../events/index.js';

/**
 * Reports one cloud's discovery as it goes: `discovery_progress` (debug) each time a kind is
 * read, with the objects found and the calls made so far on that cloud.
 */
export class DiscoveryProgress {
  private objects = 0;

  constructor(
    private readonly reporter: Reporter | undefined,
    readonly cloud: string,
    private readonly calls: () => number,
  ) {}

  /** Awaits a list and reports its size. */
  async kind<T>(kind: string, list: Promise<readonly T[]>): Promise<readonly T[]> {
    const items = await list;
    this.found(kind, items.length);
    return items;
  }

  found(kind: string, count: number): void {
    this.objects += count;
    const calls = this.calls();
    emit(this.reporter, 'discovery_progress', 'debug', `${this.cloud}: ${count} ${kind} (${calls} calls so far)`, { cloud: this.cloud, kind, count, calls });
  }

  get total(): number {
    return this.objects;
  }
}
