import type { PumphouseEvent, Reporter } from '../../events/index.js';
import type { StepContext } from '../contract.js';

/**
 * A reporter for code that emits its own `progress` events (src/transfer): those go through
 * `ctx.progress`, so the executor's meter is the one that throttles and computes rate and
 * ETA for every data step; every other event (transfer_retry, wait, log) passes through.
 */
export function stepReporter(ctx: StepContext, label: string): Reporter {
  return {
    emit(event: PumphouseEvent): void {
      if (event.type === 'progress') {
        ctx.progress(label, event.done_bytes, event.total_bytes);
        return;
      }
      ctx.reporter.emit(event);
    },
  };
}
