import { setFlagsFromString } from 'node:v8';

/**
 * How much V8 lets the heap grow past what its last full collection kept, in percent, for
 * every pumphouse command.
 *
 * V8's default lets a heap that allocates fast grow to ~3.5x its live size before the next
 * full collection. Pumphouse's big jobs hold a large live set and make garbage fast: at 10,000
 * tenants discovery keeps ~280 MiB of inventories and left the heap at ~780 MiB when it ended,
 * and `pumphouse plan` peaked at 1.2 GB for ~600 MiB live. With 30% the same plan peaked at
 * 962 MiB and discovery at 661 MiB, for no measurable CPU (measured with bench/plan-scale.ts;
 * docs/architecture/planner.md).
 */
export const HEAP_GROWING_PERCENT = 30;

const FLAG = '--heap-growing-percent';

/**
 * Sets V8's heap growing factor for this process (see HEAP_GROWING_PERCENT), unless node was
 * started with its own `--heap-growing-percent`. V8 reads the flag at every full collection,
 * so setting it once the process runs takes effect from the next one.
 */
export function boundHeapGrowth(execArgv: readonly string[] = process.execArgv): void {
  if (execArgv.some((a) => a === FLAG || a.startsWith(`${FLAG}=`) || a.startsWith('--heap_growing_percent'))) return;
  setFlagsFromString(`${FLAG}=${HEAP_GROWING_PERCENT}`);
}
