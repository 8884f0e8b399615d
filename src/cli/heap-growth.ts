import { setFlagsFromString } from 'node:v8';

/**
 * How much V8 lets the heap grow past what its last full collection kept, in percent, for
 * every pumphouse command.
 *
 * V8's default lets a heap that allocates fast grow to ~3.5x its live size before the next
 * full collection. Pumphouse's big jobs hold a large live set and make garbage fast: at 10,000
 * tenants discovery keeps ~280 MiB of inventories, and `pumphouse plan` peaked at 1.2 GB for
 * ~600 MiB live. Each full collection marks that whole live set again (on V8's helper threads
 * too), so too low a bound costs CPU: at 30% a 10,000-tenant plan took 39.5 s of CPU (mean of
 * 4 runs) against 36.2 s at 60% (7 runs), the same peak RSS by the kernel's high-water mark
 * (956-962 against 938-977 MiB) and ~1 s less wall; at 100% the peak went to 1,028-1,223 MiB
 * (bench/plan-scale.ts, session 6; docs/architecture/planner.md).
 */
export const HEAP_GROWING_PERCENT = 60;

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
