export type { EventPayloads, EventType, Level, PumphouseEvent, EventOf } from './registry.js';
export { emit, silentReporter, wants, MemoryReporter, TeeReporter, type Reporter } from './reporter.js';
export { JsonLinesReporter } from './json-reporter.js';
export { HumanReporter, type HumanReporterOptions } from './human-reporter.js';
export { formatBytes, formatDuration } from './format.js';
