import type { EventPayloads, EventType, Level, PumphouseEvent } from './registry.js';

/** Where the library sends events. The library never prints; reporters decide how to show. */
export interface Reporter {
  emit(event: PumphouseEvent): void;
  /**
   * Whether events of `type` would be used; absent means yes. Lets an emitter skip building
   * events nobody reads (600,000 planned_change events of a big plan, say).
   */
  accepts?(type: EventType): boolean;
  /** Called once when the operation ends, so progress bars can be cleared. */
  close?(): void;
}

/** Builds the envelope and sends one event. */
export function emit<K extends EventType>(
  reporter: Reporter | undefined,
  type: K,
  level: Level,
  message: string,
  payload: EventPayloads[K],
): void {
  if (!reporter) return;
  const event = { type, '@level': level, '@message': message, '@timestamp': new Date().toISOString(), ...payload };
  reporter.emit(event as unknown as PumphouseEvent);
}

/** Whether `reporter` wants events of `type` (see Reporter.accepts). */
export function wants(reporter: Reporter | undefined, type: EventType): boolean {
  return reporter !== undefined && (reporter.accepts?.(type) ?? true);
}

/** Discards everything (library callers that do not care). */
export const silentReporter: Reporter = { emit() {} };

/** Keeps every event in memory: tests and the API server read them back. */
export class MemoryReporter implements Reporter {
  readonly events: PumphouseEvent[] = [];
  emit(event: PumphouseEvent): void {
    this.events.push(event);
  }
  ofType<K extends EventType>(type: K): Array<Extract<PumphouseEvent, { type: K }>> {
    return this.events.filter((e): e is Extract<PumphouseEvent, { type: K }> => e.type === type);
  }
}

/** Sends each event to several reporters (terminal + API SSE, say). */
export class TeeReporter implements Reporter {
  constructor(private readonly targets: readonly Reporter[]) {}
  emit(event: PumphouseEvent): void {
    for (const t of this.targets) t.emit(event);
  }
  accepts(type: EventType): boolean {
    return this.targets.some((t) => t.accepts?.(type) ?? true);
  }
  close(): void {
    for (const t of this.targets) t.close?.();
  }
}
