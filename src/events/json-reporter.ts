import type { Writable } from 'node:stream';
import { redact } from '../errors/index.js';
import type { Reporter } from './reporter.js';
import type { PumphouseEvent } from './registry.js';

/** One JSON object per line (`--json`), secrets scrubbed as a last line of defence. */
export class JsonLinesReporter implements Reporter {
  constructor(private readonly out: Writable) {}
  emit(event: PumphouseEvent): void {
    this.out.write(`${JSON.stringify(redact(event))}\n`);
  }
}
