import { setFlagsFromString } from 'node:v8';

/**
 * How much V8 lets the heap grow past what its last full collection kept, in percent, for
 * every pumphouse command.
 *
 * V8's default lets a heap that allocates fast grow to ~3.5x its live size before the next
 * full collection. Pumphouse's big jobs hold a large live set and make garbage fast: at 10,000
 * tenants discovery keeps ~280 MiB of inventories, and `pumphouse plan` peaked at 1.2 GB for
 * ~600 MiB live. With 30% the same plan peaked at 962 MiB and discovery at 661 MiB.
 *
 * Each full collection marks the whole live set again (on V8's helper threads too), so a
 * higher bound saves CPU, and session 6 tried it (bench/plan-scale.ts at 10,000 tenants, peak
 * RSS by the kernel's high-water mark): 50% took ~3 s of the plan's ~39 s of CPU, but 2 of 14
 * runs peaked at 1,059-1,061 MiB; 60% peaked at 992-1,028 MiB in 3 of 10 runs. At 30% no run
 * of ~10 passed 962 MiB, so 30% stays (docs/architecture/planner.md).
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
